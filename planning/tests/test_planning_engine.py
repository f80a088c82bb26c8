"""Unit tests of the pure planning engine, one or more per rule."""

import datetime

import pytest

from planning import Bom, BomLine, Demand, Params, PlanningError, Product, explode, plan

D = datetime.date
WH = 1


def day(n):
    return D(2024, 3, 1) + datetime.timedelta(days=n)


def catalogue():
    """1: finished product (BOM 10: 2 x sub-assembly 2 + 3 x raw 4);
    2: sub-assembly (BOM 20: 0.5 kg of raw 3); 3, 4: raw; 5: service;
    6: no BOM."""
    products = {
        1: Product(1, rounding=1.0, bom_id=10),
        2: Product(2, rounding=1.0, bom_id=20),
        3: Product(3, rounding=0.001),
        4: Product(4, rounding=1.0),
        5: Product(5, rounding=1.0, kind="service", bom_id=50),
        6: Product(6, rounding=1.0),
    }
    boms = {
        10: Bom(10, 1, lines=[BomLine(2, 2), BomLine(4, 3)]),
        20: Bom(20, 2, lines=[BomLine(3, 0.5)]),
        50: Bom(50, 5, lines=[BomLine(4, 1)]),
    }
    return products, boms


def demand(n, qty, product=1, source="sale", date=0, **kw):
    kw.setdefault("warehouse_id", WH)
    return Demand(("d", n), source, product, qty, day(date), **kw)


def lines(result):
    return dict((line.ref, line) for line in result.iter_lines())


def skipped(result):
    return dict((s.demand_key, (s.reason, s.qty)) for s in result.skipped)


# rule 1: skips ---------------------------------------------------------------


def test_skips_in_order_of_precedence():
    products, boms = catalogue()
    result = plan(
        [
            demand(1, 5, skip_reason="cancelled", selected=False),
            demand(2, 5, selected=False),
            demand(3, 5, product=5),
            demand(4, 5, product=6),
            demand(5, 5, product=99, skip_reason="no_bom_company"),
            demand(6, 5),
        ],
        products,
        boms,
        Params(),
    )
    assert skipped(result) == {
        ("d", 1): ("cancelled", 5),
        ("d", 2): ("not_selected", 5),
        ("d", 3): ("service", 5),
        ("d", 4): ("no_bom", 5),
        ("d", 5): ("no_bom_company", 5),
    }
    assert [line.allocations for line in result.iter_lines()] == [[(("d", 6), 5.0)]]
    assert all(s.message.endswith(".") for s in result.skipped)


def test_unknown_product_and_negative_qty_raise():
    products, boms = catalogue()
    with pytest.raises(PlanningError, match="Unknown product 99"):
        plan([demand(1, 1, product=99)], products, boms, Params())
    with pytest.raises(PlanningError, match="negative"):
        plan([demand(1, -1)], products, boms, Params())
    with pytest.raises(PlanningError, match="twice"):
        plan([demand(1, 1), demand(1, 2)], products, boms, Params())
    with pytest.raises(PlanningError, match="priority"):
        plan([demand(1, 1, priority="3")], products, boms, Params())
    with pytest.raises(PlanningError, match="BOM 10"):
        plan([demand(1, 1)], products, {}, Params())
    with pytest.raises(PlanningError, match="mode"):
        plan([], products, boms, Params(mode="both"))


# rule 2: forecast consumption --------------------------------------------------


def test_forecasts_consumed_by_sales_of_their_period():
    products, boms = catalogue()
    march = (day(0), day(30))
    april = (day(31), day(60))
    result = plan(
        [
            demand(1, 10, source="forecast", period=march),
            demand(2, 10, source="forecast", period=april, date=31),
            demand(3, 4, date=5),  # consumes march
            demand(4, 3, date=6, selected=False),  # unticked, still ordered
            demand(5, 9, date=7, skip_reason="cancelled"),  # cancelled: no
            demand(6, 2, date=40, warehouse_id=2),  # other warehouse: no
        ],
        products,
        boms,
        Params(net_stock=False),
        forecast_consumers=[(1, WH, day(45), 10), (1, WH, day(70), 5)],
    )
    assert result.consumed == [(("d", 1), 7.0), (("d", 2), 10.0)]
    assert skipped(result)[("d", 2)] == ("consumed_by_sales", 10.0)
    assert ("d", 1) not in skipped(result)
    line = lines(result)[(("mono", WH, 1), 1, False)]
    assert line.allocations == [(("d", 1), 3.0), (("d", 3), 4.0)]


def test_each_sale_unit_consumes_one_forecast_unit_in_period_start_order():
    products, boms = catalogue()
    result = plan(
        [
            demand(2, 5, source="forecast", period=(day(3), day(9)), date=3),
            demand(1, 5, source="forecast", period=(day(0), day(9))),
            demand(3, 8, date=4),
        ],
        products,
        boms,
        Params(net_stock=False),
    )
    # the forecast starting first takes 5, the next one the 3 left
    assert result.consumed == [(("d", 2), 3.0), (("d", 1), 5.0)]
    assert skipped(result) == {("d", 1): ("consumed_by_sales", 5.0)}


# rule 3: netting -----------------------------------------------------------------


def test_scarce_stock_goes_by_priority_then_date():
    products, boms = catalogue()
    result = plan(
        [
            demand(1, 4, date=1, priority=0),
            demand(2, 4, date=9, priority=3),
            demand(3, 4, date=2, priority=0),
            demand(4, 4, date=0, priority=0, warehouse_id=2),
        ],
        products,
        boms,
        Params(),
        stock={(1, WH): 3},
        open_supply={(1, WH): 3},
    )
    assert result.covered == [(("d", 1), 2.0), (("d", 2), 4.0)]
    assert skipped(result) == {("d", 2): ("covered_by_stock", 4.0)}
    allocations = lines(result)[(("mono", WH, 1), 1, False)].allocations
    assert allocations == [(("d", 1), 2.0), (("d", 3), 4.0)]


def test_demand_computed_on_projected_stock_is_not_netted_again():
    products, boms = catalogue()
    result = plan(
        [demand(1, 4, source="min_stock", net=False, priority=3), demand(2, 4, date=5)],
        products,
        boms,
        Params(),
        stock={(1, WH): 5},
    )
    assert result.covered == [(("d", 2), 4.0)]
    assert next(result.iter_lines()).allocations == [(("d", 1), 4.0)]


def test_no_netting_without_net_stock_and_negative_stock_is_no_debt():
    products, boms = catalogue()
    result = plan(
        [demand(1, 4)], products, boms, Params(net_stock=False), stock={(1, WH): 10}
    )
    assert result.covered == [] and next(result.iter_lines()).qty == 4
    result = plan(
        [demand(1, 4)],
        products,
        boms,
        Params(),
        stock={(1, WH): -10},
        open_supply={(1, WH): 3},
    )
    assert result.covered == [] and next(result.iter_lines()).qty == 4
    result = plan(
        [demand(1, 4)],
        products,
        boms,
        Params(),
        stock={(1, WH): -1},
        open_supply={(1, WH): 3},
    )
    assert result.covered == [(("d", 1), 2.0)]


# rule 4: rounding -------------------------------------------------------------


def test_rounding_up_without_extra_step_for_float_noise():
    products = {7: Product(7, rounding=0.01, bom_id=70), 8: Product(8, rounding=1.0)}
    boms = {70: Bom(70, 7, lines=[BomLine(8, 1)])}
    result = plan(
        [
            demand(1, 0.1 + 0.2, product=7),  # 0.30000000000000004
            demand(2, 1.001, product=7),  # a real remainder: 1.01
            demand(3, 0.0, product=7),
            demand(4, 2.3, product=7, warehouse_id=2),
        ],
        products,
        boms,
        Params(),
        stock={(7, 2): 2.0},
    )
    allocations = dict(lines(result)[(("mono", WH, 7), 7, False)].allocations)
    assert allocations == {("d", 1): 0.3, ("d", 2): 1.01}
    assert skipped(result)[("d", 3)] == ("zero_qty", 0.0)
    line = lines(result)[(("mono", 2, 7), 7, False)]
    assert line.qty == 0.3  # 2.3 - 2.0 = 0.2999999999999998


def test_remainder_of_float_noise_after_netting_is_covered():
    products = {7: Product(7, rounding=0.01, bom_id=70), 8: Product(8)}
    boms = {70: Bom(70, 7, lines=[BomLine(8, 1)])}
    result = plan(
        [demand(1, 0.3, product=7)],
        products,
        boms,
        Params(),
        stock={(7, WH): 0.1 + 0.2 - 1e-16 * 3},
    )
    assert skipped(result) == {("d", 1): ("covered_by_stock", 0.3)}
    assert result.proposals == []


def test_tiny_quantities_round_to_zero():
    products, boms = catalogue()
    result = plan(
        [demand(1, 1e-9, source="forecast", period=(day(0), day(9))), demand(2, 1e-12)],
        products,
        boms,
        Params(net_stock=False),
    )
    assert skipped(result) == {
        ("d", 1): ("zero_qty", 1e-9),
        ("d", 2): ("zero_qty", 1e-12),
    }


# UoM ratios ---------------------------------------------------------------------


def test_bom_in_dozens_and_component_in_grams_from_kilograms():
    # product 1 in units, its BOM made in dozens: 1 dozen = 12 units needs
    # 1.5 kg of flour (component UoM g: 1.5 kg = 1500 g) and 6 boxes
    products = {
        1: Product(1, rounding=1.0, bom_id=10),
        2: Product(2, rounding=1.0),  # flour, UoM g
        3: Product(3, rounding=1.0),
    }  # box
    boms = {
        10: Bom(
            10,
            1,
            product_qty=1,
            uom_ratio=12,
            lines=[BomLine(2, 1.5, uom_ratio=1000), BomLine(3, 6)],
        )
    }
    assert explode(1, 30, products, boms) == {2: 3750.0, 3: 15.0}
    assert explode(1, 1, products, boms) == {2: 125.0, 3: 1.0}  # 0.5 box up


# rule 5: grouping -------------------------------------------------------------


def grouping_demands():
    return [
        demand(1, 1, partner_id=10, project_id=20, sale_order_id=30),
        demand(2, 2, partner_id=10, project_id=21, sale_order_id=31, date=3),
        demand(3, 4, partner_id=11, project_id=21, sale_order_id=31, priority=2),
        demand(4, 8, partner_id=None, project_id=None, sale_order_id=None),
        demand(5, 16, product=2, partner_id=10, project_id=20, sale_order_id=30),
    ]


def test_mono_grouping_one_line_per_product_and_warehouse():
    products, boms = catalogue()
    result = plan(
        grouping_demands() + [demand(6, 1, warehouse_id=2)],
        products,
        boms,
        Params(net_stock=False),
    )
    assert [p.key for p in result.proposals] == [
        ("mono", 1, 1),
        ("mono", 1, 2),
        ("mono", 2, 1),
    ]
    line = result.proposals[0].lines[0]
    assert (line.qty, line.date, line.priority) == (15.0, day(0), 2)
    assert [k for k, _ in line.allocations] == [("d", 3), ("d", 1), ("d", 4), ("d", 2)]
    assert result.proposals[0].partner_id is None
    assert result.proposals[1].partner_id == 10 and result.proposals[1].project_id == 20


@pytest.mark.parametrize(
    "group_by, expected",
    [
        ("partner", {None: {1: 8}, 10: {1: 3, 2: 16}, 11: {1: 4}}),
        ("project", {None: {1: 8}, 20: {1: 1, 2: 16}, 21: {1: 6}}),
        ("sale_order", {None: {1: 8}, 30: {1: 1, 2: 16}, 31: {1: 6}}),
    ],
)
def test_multi_grouping(group_by, expected):
    products, boms = catalogue()
    result = plan(
        grouping_demands(),
        products,
        boms,
        Params(mode="multi", group_by=group_by, net_stock=False),
    )
    found = dict(
        (p.key[3], dict((line.product_id, line.qty) for line in p.lines))
        for p in result.proposals
    )
    assert found == expected
    assert [p.key[:3] for p in result.proposals] == [("multi", WH, group_by)] * 3
    assert result.proposals[0].key[3] is None  # None sorts first
    field = {
        "partner": "partner_id",
        "project": "project_id",
        "sale_order": "sale_order_id",
    }[group_by]
    for proposal in result.proposals:
        assert getattr(proposal, field) == proposal.key[3]


# rule 6: sub-assemblies -----------------------------------------------------------


def shared_catalogue():
    """Finished 1 and 6 both use sub-assembly 2 (2 and 3 per unit)."""
    products, boms = catalogue()
    products[6] = Product(6, rounding=1.0, bom_id=60)
    boms[60] = Bom(60, 6, lines=[BomLine(2, 3), BomLine(4, 1)])
    return products, boms


def test_shared_subassembly_netted_once():
    products, boms = shared_catalogue()
    result = plan(
        [
            demand(1, 5, product=1, date=2),  # needs 10 x 2
            demand(2, 4, product=6, date=1),  # needs 12 x 2
            demand(3, 3, product=2, date=9),  # direct demand for 2
        ],
        products,
        boms,
        Params(explode_subassemblies=False),
        stock={(2, WH): 10},
    )
    found = lines(result)
    # direct demand takes 3 of the 10; the 7 left net the 22 needed once
    assert result.covered == [(("d", 3), 3.0)]
    sub = found[(("mono", WH, 2), 2, True)]
    assert sub.subassembly and sub.qty == 15.0 and sub.allocations == []
    # stock goes to the earliest parent (product 6, day 1) first
    assert sub.parents == [
        ((("mono", WH, 6), 6, False), 5.0),
        ((("mono", WH, 1), 1, False), 10.0),
    ]
    assert (sub.date, sub.priority) == (day(1), 0)
    assert (("mono", WH, 2), 2, False) not in found  # covered by stock
    assert len([p for p in result.proposals if p.key == ("mono", WH, 2)]) == 1


def test_subassembly_and_direct_demand_share_the_mono_proposal():
    products, boms = shared_catalogue()
    result = plan(
        [demand(1, 1, product=1), demand(2, 1, product=2)],
        products,
        boms,
        Params(explode_subassemblies=False),
    )
    proposal = [p for p in result.proposals if p.key == ("mono", WH, 2)][0]
    assert [(line.subassembly, line.qty) for line in proposal.lines] == [
        (False, 1.0),
        (True, 2.0),
    ]


def test_subassemblies_in_multi_mode_get_mono_proposals():
    products, boms = shared_catalogue()
    result = plan(
        [
            demand(1, 1, product=1, partner_id=7, priority=2),
            demand(2, 1, product=6, partner_id=8, date=4),
        ],
        products,
        boms,
        Params(mode="multi", explode_subassemblies=False),
    )
    assert [p.key for p in result.proposals] == [
        ("mono", WH, 2),
        ("multi", WH, "partner", 7),
        ("multi", WH, "partner", 8),
    ]
    sub = result.proposals[0].lines[0]
    assert sub.parents == [
        ((("multi", WH, "partner", 7), 1, False), 2.0),
        ((("multi", WH, "partner", 8), 6, False), 3.0),
    ]
    assert (sub.qty, sub.priority, sub.date) == (5.0, 2, day(0))
    assert result.proposals[0].partner_id is None


def three_levels():
    """1 <- 2 (x2) <- 3 (x3, BOM in dozens) <- raw 4; 1 also uses 3 directly."""
    products = {
        1: Product(1, rounding=1.0, bom_id=10),
        2: Product(2, rounding=1.0, bom_id=20),
        3: Product(3, rounding=0.5, bom_id=30),
        4: Product(4, rounding=0.001),
    }
    boms = {
        10: Bom(10, 1, lines=[BomLine(2, 2), BomLine(3, 1)]),
        20: Bom(20, 2, lines=[BomLine(3, 3), BomLine(4, 0.25)]),
        30: Bom(30, 3, product_qty=1, uom_ratio=12, lines=[BomLine(4, 1.2)]),
    }
    return products, boms


def test_three_level_tree_level_by_level():
    products, boms = three_levels()
    result = plan(
        [demand(1, 5)],
        products,
        boms,
        Params(explode_subassemblies=False),
        stock={(2, WH): 1, (3, WH): 4},
    )
    found = lines(result)
    two = found[(("mono", WH, 2), 2, True)]
    three = found[(("mono", WH, 3), 3, True)]
    assert two.qty == 9.0
    # 3 is needed by 1 (5) and by 2 (27): netted once against 4 at level 2
    assert three.parents == [
        ((("mono", WH, 1), 1, False), 1.0),
        ((("mono", WH, 2), 2, True), 27.0),
    ]
    assert three.qty == 28.0
    assert (("mono", WH, 4), 4, True) not in found  # raw material
    # kg of 4 per unit: 3 -> 1.2 / 12 = 0.1; 2 -> 3 x 0.1 + 0.25 = 0.55;
    # 1 -> 2 x 0.55 + 0.1 = 1.2
    assert explode(1, 5, products, boms) == {4: 6.0}
    assert explode(1, 5, products, boms, False) == {2: 10.0, 3: 5.0}


def test_subassemblies_not_planned_when_exploded():
    products, boms = three_levels()
    result = plan([demand(1, 5)], products, boms, Params())
    assert [line.ref for line in result.iter_lines()] == [(("mono", WH, 1), 1, False)]


# explode() and cycles ----------------------------------------------------------


def test_explode_with_and_without_subassemblies_rounds_once():
    products, boms = catalogue()
    products[3] = Product(3, rounding=1.0)
    boms[20] = Bom(20, 2, product_qty=3, lines=[BomLine(3, 1)])
    # per level rounding would give 1 x 2 -> 2 units of 2 -> 1 unit of 3 each
    assert explode(1, 1, products, boms) == {3: 1.0, 4: 3.0}
    assert explode(1, 1, products, boms, explode_subassemblies=False) == {
        2: 2.0,
        4: 3.0,
    }
    assert explode(5, 2, products, boms) == {4: 2.0}  # a service's own BOM
    assert explode(1, 0, products, boms) == {}
    with pytest.raises(PlanningError, match="no bill of materials"):
        explode(6, 1, products, boms)


def test_bom_cycle_raises_naming_the_products():
    products, boms = catalogue()
    boms[20] = Bom(20, 2, lines=[BomLine(3, 0.5), BomLine(1, 1)])
    with pytest.raises(PlanningError, match="product 1 -> product 2 -> product 1"):
        explode(1, 1, products, boms)
    with pytest.raises(PlanningError, match="cycle"):
        plan([demand(1, 1)], products, boms, Params(explode_subassemblies=False))
    boms[20] = Bom(20, 2, lines=[BomLine(2, 1)])
    with pytest.raises(PlanningError, match="product 2 -> product 2"):
        explode(1, 1, products, boms)


# determinism ---------------------------------------------------------------------


def test_same_input_same_output_and_order_independent():
    products, boms = shared_catalogue()
    demands = [
        demand(
            n,
            1 + n % 4,
            product=(1, 6, 2)[n % 3],
            date=n % 5,
            priority=n % 4,
            partner_id=n % 3 or None,
            warehouse_id=1 + n % 2,
        )
        for n in range(40)
    ]
    stock = {(2, 1): 7, (1, 2): 3, (6, 1): 2}
    params = Params(mode="multi", explode_subassemblies=False)
    first = plan(demands, products, boms, params, stock=stock)
    again = plan(demands, products, boms, params, stock=stock)
    assert repr(first) == repr(again)
    shuffled = plan(
        list(reversed(demands)),
        products,
        boms,
        params,
        stock=dict(reversed(list(stock.items()))),
    )
    assert repr(shuffled.proposals) == repr(first.proposals)
    assert sorted(map(repr, shuffled.skipped)) == sorted(map(repr, first.skipped))
