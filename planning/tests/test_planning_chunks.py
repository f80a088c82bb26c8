"""Plans cut into chunks for background generation, and plans as JSON."""

import datetime
import json

import pytest

from planning import (
    Bom,
    BomLine,
    Demand,
    Params,
    Product,
    chunk_proposals,
    decode,
    dump_proposals,
    encode,
    load_proposals,
    plan,
)

D = datetime.date


def catalogue():
    """1..20: finished products made of raw 100; 30: made of sub-assembly 31
    (its own BOM), 31: made of raw 100."""
    products = {i: Product(i, rounding=1.0, bom_id=1000 + i) for i in range(1, 21)}
    boms = {1000 + i: Bom(1000 + i, i, lines=[BomLine(100, 1)]) for i in range(1, 21)}
    products[100] = Product(100, rounding=1.0)
    products[30] = Product(30, rounding=1.0, bom_id=1030)
    products[31] = Product(31, rounding=1.0, bom_id=1031)
    boms[1030] = Bom(1030, 30, lines=[BomLine(31, 2)])
    boms[1031] = Bom(1031, 31, lines=[BomLine(100, 1)])
    return products, boms


def demands(count, warehouses=(1,), partners=5):
    return [
        Demand(
            ("sale", n),
            "sale",
            1 + n % 20,
            1 + n % 3,
            D(2026, 1, 1 + n % 28),
            partner_id=n % partners,
            warehouse_id=warehouses[n % len(warehouses)],
            reference="SO%d" % n,
        )
        for n in range(count)
    ]


def result(demand, mode="mono", explode=True):
    products, boms = catalogue()
    return plan(
        demand,
        products,
        boms,
        Params(
            mode=mode,
            group_by="partner",
            net_stock=False,
            explode_subassemblies=explode,
        ),
    )


@pytest.mark.parametrize("mode", ["mono", "multi"])
def test_every_proposal_in_exactly_one_chunk_of_one_warehouse(mode):
    proposals = result(demands(300, warehouses=(1, 2)), mode).proposals
    chunks = chunk_proposals(proposals, 40)
    seen = sorted(index for chunk in chunks for index in chunk)
    assert seen == list(range(len(proposals)))
    for chunk in chunks:
        assert len({proposals[index].warehouse_id for index in chunk}) == 1
        weight = sum(
            len(line.allocations) for index in chunk for line in proposals[index].lines
        )
        largest = max(
            sum(len(line.allocations) for line in proposals[index].lines)
            for index in chunk
        )
        assert weight <= 40 or len(chunk) == 1 and weight == largest
    assert len(chunks) > 2


def test_chunks_are_stable():
    proposals = result(demands(120, warehouses=(2, 1))).proposals
    assert chunk_proposals(proposals, 25) == chunk_proposals(proposals, 25)


def test_subassembly_travels_with_the_lines_consuming_it():
    demand = [
        Demand(("sub", n), "sale", 30, 1, D(2026, 1, 2), partner_id=n, warehouse_id=1)
        for n in range(3)
    ]
    demand += demands(6)
    proposals = result(demand, "mono", explode=False).proposals
    owner = {line.ref: index for index, p in enumerate(proposals) for line in p.lines}
    links = [
        (index, owner[parent])
        for index, p in enumerate(proposals)
        for line in p.lines
        for parent, _qty in line.parents
    ]
    assert links, "the plan should have a sub-assembly job order"
    assert any(a != b for a, b in links), (
        "the sub-assembly should be a proposal of its own"
    )
    for chunk in chunk_proposals(proposals, 1):
        for child, parent in links:
            assert (child in chunk) == (parent in chunk)


def test_a_unit_larger_than_the_chunk_stays_whole():
    proposals = result(demands(50, partners=1), "multi").proposals
    assert len(proposals) == 1
    assert chunk_proposals(proposals, 10) == [[0]]


def test_chunk_size_must_be_positive():
    with pytest.raises(ValueError):
        chunk_proposals([], 0)


@pytest.mark.parametrize("mode", ["mono", "multi"])
def test_proposals_survive_json(mode):
    proposals = result(
        demands(60)
        + [
            Demand(
                ("sale", 999),
                "sale",
                30,
                2,
                D(2026, 2, 1),
                partner_id=None,
                warehouse_id=1,
            )
        ],
        mode,
        explode=False,
    ).proposals
    text = json.dumps(dump_proposals(proposals))
    assert load_proposals(json.loads(text)) == proposals


def test_keys_and_dates_survive_json():
    value = {
        "key": ("forecast", 7, (None, "a", 2.5)),
        "day": D(2026, 3, 4),
        "at": datetime.datetime(2026, 3, 4, 5, 6, 7),
        "list": [1, ("x", None)],
        "flag": True,
    }
    back = decode(json.loads(json.dumps(encode(value))))
    assert back == value
    assert type(back["key"]) is tuple and type(back["list"][1]) is tuple
    hash(back["key"])


def test_encode_refuses_what_it_cannot_give_back():
    with pytest.raises(TypeError):
        encode({1: "not a string key"})
    with pytest.raises(TypeError):
        encode({"set": {1, 2}})
