"""The contract with integrators: every public method of the add-on, called
from outside on a running server with demo data, over Odoo 19's JSON-2 API
(``POST /json/2/<model>/<method>``, API key in ``Authorization: bearer``)
and over XML-RPC (deprecated in 19, still served).

Each call must answer an action dictionary, ``True``/``False`` or plain data
-- never a recordset, never ``None``: over XML-RPC either one is a Fault
*after* the change was committed, over JSON-2 ``None`` is ``null`` and a
recordset a bare list of ids -- and the database must have changed as the
method promises (read back over JSON-2).  A refusal is a ``UserError`` in
planner words (HTTP 422 over JSON-2, a Fault over XML-RPC) that changes
nothing.

Every test builds the records it acts on (from demo products, partners and
bills of materials), so the tests depend neither on each other, nor on their
order, nor on earlier runs in the same database.  The last test checks that
this module covers every public method the add-on defines.
"""

import ast
import contextlib
import os
import xmlrpc.client

import pytest

from .e2e_helpers import Json2, Json2Error, Rpc, api_key
from .server import REPO

PROTOCOLS = ["json2", "xmlrpc"]


class ApiError(Exception):
    """A refused call, whatever the protocol: ``kind`` is the exception's
    class name (e.g. ``UserError``), ``message`` its words."""

    def __init__(self, kind, message, status=None):
        super().__init__("%s: %s" % (kind, message))
        self.kind, self.message, self.status = kind, message, status


# -- the server and its clients ------------------------------------------------


@pytest.fixture(scope="module")
def key(server):
    return api_key(server.db, "admin")


@pytest.fixture(scope="module")
def admin(server, key):
    """JSON-2 as the administrator: to prepare records and read them back."""
    return Json2(server.url, server.db, key)


@pytest.fixture(scope="module")
def xmlrpc_admin(server, key):
    # an API key is a password for XML-RPC too
    return Rpc(server.url, server.db, "admin", key)


@pytest.fixture(params=PROTOCOLS)
def call(request, admin, xmlrpc_admin):
    """``call(model, method, ids=None, context=None, **kwargs)`` through the
    protocol of the test's parameter: the answer, or ``ApiError``."""
    if request.param == "json2":

        def json2(model, method, ids=None, context=None, **kwargs):
            try:
                return admin(model, method, ids=ids, context=context, **kwargs)
            except Json2Error as error:
                name = (
                    error.body.get("name", "") if isinstance(error.body, dict) else ""
                )
                raise ApiError(
                    name.rsplit(".", 1)[-1] or "HTTP %s" % error.status,
                    error.message,
                    error.status,
                ) from None

        return json2

    def by_xmlrpc(model, method, ids=None, context=None, **kwargs):
        args = [list(ids)] if ids is not None else []
        if context is not None:
            kwargs["context"] = context
        try:
            return xmlrpc_admin(model, method, *args, **kwargs)
        except xmlrpc.client.Fault as fault:
            text = fault.faultString
            kind = (
                "UserError" if fault.faultCode == 2 else text.strip().splitlines()[-1]
            )
            raise ApiError(kind.split(":", 1)[0].rsplit(".", 1)[-1], text) from None

    return by_xmlrpc


# -- demo records and the records each test makes ------------------------------


@pytest.fixture(scope="module")
def demo(admin):
    refs = {
        "chair": "mrp_job_order.product_chair",
        "bookshelf": "mrp_job_order.product_bookshelf",
        "table": "mrp_job_order.product_dining_table",
        "bom_chair": "mrp_job_order.bom_chair",
        "customer": "mrp_job_order.partner_trattoria",
        "vendor": "mrp_job_order.partner_nordic_timber",
        "stock": "stock.stock_location_stock",
        "jo_done": "mrp_job_order.jo_done_tables",
    }
    return {name: admin.ref(xmlid) for name, xmlid in refs.items()}


def new_job_order(admin, lines, confirm=False, transfer=False, **values):
    """A job order of ``lines`` ((product id, quantity)), confirmed and its
    components transferred to WIP if asked (with the components put in
    stock first)."""
    order_id = admin(
        "mrp.job.order",
        "create",
        vals_list=[
            dict(
                values,
                line_ids=[
                    (0, 0, {"product_id": product, "product_qty": qty})
                    for product, qty in lines
                ],
            )
        ],
    )[0]
    if confirm or transfer:
        admin("mrp.job.order", "action_confirm", ids=[order_id])
    if transfer:
        source = admin.read_one("mrp.job.order", order_id, ["location_src_id"])
        for product, qty in lines:
            admin.components_in_stock(product, qty, source["location_src_id"][0])
        admin("mrp.job.order", "action_transfer", ids=[order_id])
    return order_id


def job_order(admin, order_id, fields=("state",)):
    return admin.read_one("mrp.job.order", order_id, list(fields))


def job_lines(admin, order_id):
    """{product id: line} of a job order."""
    lines = admin(
        "mrp.job.order.line",
        "search_read",
        domain=[("job_order_id", "=", order_id)],
        fields=[
            "product_id",
            "product_qty",
            "qty_transferred",
            "qty_produced",
            "qty_remaining",
        ],
    )
    return {line["product_id"][0]: line for line in lines}


def count(admin, model, domain=()):
    return admin(model, "search_count", domain=list(domain))


# -- what an answer may be -----------------------------------------------------


def assert_action(result, res_model=None, action_type=None):
    assert isinstance(result, dict), "not an action: %r" % (result,)
    assert str(result.get("type", "")).startswith("ir.actions."), result
    if action_type:
        assert result["type"] == action_type, result
    if res_model:
        assert result.get("res_model") == res_model, result
    return result


def assert_plain(result):
    """True/False, an action, or plain data; never null."""
    assert result is not None, "the method answered None (null)"
    assert isinstance(result, (bool, int, float, str, list, dict)), result
    return result


# -- mrp.job.order ---------------------------------------------------------------


def test_action_confirm(call, admin, demo):
    order = new_job_order(admin, [(demo["chair"], 2.0)])
    assert call("mrp.job.order", "action_confirm", ids=[order]) is True
    values = job_order(admin, order, ["state", "cost_estimated"])
    assert values["state"] == "confirmed"
    # the estimate is frozen at confirmation
    assert values["cost_estimated"] > 0


def test_a_refusal_is_a_user_error_and_changes_nothing(call, admin, demo):
    order = new_job_order(admin, [(demo["chair"], 1.0)], confirm=True)
    moves = count(admin, "stock.move")
    with pytest.raises(ApiError) as refused:
        call("mrp.job.order", "action_confirm", ids=[order])
    assert refused.value.kind == "UserError"
    assert "confirm" in refused.value.message and "confirmed" in refused.value.message
    if refused.value.status is not None:
        assert refused.value.status == 422
    assert job_order(admin, order)["state"] == "confirmed"
    assert count(admin, "stock.move") == moves


def test_action_transfer(call, admin, demo):
    # two products: a multi-product job order (a mono one refuses a second product)
    order = new_job_order(
        admin,
        [(demo["chair"], 2.0), (demo["bookshelf"], 1.0)],
        confirm=True,
        mode="multi",
    )
    source = job_order(admin, order, ["location_src_id"])["location_src_id"][0]
    admin.components_in_stock(demo["chair"], 2.0, source)
    admin.components_in_stock(demo["bookshelf"], 1.0, source)
    result = call("mrp.job.order", "action_transfer", ids=[order])
    if result is not True:
        assert_action(result)
    values = job_order(admin, order, ["state", "picking_ids"])
    assert values["state"] == "in_progress"
    assert values["picking_ids"]
    assert {
        product: line["qty_transferred"]
        for product, line in job_lines(admin, order).items()
    } == {demo["chair"]: 2.0, demo["bookshelf"]: 1.0}


def test_transfer_wizard_action_validate(call, admin, demo):
    order = new_job_order(admin, [(demo["chair"], 3.0)], confirm=True)
    source = job_order(admin, order, ["location_src_id"])["location_src_id"][0]
    admin.components_in_stock(demo["chair"], 3.0, source)
    wizard = admin(
        "mrp.job.order.transfer",
        "create",
        vals_list=[{}],
        context={"default_job_order_id": order},
    )[0]
    wizard_lines = admin(
        "mrp.job.order.transfer", "read", ids=[wizard], fields=["line_ids"]
    )[0]["line_ids"]
    assert len(wizard_lines) == 1
    admin(
        "mrp.job.order.transfer.line",
        "write",
        ids=wizard_lines,
        vals={"qty_to_transfer": 1.0},
    )
    result = call("mrp.job.order.transfer", "action_validate", ids=[wizard])
    if result is not True:
        assert_action(result)
    assert job_lines(admin, order)[demo["chair"]]["qty_transferred"] == 1.0
    assert job_order(admin, order)["state"] == "in_progress"


def test_action_backflush_and_its_wizard(call, admin, demo):
    # two products: a multi-product job order (a mono one refuses a second product)
    order = new_job_order(
        admin,
        [(demo["chair"], 3.0), (demo["bookshelf"], 2.0)],
        transfer=True,
        mode="multi",
    )
    result = assert_action(
        call("mrp.job.order", "action_backflush", ids=[order]),
        "mrp.job.order.backflush",
        "ir.actions.act_window",
    )
    assert result["context"]["default_job_order_id"] == order
    assert not result["context"].get("default_reverse")
    # opening the wizard changes nothing
    assert {p: line["qty_produced"] for p, line in job_lines(admin, order).items()} == {
        demo["chair"]: 0.0,
        demo["bookshelf"]: 0.0,
    }

    # the wizard as the action asks for it: 2 of the 3 chairs, both bookshelves
    wizard = admin(
        "mrp.job.order.backflush", "create", vals_list=[{}], context=result["context"]
    )[0]
    wizard_lines = admin(
        "mrp.job.order.backflush.line",
        "search_read",
        domain=[("wizard_id", "=", wizard)],
        fields=["product_id", "qty_to_produce"],
    )
    assert {line["product_id"][0]: line["qty_to_produce"] for line in wizard_lines} == {
        demo["chair"]: 3.0,
        demo["bookshelf"]: 2.0,
    }
    chair_line = [
        line["id"] for line in wizard_lines if line["product_id"][0] == demo["chair"]
    ]
    admin(
        "mrp.job.order.backflush.line",
        "write",
        ids=chair_line,
        vals={"qty_to_produce": 2.0},
    )
    assert_plain(call("mrp.job.order.backflush", "action_validate", ids=[wizard]))
    lines = job_lines(admin, order)
    assert {
        p: (line["qty_produced"], line["qty_remaining"]) for p, line in lines.items()
    } == {demo["chair"]: (2.0, 1.0), demo["bookshelf"]: (2.0, 0.0)}
    assert job_order(admin, order)["state"] == "in_progress"


def test_action_reverse_and_its_wizard(call, admin, demo):
    order = new_job_order(admin, [(demo["chair"], 2.0)], transfer=True)
    wizard = admin(
        "mrp.job.order.backflush",
        "create",
        vals_list=[{}],
        context={"default_job_order_id": order},
    )[0]
    admin("mrp.job.order.backflush", "action_validate", ids=[wizard])
    assert job_order(admin, order)["state"] == "done"

    result = assert_action(
        call("mrp.job.order", "action_reverse", ids=[order]),
        "mrp.job.order.backflush",
        "ir.actions.act_window",
    )
    assert result["context"]["default_job_order_id"] == order
    assert result["context"]["default_reverse"] is True
    assert job_lines(admin, order)[demo["chair"]]["qty_produced"] == 2.0

    wizard = admin(
        "mrp.job.order.backflush", "create", vals_list=[{}], context=result["context"]
    )[0]
    wizard_lines = admin(
        "mrp.job.order.backflush", "read", ids=[wizard], fields=["line_ids"]
    )[0]["line_ids"]
    admin(
        "mrp.job.order.backflush.line",
        "write",
        ids=wizard_lines,
        vals={"qty_to_produce": 1.0},
    )
    assert_plain(call("mrp.job.order.backflush", "action_validate", ids=[wizard]))
    assert job_lines(admin, order)[demo["chair"]]["qty_produced"] == 1.0
    assert job_order(admin, order)["state"] == "in_progress"


def test_action_cancel_and_action_draft(call, admin, demo):
    order = new_job_order(admin, [(demo["chair"], 1.0)], transfer=True)
    assert call("mrp.job.order", "action_cancel", ids=[order]) is True
    assert job_order(admin, order)["state"] == "cancel"
    # the components went back from WIP
    assert job_lines(admin, order)[demo["chair"]]["qty_transferred"] == 0.0
    assert call("mrp.job.order", "action_draft", ids=[order]) is True
    assert job_order(admin, order)["state"] == "draft"


def test_action_purchase_missing(call, admin, demo):
    # far more chairs than any stock: every component is short
    order = new_job_order(admin, [(demo["chair"], 5000.0)], confirm=True)
    name = job_order(admin, order, ["name"])["name"]
    before = count(admin, "purchase.order", [("origin", "=", name)])
    result = assert_action(
        call("mrp.job.order", "action_purchase_missing", ids=[order]), "purchase.order"
    )
    purchases = admin(
        "purchase.order",
        "search_read",
        domain=[("origin", "=", name)],
        fields=["state", "order_line"],
    )
    assert before == 0 and purchases
    assert all(
        purchase["state"] == "draft" and purchase["order_line"]
        for purchase in purchases
    )
    # the action lists what was made
    assert sorted(p["id"] for p in purchases) == sorted(
        admin("purchase.order", "search", domain=result["domain"])
    )
    # asking again buys nothing more: a refusal in words
    with pytest.raises(ApiError) as refused:
        call("mrp.job.order", "action_purchase_missing", ids=[order])
    assert refused.value.kind == "UserError"
    assert count(admin, "purchase.order", [("origin", "=", name)]) == len(purchases)


def test_navigation_actions_of_a_job_order(call, admin, demo):
    order = new_job_order(admin, [(demo["chair"], 1.0)], transfer=True)
    state = job_order(admin, order)["state"]
    pickings = assert_action(
        call("mrp.job.order", "action_view_pickings", ids=[order]), "stock.picking"
    )
    assert pickings.get("res_id") or pickings.get("domain")
    assert_action(call("mrp.job.order", "action_view_moves", ids=[order]), "stock.move")
    assert_action(
        call("mrp.job.order", "action_view_purchases", ids=[order]), "purchase.order"
    )
    labour = assert_action(
        call("mrp.job.order", "action_view_labour", ids=[order]), "mrp.job.order.labour"
    )
    assert labour["context"]["default_job_order_id"] == order
    scrap = assert_action(
        call("mrp.job.order", "action_scrap", ids=[order]), "stock.scrap"
    )
    assert scrap["context"]["default_job_order_id"] == order
    # looking changes nothing
    assert job_order(admin, order)["state"] == state


def test_action_reestimate(call, admin, demo):
    order = new_job_order(admin, [(demo["chair"], 2.0)], confirm=True)
    estimated = job_order(admin, order, ["cost_estimated"])["cost_estimated"]
    assert call("mrp.job.order", "action_reestimate", ids=[order]) is True
    # same prices, same estimate
    assert job_order(admin, order, ["cost_estimated"])[
        "cost_estimated"
    ] == pytest.approx(estimated)


# -- generation ------------------------------------------------------------------


def test_generation_wizard_in_background(call, admin, demo):
    """Queued, not written: this server runs no job runner (see
    test_background_runner.py for one that does); the run is removed after."""
    order, _name, lines = admin.confirmed_sale_order(
        demo["customer"], [(demo["chair"], 3.0)], lead_days=7
    )
    wizard = admin(
        "mrp.job.order.generate",
        "create",
        vals_list=[
            {
                "use_sale": True,
                "use_forecast": False,
                "use_min_stock": False,
                "use_warehouse": False,
                "net_stock": False,
                "mode": "mono",
                "sale_order_ids": [(6, 0, [order])],
            }
        ],
    )[0]
    orders_before = count(admin, "mrp.job.order")
    result = assert_action(
        call("mrp.job.order.generate", "action_generate_background", ids=[wizard]),
        action_type="ir.actions.client",
    )
    run = result["params"]["next"]["res_id"]
    try:
        assert result["tag"] == "display_notification"
        assert result["params"]["next"]["res_model"] == "mrp.job.order.run"
        assert admin.read_one("mrp.job.order.run", run, ["state", "background"]) == {
            "id": run,
            "state": "in_progress",
            "background": True,
        }
        jobs = admin(
            "queue.job",
            "search_read",
            domain=[
                ("model_name", "=", "mrp.job.order.run"),
                ("method_name", "=", "_job_prepare"),
                ("state", "=", "pending"),
            ],
            fields=["records", "channel"],
        )
        assert [job["channel"] for job in jobs if str(run) in str(job["records"])] == [
            "root.mrp_job_order"
        ]
        assert count(admin, "mrp.job.order") == orders_before
        # a second one is refused while it runs, over either protocol
        with pytest.raises(ApiError) as refusal:
            call("mrp.job.order.generate", "action_generate_background", ids=[wizard])
        assert refusal.value.kind == "UserError"
        assert "background generation" in refusal.value.message
    finally:
        admin(
            "queue.job",
            "button_cancelled",
            ids=[
                job["id"]
                for job in admin(
                    "queue.job",
                    "search_read",
                    domain=[("model_name", "=", "mrp.job.order.run")],
                    fields=["records"],
                )
                if str(run) in str(job["records"])
            ],
        )
        admin("mrp.job.order.run", "unlink", ids=[run])


def test_generation_wizard_preview_then_generate(call, admin, demo):
    order, _name, lines = admin.confirmed_sale_order(
        demo["customer"], [(demo["chair"], 2.0), (demo["bookshelf"], 1.0)], lead_days=7
    )
    wizard = admin(
        "mrp.job.order.generate",
        "create",
        vals_list=[
            {
                "use_sale": True,
                "use_forecast": False,
                "use_min_stock": False,
                "use_warehouse": False,
                "net_stock": False,
                "update_existing": False,
                "mode": "multi",
                "group_by": "sale_order",
                "sale_order_ids": [(6, 0, [order])],
            }
        ],
    )[0]
    orders_before = count(admin, "mrp.job.order")

    result = assert_action(
        call("mrp.job.order.generate", "action_preview", ids=[wizard]),
        "mrp.job.order.generate",
    )
    assert result["res_id"] == wizard
    preview = admin(
        "mrp.job.order.generate.line",
        "search_read",
        domain=[("wizard_id", "=", wizard)],
        fields=["sale_line_id", "planned_qty", "selected"],
    )
    assert sorted((row["sale_line_id"][0], row["planned_qty"]) for row in preview) == [
        (lines[0], 2.0),
        (lines[1], 1.0),
    ]
    # a preview writes nothing but itself
    assert count(admin, "mrp.job.order") == orders_before
    assert count(admin, "mrp.job.order.demand", [("sale_line_id", "in", lines)]) == 0

    # untick the proposed job order, tick it again
    group = admin(
        "mrp.job.order.generate.group",
        "search_read",
        domain=[("wizard_id", "=", wizard)],
        fields=["selected", "demand_count"],
    )
    assert [(g["selected"], g["demand_count"]) for g in group] == [(True, 2)]
    result = assert_action(
        call("mrp.job.order.generate.group", "action_unselect", ids=[group[0]["id"]]),
        "mrp.job.order.generate",
    )
    assert result["res_id"] == wizard
    assert admin.read_one(
        "mrp.job.order.generate.group", group[0]["id"], ["selected", "demand_count"]
    ) == {"id": group[0]["id"], "selected": False, "demand_count": 0}
    assert_action(
        call("mrp.job.order.generate.group", "action_select", ids=[group[0]["id"]]),
        "mrp.job.order.generate",
    )
    assert (
        admin.read_one("mrp.job.order.generate.group", group[0]["id"], ["selected"])[
            "selected"
        ]
        is True
    )

    toast = assert_action(
        call("mrp.job.order.generate", "action_generate", ids=[wizard]),
        action_type="ir.actions.client",
    )
    assert toast["tag"] == "display_notification"
    assert toast["params"]["message"].startswith("1 job order(s) created, 0 updated")
    result = assert_action(toast["params"]["next"], "mrp.job.order")
    made = admin(
        "mrp.job.order",
        "search_read",
        domain=result["domain"],
        fields=["mode", "state"],
    )
    assert [(row["mode"], row["state"]) for row in made] == [("multi", "draft")]
    pegging = admin(
        "mrp.job.order.demand",
        "search_read",
        domain=[("sale_line_id", "in", lines)],
        fields=["sale_line_id", "job_order_id", "product_qty"],
    )
    assert sorted(
        (peg["sale_line_id"][0], peg["job_order_id"][0], peg["product_qty"])
        for peg in pegging
    ) == sorted([(lines[0], made[0]["id"], 2.0), (lines[1], made[0]["id"], 1.0)])


def test_profile_run_and_action_run(call, admin, demo):
    order, name, lines = admin.confirmed_sale_order(
        demo["customer"], [(demo["chair"], 1.0)]
    )
    profile = admin(
        "mrp.job.order.profile",
        "create",
        vals_list=[
            {
                "name": "API test %s" % name,
                "use_sale": True,
                "use_forecast": False,
                "use_min_stock": False,
                "use_warehouse": False,
                "net_stock": False,
                "update_existing": False,
                "mode": "mono",
                "sale_order_ids": [(6, 0, [order])],
            }
        ],
    )[0]
    runs_before = count(admin, "mrp.job.order.run", [("profile_id", "=", profile)])

    assert_plain(call("mrp.job.order.profile", "run", ids=[profile]))
    assert (
        count(admin, "mrp.job.order.run", [("profile_id", "=", profile)])
        == runs_before + 1
    )
    pegging = admin(
        "mrp.job.order.demand",
        "search_read",
        domain=[("sale_line_id", "in", lines)],
        fields=["product_qty"],
    )
    assert [peg["product_qty"] for peg in pegging] == [1.0]

    # the button: runs again (nothing left to plan) and opens the run log
    result = assert_action(
        call("mrp.job.order.profile", "action_run", ids=[profile]), "mrp.job.order.run"
    )
    runs = admin("mrp.job.order.run", "search", domain=result["domain"])
    assert (
        runs
        and count(admin, "mrp.job.order.run", [("profile_id", "=", profile)])
        == runs_before + 2
    )
    # planned once only, however often it runs
    assert count(admin, "mrp.job.order.demand", [("sale_line_id", "in", lines)]) == 1

    first_run = admin(
        "mrp.job.order.run",
        "search",
        domain=[("profile_id", "=", profile)],
        order="id",
        limit=1,
    )
    jobs = assert_action(
        call("mrp.job.order.run", "action_view_job_orders", ids=first_run),
        "mrp.job.order",
    )
    assert len(admin("mrp.job.order", "search", domain=jobs["domain"])) == 1


# -- entry points on other documents ---------------------------------------------


def test_sales_order_entry_points(call, admin, demo):
    order, _name, lines = admin.confirmed_sale_order(
        demo["customer"], [(demo["chair"], 2.0), (demo["bookshelf"], 1.0)]
    )
    orders_before = count(admin, "mrp.job.order")
    result = assert_action(
        call("sale.order", "action_create_job_order", ids=[order]),
        "mrp.job.order.generate",
    )
    # the wizard, previewed on the order's lines; nothing planned yet
    preview = admin(
        "mrp.job.order.generate.line",
        "search_read",
        domain=[("wizard_id", "=", result["res_id"])],
        fields=["sale_line_id"],
    )
    assert sorted(row["sale_line_id"][0] for row in preview) == sorted(lines)
    assert count(admin, "mrp.job.order") == orders_before

    # nothing planned: the list of its job orders is empty
    jobs = assert_action(
        call("sale.order", "action_view_job_orders", ids=[order]), "mrp.job.order"
    )
    assert admin("mrp.job.order", "search", domain=jobs["domain"]) == []

    # generated from the wizard, the order lists its job order; planned in
    # full, not netted against the chairs and bookshelves other tests of
    # this database produced into stock
    admin(
        "mrp.job.order.generate",
        "write",
        ids=[result["res_id"]],
        vals={"net_stock": False},
    )
    admin("mrp.job.order.generate", "action_generate", ids=[result["res_id"]])
    jobs = assert_action(
        call("sale.order", "action_view_job_orders", ids=[order]), "mrp.job.order"
    )
    assert len(admin("mrp.job.order", "search", domain=jobs["domain"])) == 1

    # cancelling the order (Odoo's button; the add-on extends its private
    # _action_cancel) flags the planned demand as excess
    assert_plain(call("sale.order", "action_cancel", ids=[order]))
    assert admin.read_one("sale.order", order, ["state"])["state"] == "cancel"
    excess = admin(
        "mrp.job.order.demand",
        "search_read",
        domain=[("sale_line_id", "in", lines)],
        fields=["excess_qty", "product_qty"],
    )
    assert excess and all(row["excess_qty"] == row["product_qty"] for row in excess)


def test_pegging_and_coverage_entry_points(call, admin, demo):
    order, name, (chair_line, shelf_line) = admin.confirmed_sale_order(
        demo["customer"], [(demo["chair"], 2.0), (demo["bookshelf"], 1.0)]
    )
    rows = admin(
        "mrp.job.order.coverage",
        "search",
        domain=[("sale_line_id", "in", [chair_line, shelf_line])],
    )
    assert len(rows) == 2
    wizards_before = count(admin, "mrp.job.order.generate")
    # Plan Selected: the wizard, previewed with the chair line ticked only
    chair_row = admin(
        "mrp.job.order.coverage", "search", domain=[("sale_line_id", "=", chair_line)]
    )
    result = assert_action(
        call("mrp.job.order.coverage", "action_plan", ids=chair_row),
        "mrp.job.order.generate",
    )
    ticked = admin(
        "mrp.job.order.generate.line",
        "search_read",
        domain=[("wizard_id", "=", result["res_id"]), ("selected", "=", True)],
        fields=["sale_line_id"],
    )
    assert [row["sale_line_id"][0] for row in ticked] == [chair_line]
    # on a job order of its own, not netted against stock
    admin(
        "mrp.job.order.generate",
        "write",
        ids=[result["res_id"]],
        vals={"net_stock": False, "update_existing": False},
    )
    admin("mrp.job.order.generate", "action_generate", ids=[result["res_id"]])
    # planned in full: planning it again is refused, and nothing is made
    made = count(admin, "mrp.job.order.generate")
    assert made == wizards_before + 1
    with pytest.raises(ApiError) as refused:
        call("mrp.job.order.coverage", "action_plan", ids=chair_row)
    assert (
        refused.value.kind == "UserError" and "Nothing to plan" in refused.value.message
    )
    assert count(admin, "mrp.job.order.generate") == made

    # where is my order: the job order lines of the order, and of its chair line
    lines = assert_action(
        call("sale.order", "action_view_job_order_lines", ids=[order]),
        "mrp.job.order.line",
    )
    job_lines_found = admin(
        "mrp.job.order.line",
        "search_read",
        domain=lines["domain"],
        fields=["product_id", "product_qty"],
    )
    assert [(row["product_id"][0], row["product_qty"]) for row in job_lines_found] == [
        (demo["chair"], 2.0)
    ]
    assert name in lines["name"]
    of_line = assert_action(
        call("sale.order.line", "action_view_job_order_lines", ids=[chair_line]),
        "mrp.job.order.line",
    )
    assert admin("mrp.job.order.line", "search", domain=of_line["domain"]) == [
        job_lines_found[0]["id"]
    ]
    none = assert_action(
        call("sale.order.line", "action_view_job_order_lines", ids=[shelf_line]),
        "mrp.job.order.line",
    )
    assert admin("mrp.job.order.line", "search", domain=none["domain"]) == []
    # a deleted line: refused in words
    with pytest.raises(ApiError) as refused:
        call("sale.order.line", "action_view_job_order_lines", ids=[987654321])
    assert refused.value.kind == "UserError"
    assert "987654321 is not a sales order line id" in refused.value.message


def test_bill_of_materials_entry_points(call, admin, demo):
    bom = demo["bom_chair"]
    assert_action(call("mrp.bom", "action_view_job_orders", ids=[bom]), "mrp.job.order")
    new = assert_action(
        call("mrp.bom", "action_create_job_order", ids=[bom]), "mrp.job.order"
    )
    assert new["context"]["default_line_ids"][0][2]["bom_id"] == bom

    # Add to inventory from the BOM: a one-step job order, done
    source = admin.ref("stock.stock_location_stock")
    admin.components_in_stock(demo["chair"], 1.0, source)
    wizard = admin(
        "mrp.bom.produce",
        "create",
        vals_list=[{"product_qty": 1.0}],
        context={"default_bom_id": bom},
    )[0]
    result = assert_action(
        call("mrp.bom.produce", "action_produce", ids=[wizard]), "mrp.job.order"
    )
    values = job_order(admin, result["res_id"], ["state", "mode"])
    assert (values["state"], values["mode"]) == ("done", "mono")
    assert job_lines(admin, result["res_id"])[demo["chair"]]["qty_produced"] == 1.0


def test_product_entry_points(call, admin, demo):
    template = admin.read_one("product.product", demo["chair"], ["product_tmpl_id"])[
        "product_tmpl_id"
    ][0]
    assert_action(
        call("product.template", "action_view_job_orders", ids=[template]),
        "mrp.job.order",
    )
    assert_action(
        call("product.product", "action_view_job_orders", ids=[demo["chair"]]),
        "mrp.job.order",
    )
    result = assert_action(
        call(
            "product.product",
            "action_create_job_order",
            ids=[demo["chair"], demo["bookshelf"]],
        ),
        "mrp.job.order.generate",
    )
    wizard = admin.read_one(
        "mrp.job.order.generate", result["res_id"], ["product_ids", "manual_line_ids"]
    )
    assert sorted(wizard["product_ids"]) == sorted([demo["chair"], demo["bookshelf"]])
    assert len(wizard["manual_line_ids"]) == 2


def test_purchase_order_entry_point(call, admin, demo):
    purchase = admin(
        "purchase.order",
        "create",
        vals_list=[
            {
                "partner_id": demo["vendor"],
                "order_line": [
                    (0, 0, {"product_id": demo["chair"], "product_qty": 4.0})
                ],
            }
        ],
    )[0]
    orders_before = count(admin, "mrp.job.order")
    result = assert_action(
        call("purchase.order", "action_create_job_order", ids=[purchase]),
        "mrp.job.order.generate",
    )
    manual = admin(
        "mrp.job.order.generate.manual",
        "search_read",
        domain=[("wizard_id", "=", result["res_id"])],
        fields=["product_id", "product_qty"],
    )
    assert [(row["product_id"][0], row["product_qty"]) for row in manual] == [
        (demo["chair"], 4.0)
    ]
    assert count(admin, "mrp.job.order") == orders_before


# -- every public method is in the contract ---------------------------------------

# (model, method) -> the test above that calls it over both protocols
COVERED = {
    ("mrp.job.order", "action_confirm"): test_action_confirm,
    ("mrp.job.order", "action_transfer"): test_action_transfer,
    ("mrp.job.order", "action_backflush"): test_action_backflush_and_its_wizard,
    ("mrp.job.order", "action_reverse"): test_action_reverse_and_its_wizard,
    ("mrp.job.order", "action_cancel"): test_action_cancel_and_action_draft,
    ("mrp.job.order", "action_draft"): test_action_cancel_and_action_draft,
    ("mrp.job.order", "action_purchase_missing"): test_action_purchase_missing,
    ("mrp.job.order", "action_view_pickings"): test_navigation_actions_of_a_job_order,
    ("mrp.job.order", "action_view_moves"): test_navigation_actions_of_a_job_order,
    ("mrp.job.order", "action_view_purchases"): test_navigation_actions_of_a_job_order,
    ("mrp.job.order", "action_view_labour"): test_navigation_actions_of_a_job_order,
    ("mrp.job.order", "action_scrap"): test_navigation_actions_of_a_job_order,
    ("mrp.job.order", "action_reestimate"): test_action_reestimate,
    (
        "mrp.job.order.backflush",
        "action_validate",
    ): test_action_backflush_and_its_wizard,
    ("mrp.job.order.transfer", "action_validate"): test_transfer_wizard_action_validate,
    (
        "mrp.job.order.generate",
        "action_preview",
    ): test_generation_wizard_preview_then_generate,
    (
        "mrp.job.order.generate",
        "action_generate",
    ): test_generation_wizard_preview_then_generate,
    (
        "mrp.job.order.generate.group",
        "action_select",
    ): test_generation_wizard_preview_then_generate,
    (
        "mrp.job.order.generate.group",
        "action_unselect",
    ): test_generation_wizard_preview_then_generate,
    (
        "mrp.job.order.generate",
        "action_generate_background",
    ): test_generation_wizard_in_background,
    ("mrp.job.order.profile", "run"): test_profile_run_and_action_run,
    ("mrp.job.order.profile", "action_run"): test_profile_run_and_action_run,
    ("mrp.job.order.run", "action_view_job_orders"): test_profile_run_and_action_run,
    ("sale.order", "action_create_job_order"): test_sales_order_entry_points,
    ("sale.order", "action_view_job_orders"): test_sales_order_entry_points,
    (
        "sale.order",
        "action_view_job_order_lines",
    ): test_pegging_and_coverage_entry_points,
    (
        "sale.order.line",
        "action_view_job_order_lines",
    ): test_pegging_and_coverage_entry_points,
    ("mrp.job.order.coverage", "action_plan"): test_pegging_and_coverage_entry_points,
    ("mrp.bom", "action_view_job_orders"): test_bill_of_materials_entry_points,
    ("mrp.bom", "action_create_job_order"): test_bill_of_materials_entry_points,
    ("mrp.bom.produce", "action_produce"): test_bill_of_materials_entry_points,
    ("product.template", "action_view_job_orders"): test_product_entry_points,
    ("product.product", "action_view_job_orders"): test_product_entry_points,
    ("product.product", "action_create_job_order"): test_product_entry_points,
    ("purchase.order", "action_create_job_order"): test_purchase_order_entry_point,
}
# public names that are not entry points: the ORM's own methods the add-on
# extends (called by Odoo with Odoo's contract), and framework hooks
ORM_METHODS = {
    "create",
    "write",
    "unlink",
    "copy",
    "copy_data",
    "default_get",
    "read",
    "search",
    "name_get",
    "name_search",
    "fields_get",
    "get_views",
    "onchange",
    "web_read",
    "web_save",
    "toggle_active",
    "action_archive",
    "action_unarchive",
}
FRAMEWORK_HOOKS = {
    # report_xlsx calls it with an xlsxwriter workbook: not callable from outside
    "generate_xlsx_report",
}


def _decorators(node):
    names = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        names.add(getattr(target, "attr", getattr(target, "id", "")))
    return names


def public_methods():
    """{(model, method)} of every public method the add-on's Python defines
    (models, wizards, reports)."""
    found = set()
    for folder in ("models", "wizards", "reports"):
        directory = os.path.join(REPO, folder)
        for filename in sorted(os.listdir(directory)):
            if not filename.endswith(".py"):
                continue
            with open(os.path.join(directory, filename)) as handle:
                tree = ast.parse(handle.read(), filename)
            for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
                attrs = {}
                for statement in cls.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and len(statement.targets) == 1
                        and isinstance(statement.targets[0], ast.Name)
                    ):
                        # only literal class attributes (_name, _inherit)
                        # matter here; the others (fields...) are not read
                        with contextlib.suppress(ValueError):
                            attrs[statement.targets[0].id] = ast.literal_eval(
                                statement.value
                            )
                model = attrs.get("_name") or attrs.get("_inherit")
                if isinstance(model, (list, tuple)):
                    model = model[0] if len(model) == 1 else None
                if not model:
                    continue
                for node in cls.body:
                    if (
                        isinstance(node, ast.FunctionDef)
                        and not node.name.startswith("_")
                        and not _decorators(node)
                        & {"onchange", "depends", "constrains", "staticmethod"}
                    ):
                        found.add((model, node.name))
    return found


def test_every_public_method_is_in_the_contract():
    found = public_methods()
    assert ("mrp.job.order", "action_confirm") in found, "the scan found nothing"
    missing = sorted(
        "%s.%s" % key
        for key in found
        if key not in COVERED and key[1] not in ORM_METHODS | FRAMEWORK_HOOKS
    )
    assert missing == [], (
        "public methods without a JSON-2/XML-RPC test in %s: add one"
        % os.path.basename(__file__)
    )
    gone = sorted("%s.%s" % key for key in COVERED if key not in found)
    assert gone == [], "tested methods the add-on no longer defines: %s" % gone
