"""Wrong ids and wrong types through XML-RPC, against a real server: a clear
fault, and nothing written.

XML-RPC (``/xmlrpc/2``) is deprecated in Odoo 19 (the server logs a warning
on each call, removal planned for Odoo 22) but works; the supported API is
JSON-2, see test_external_api.py.  As long as integrators may use it, a bad
call must fail cleanly here too."""

import xmlrpc.client

import pytest

from .server import OdooServer


@pytest.fixture(scope="module")
def rpc():
    with OdooServer() as server:
        common = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/common")
        uid = common.authenticate(server.db, "admin", "admin", {})
        assert uid, "cannot log in as admin over XML-RPC"
        models = xmlrpc.client.ServerProxy(
            server.url + "/xmlrpc/2/object", allow_none=True
        )

        def call(model, method, *args, **kwargs):
            return models.execute_kw(
                server.db, uid, "admin", model, method, list(args), kwargs
            )

        yield call


def counts(call):
    return [
        call(model, "search_count", [])
        for model in (
            "mrp.job.order",
            "mrp.job.order.line",
            "mrp.job.order.demand",
            "stock.move",
        )
    ]


@pytest.mark.parametrize(
    "model, method, args, words",
    [
        ("mrp.job.order", "action_confirm", [[987654321]], "does not exist"),
        ("mrp.job.order", "action_transfer", [[987654321]], "does not exist"),
        (
            "mrp.job.order",
            "create",
            [{"line_ids": [[0, 0, {"product_id": 987654321, "product_qty": 1}]]}],
            "does not exist",
        ),
        ("mrp.job.order", "create", [{"mode": "triple"}], "Wrong value"),
        # core create with a text where an id goes: Odoo 19 lets PostgreSQL refuse it
        (
            "mrp.job.order",
            "create",
            [{"line_ids": [[0, 0, {"product_id": "table", "product_qty": "many"}]]}],
            "invalid input syntax for type integer",
        ),
        (
            "mrp.job.order.generate",
            "create",
            [{"mode": "mono", "use_sale": "yes please", "date_to": "the 32nd"}],
            "date",
        ),
        ("mrp.job.order.profile", "run", [[987654321]], "does not exist"),
        # the add-on's own method checks its ids before anything runs
        (
            "sale.order",
            "action_create_job_order",
            [["not an id"]],
            "'not an id' is not a sales order id",
        ),
        (
            "sale.order",
            "action_create_job_order",
            [[987654321]],
            "987654321 is not a sales order id",
        ),
        (
            "sale.order",
            "action_view_job_orders",
            [["not an id"]],
            "'not an id' is not a sales order id",
        ),
    ],
)
def test_bad_calls_fault_and_change_nothing(rpc, model, method, args, words):
    before = counts(rpc)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(model, method, *args)
    assert words in fault.value.faultString
    assert counts(rpc) == before


def test_a_good_call_still_works(rpc):
    # the same server accepts a valid call: the faults above are about the input
    types = rpc("mrp.job.order.type", "search_read", [], fields=["name"])
    assert types and types[0]["name"]
