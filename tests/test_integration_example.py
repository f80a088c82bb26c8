"""The integrators' example (``examples/plan_and_backflush.py``, shown in
the README's "Integrations" section) run as they would run it: a separate
Python process against a real server, with an API key of the demo planner,
then the database read back.

The example plans a confirmed sales order of chairs and bookshelves, and
backflushes at most two of each line: the test checks that one job order
was made, pegged to both order lines for their full quantities, and that two
chairs of three and both bookshelves were produced.
"""

import os
import subprocess
import sys

import pytest

from .e2e_helpers import Json2, api_key
from .server import REPO

EXAMPLE = os.path.join(REPO, "examples", "plan_and_backflush.py")


@pytest.fixture(scope="module")
def admin(server):
    """JSON-2 as the administrator: to prepare the order and read back."""
    return Json2(server.url, server.db, api_key(server.db, "admin"))


def run_example(server, key, *args):
    # the example needs nothing but Python's standard library: run it with a
    # bare interpreter of the system (isolated mode: no venv, no site paths)
    python = (
        "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    )
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ODOO_API_KEY": key}
    return subprocess.run(
        [python, "-I", EXAMPLE, "--url", server.url, "--db", server.db, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_example_plans_a_sales_order_and_backflushes_its_job_order(server, admin):
    chair = admin.ref("mrp_job_order.product_chair")
    shelf = admin.ref("mrp_job_order.product_bookshelf")
    customer = admin.ref("mrp_job_order.partner_trattoria")
    order, name, lines = admin.confirmed_sale_order(
        customer, [(chair, 3.0), (shelf, 2.0)]
    )
    # the components of what the order needs, where job orders take them from
    stock = admin.ref("stock.stock_location_stock")
    admin.components_in_stock(chair, 3.0, stock)
    admin.components_in_stock(shelf, 2.0, stock)
    assert (
        admin(
            "mrp.job.order.demand",
            "search_count",
            domain=[("sale_line_id", "in", lines)],
        )
        == 0
    )

    result = run_example(
        server, api_key(server.db, "planner"), "--no-net-stock", "--at-most", "2", name
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""

    pegging = admin(
        "mrp.job.order.demand",
        "search_read",
        domain=[("sale_line_id", "in", lines)],
        fields=["sale_line_id", "job_order_id", "product_qty"],
    )
    orders = {peg["job_order_id"][0] for peg in pegging}
    assert len(orders) == 1
    job_order = orders.pop()
    assert sorted(
        (peg["sale_line_id"][0], peg["product_qty"]) for peg in pegging
    ) == sorted([(lines[0], 3.0), (lines[1], 2.0)])
    # the order's own view of it: one job order covers it
    assert admin.read_one("sale.order", order, ["job_order_ids"])["job_order_ids"] == [
        job_order
    ]

    values = admin.read_one("mrp.job.order", job_order, ["name", "state", "create_uid"])
    assert values["state"] == "in_progress"
    # made by the planner whose key the example used
    assert values["create_uid"][0] == admin.ref("mrp_job_order.user_planner")
    produced = {
        row["product_id"][0]: (row["product_qty"], row["qty_produced"])
        for row in admin(
            "mrp.job.order.line",
            "search_read",
            domain=[("job_order_id", "=", job_order)],
            fields=["product_id", "product_qty", "qty_produced"],
        )
    }
    assert produced == {chair: (3.0, 2.0), shelf: (2.0, 2.0)}
    # the example's report says the same
    assert values["name"] in result.stdout
    assert "produced 2 of 3" in result.stdout and "produced 2 of 2" in result.stdout


def test_a_refusal_is_reported_in_the_planners_words(server, admin):
    """Planning the same order twice: nothing is left to plan, the server
    says so, and the example passes its words on with exit status 2."""
    chair = admin.ref("mrp_job_order.product_chair")
    customer = admin.ref("mrp_job_order.partner_trattoria")
    _order, name, lines = admin.confirmed_sale_order(customer, [(chair, 1.0)])
    admin.components_in_stock(chair, 1.0, admin.ref("stock.stock_location_stock"))
    key = api_key(server.db, "planner")
    first = run_example(server, key, "--no-net-stock", name)
    assert first.returncode == 0, first.stdout + first.stderr
    orders = admin("mrp.job.order", "search_count", domain=[])

    second = run_example(server, key, "--no-net-stock", name)
    assert second.returncode == 2, second.stdout + second.stderr
    assert second.stderr.startswith("refused: UserError: ")
    assert "Traceback" not in second.stderr
    assert admin("mrp.job.order", "search_count", domain=[]) == orders
    assert (
        admin(
            "mrp.job.order.demand",
            "search_count",
            domain=[("sale_line_id", "in", lines)],
        )
        == 1
    )
