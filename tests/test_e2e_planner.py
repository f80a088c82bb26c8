"""The planner's day in a real browser (Chromium, Playwright) against a real
server, in Odoo 19's web client: plan a sales order from its "Create
Production Order" button and run the job order to a partial backflush and
its cost report; and generate mono job orders from the menu wizard.  Every
step asserts what the screen shows, JSON-2 checks what the database holds,
and neither the browser nor the server may report an error.

The server is a separate process: what the browser does is committed.  Each
test makes its own sales order (of demo products) and asserts on the records
it made, so the tests depend neither on each other, nor on their order, nor
on earlier runs in the same database.  They take screenshots of the main
screens into $MRP_JOB_ORDER_SCREENSHOTS (default .build/screenshots; the
app page's pictures in static/description/ are refreshed from there on
purpose, never by a test run).
"""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright

from .e2e_helpers import (
    VIEWPORT,
    Json2,
    Ui,
    Watch,
    api_key,
    failure_screenshot,
    log_size,
    number,
    server_log_errors,
)
from .server import launch_chromium

FORM = ".o_action_manager .o_form_view"
JOB_ORDER_LINES = FORM + " .o_field_one2many[name=line_ids] tbody tr.o_data_row"
ORDER_LINES = FORM + " .o_field_one2many[name=order_line] tbody tr.o_data_row"
CHAIR, SHELF, TABLE = (
    "[FUR-CHAIR] Beech Chair",
    "[FUR-BOOKSHELF] Pine Bookshelf",
    "[FUR-TABLE] Oak Dining Table",
)


@pytest.fixture(scope="module")
def admin(server):
    return Json2(server.url, server.db, api_key(server.db, "admin"))


@pytest.fixture(scope="module")
def report_assets(server, admin):
    """Print a cost report once before any browser session: the first PDF
    of a database compiles Odoo's report asset bundle, and compiling it
    clears the registry's caches while wkhtmltopdf and the browser are
    calling the server; the browser's next request then came back "Session
    expired" now and then.  A planner prints after the bundle exists; so
    does the test.  The report must be a PDF."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    login = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": server.db, "login": "admin", "password": "admin"},
        }
    ).encode()
    answer = json.loads(
        opener.open(
            urllib.request.Request(
                server.url + "/web/session/authenticate",
                data=login,
                headers={"Content-Type": "application/json"},
            ),
            timeout=60,
        )
        .read()
        .decode()
    )
    assert answer.get("result", {}).get("uid"), answer
    order_id = admin("mrp.job.order", "search", domain=[], limit=1)[0]
    pdf = opener.open(
        "%s/report/pdf/mrp_job_order.report_job_order_cost/%d" % (server.url, order_id),
        timeout=240,
    ).read()
    assert pdf.startswith(b"%PDF-")


@pytest.fixture(scope="module")
def ids(admin):
    """Demo records the tests build on."""
    return {
        "chair": admin.ref("mrp_job_order.product_chair"),
        "bookshelf": admin.ref("mrp_job_order.product_bookshelf"),
        "table": admin.ref("mrp_job_order.product_dining_table"),
        "stock": admin.ref("stock.stock_location_stock"),
    }


@pytest.fixture
def ui(server, report_assets, request):
    """The planner's browser page (1280 x 800), watched: after the test,
    neither the browser nor the server may have reported an error.  A failed
    test leaves what the page showed in .build/logs/e2e-<test>.png."""
    offset = log_size(server)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_context(viewport=VIEWPORT, accept_downloads=True).new_page()
        watch = Watch(page)
        failed_before = request.session.testsfailed
        try:
            yield Ui(page, server.url)
            if request.session.testsfailed > failed_before:
                failure_screenshot(page, request.node.name)
        finally:
            browser.close()
    assert watch.problems == []
    assert server_log_errors(server, offset) == []


def by_product(table, products):
    """{product: cells} of ``table`` ({shown text: cells}), each product
    found by its name in the text shown (``[CODE] Name`` or the bare name)."""
    found = {}
    for product in products:
        bare = re.sub(r"^\[[^\]]*\]\s*", "", product)
        rows = [
            cells for text, cells in table.items() if text == product or bare in text
        ]
        assert len(rows) == 1, "%s: %d rows in %s" % (product, len(rows), list(table))
        found[product] = rows[0]
    assert len(found) == len(table), "rows of other products: %s" % list(table)
    return found


def line_quantities(ui):
    """{product: (quantity, transferred, produced)} of the job order on screen."""
    return {
        product: tuple(
            number(cells[field])
            for field in ("product_qty", "qty_transferred", "qty_produced")
        )
        for product, cells in ui.table(ui.page.locator(JOB_ORDER_LINES)).items()
    }


def test_sales_order_to_partial_backflush_and_cost_report(admin, ids, ui):
    page = ui.page
    # a confirmed order of three products made here; the table will be unticked
    partner = admin.customer_named("Osteria del Ponte", city="Verona")
    order_id, order_name, (chair_line, shelf_line, table_line) = (
        admin.confirmed_sale_order(
            partner,
            [(ids["chair"], 3.0), (ids["bookshelf"], 2.0), (ids["table"], 1.0)],
            lead_days=14,
            client_order_ref="Terrace and reading corner",
        )
    )
    for product, qty in (("chair", 3.0), ("bookshelf", 2.0)):
        admin.components_in_stock(ids[product], qty, ids["stock"])

    # the planner opens the order from Sales > Orders > Orders
    ui.login("planner", "planner")
    ui.menu(
        "sale.sale_menu_root",
        "sale.sale_order_menu",
        "sale.menu_sale_order",
        title="Sales Orders",
    )
    ui.search(order_name)
    ui.open_row(order_name)
    assert ui.state() == "sale"
    button = ui.header_button("action_create_job_order")
    button.wait_for()
    assert button.inner_text().strip() == "Create Production Order"
    ui.screenshot("sale_order")

    # the wizard opens on the order's lines, previewed, multi-product
    button.click()
    wizard = ui.wait_modal()
    rows = ui.modal_rows("line_ids")
    shown = by_product(ui.table(rows), [CHAIR, SHELF, TABLE])
    assert all(cells["selected"] is True for cells in shown.values())
    assert page.is_checked(
        wizard + " .o_field_radio[name=mode] input[data-value=multi]"
    )
    assert ui.field_text("sale_order_ids", wizard) == order_name
    # planned in full: not netted against stock or job orders already open
    page.uncheck(wizard + " .o_field_boolean[name=net_stock] input")
    # leave the table out: select its row, untick it
    table_row = rows.filter(has_text=TABLE.split("] ")[1])
    ui.cell(table_row, "source").click()
    page.uncheck(wizard + " tr.o_selected_row td[name=selected] input")
    wizard = ui.wizard_button("action_preview")
    ui.wait_modal()
    rows = ui.modal_rows("line_ids")
    shown = by_product(ui.table(rows), [CHAIR, SHELF, TABLE])
    proposal = "Multi: Osteria del Ponte, %s (WH)" % order_name
    for product, qty in ((CHAIR, 3.0), (SHELF, 2.0)):
        assert (
            number(shown[product]["planned_qty"]),
            shown[product]["proposal"],
            shown[product]["reason"],
            shown[product]["selected"],
        ) == (qty, proposal, "", True)
    assert (
        number(shown[TABLE]["planned_qty"]),
        shown[TABLE]["proposal"],
        shown[TABLE]["reason"],
        shown[TABLE]["selected"],
    ) == (0.0, "", "Unticked in the preview.", False)
    assert ui.field_text("summary", wizard).startswith(
        "1 job order(s) with 2 line(s) proposed; 1 demand line(s) not planned."
    )
    # the proposed job order, with its totals and a button to untick it whole
    groups = ui.modal_rows("group_ids")
    expect(groups).to_have_count(1)
    group = ui.cells(groups.first)
    assert (group["name"], group["demand_count"], number(group["planned_qty"])) == (
        proposal,
        "2",
        5.0,
    )
    assert groups.first.locator("button[name=action_unselect]").is_visible()
    rows.last.scroll_into_view_if_needed()
    ui.screenshot("preview")

    # generate: the list of the job orders made, titled with what happened
    # (the unticked line is the planner's choice, not a skipped demand)
    ui.mark_screen()
    ui.wizard_button("action_generate")
    ui.wait_no_modal()
    ui.wait_title(
        r"^\s*1 job order\(s\) created, 0 updated, 0 demand line\(s\) skipped"
    )
    # a toast says the same, with the way to the run log
    toast = ui.page.locator(".o_notification", has_text="1 job order(s) created").first
    toast.wait_for()
    assert (
        toast.locator("a", has_text="run log")
        .get_attribute("href")
        .startswith("/odoo/action-mrp_job_order.action_mrp_job_order_run/")
    )
    rows = ui.wait_rows(1)
    assert rows.count() == 1
    listed = ui.cells(rows.first)
    assert (listed["mode"], listed["partner_id"], listed["state"]) == (
        "Multi-product",
        "Osteria del Ponte",
        "Draft",
    )
    assert number(listed["product_qty"]) == 5.0
    ui.open_row("Osteria del Ponte")

    # the job order: two lines, draft
    assert ui.state() == "draft"
    name = ui.field_text("name")
    assert name == listed["name"]
    assert ui.field_text("sale_order_ids") == order_name
    assert line_quantities(ui) == {CHAIR: (3.0, 0.0, 0.0), SHELF: (2.0, 0.0, 0.0)}

    # confirm, then every component to WIP
    ui.header_button("action_confirm").click()
    ui.wait_state("confirmed")
    ui.header_button("action_transfer").click()
    ui.wait_state("in_progress")
    assert line_quantities(ui) == {CHAIR: (3.0, 3.0, 0.0), SHELF: (2.0, 2.0, 0.0)}

    # backflush part: 2 of the 3 chairs (the wizard proposes 3), both bookshelves
    ui.header_button("action_backflush").click()
    ui.wait_modal()
    rows = ui.modal_rows("line_ids")
    shown = by_product(ui.table(rows), [CHAIR, SHELF])
    assert {
        product: number(cells["qty_to_produce"]) for product, cells in shown.items()
    } == {CHAIR: 3.0, SHELF: 2.0}
    ui.edit_cell(rows.filter(has_text="Beech Chair"), "qty_to_produce", "2")
    ui.wizard_button("action_validate")
    ui.wait_no_modal()
    ui.wait_cell(
        page.locator(JOB_ORDER_LINES).filter(has_text="Beech Chair"), "qty_produced", 2
    )
    assert line_quantities(ui) == {CHAIR: (3.0, 3.0, 2.0), SHELF: (2.0, 2.0, 2.0)}
    assert ui.state() == "in_progress"
    assert (
        number(ui.field_text("qty_produced", ".o_action_manager .oe_subtotal_footer"))
        == 4.0
    )
    ui.screenshot("job_order_form")

    # the cost report: Print > Cost Report downloads a PDF
    with (
        page.expect_download(timeout=120000) as download,
        page.expect_response(
            lambda response: "/report/download" in response.url, timeout=120000
        ) as answer,
    ):
        ui.print_menu("Cost Report")
    assert answer.value.status == 200
    assert answer.value.headers["content-type"].startswith("application/pdf")
    assert (
        download.value.suggested_filename
        == "Job Order Costs - %s.pdf" % name.replace("/", "_")
    )
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read().startswith(b"%PDF-")
    # Debian's wkhtmltopdf draws the text as outlines: read the same report
    # as HTML, with the planner's session
    job_order_id = admin("mrp.job.order", "search", domain=[("name", "=", name)])[0]
    html = page.request.get(
        "%s/report/html/mrp_job_order.report_job_order_cost/%d" % (ui.url, job_order_id)
    )
    assert html.status == 200
    text = html.text()
    assert name in text and "Beech Chair" in text and "Pine Bookshelf" in text
    ui.idle()

    # back on the sales order: planned and produced per line, the table not planned
    ui.mark_screen()
    page.locator(".o_control_panel .breadcrumb-item a", has_text=order_name).click()
    ui.wait_breadcrumb(r"^\s*%s\s*$" % re.escape(order_name))
    page.wait_for_selector(".o_action_manager .o_form_view")
    ui.idle()
    assert (
        page.inner_text(
            ".o_action_manager .o_form_view .o_field_widget[name=job_order_count]"
            " .o_stat_value"
        ).strip()
        == "1"
    )
    table = (
        ui.table(page.locator(ORDER_LINES), key="product_template_id")
        if page.locator(ORDER_LINES + " td[name=product_template_id]").count()
        else ui.table(page.locator(ORDER_LINES))
    )
    assert {
        product: (number(cells["qty_planned"]), number(cells["qty_produced_job"]))
        for product, cells in by_product(table, [CHAIR, SHELF, TABLE]).items()
    } == {CHAIR: (3.0, 2.0), SHELF: (2.0, 2.0), TABLE: (0.0, 0.0)}

    # the database agrees
    job_order_ids = admin(
        "mrp.job.order", "search", domain=[("sale_order_ids", "in", [order_id])]
    )
    assert job_order_ids == [job_order_id]
    job_order = admin.read_one(
        "mrp.job.order",
        job_order_id,
        [
            "name",
            "state",
            "mode",
            "partner_id",
            "origin",
            "line_ids",
            "product_qty",
            "qty_produced",
        ],
    )
    assert (
        job_order["name"],
        job_order["state"],
        job_order["mode"],
        job_order["partner_id"][0],
    ) == (name, "in_progress", "multi", partner)
    assert order_name in job_order["origin"]
    assert (job_order["product_qty"], job_order["qty_produced"]) == (5.0, 4.0)
    lines = {
        line["product_id"][0]: line
        for line in admin(
            "mrp.job.order.line",
            "read",
            ids=job_order["line_ids"],
            fields=[
                "product_id",
                "product_qty",
                "qty_transferred",
                "qty_produced",
                "qty_remaining",
            ],
        )
    }
    assert {
        product: (
            line["product_qty"],
            line["qty_transferred"],
            line["qty_produced"],
            line["qty_remaining"],
        )
        for product, line in lines.items()
    } == {ids["chair"]: (3.0, 3.0, 2.0, 1.0), ids["bookshelf"]: (2.0, 2.0, 2.0, 0.0)}
    # pegged: the ticked lines in full, nothing for the unticked one
    pegging = admin(
        "mrp.job.order.demand",
        "search_read",
        domain=[("sale_line_id", "in", [chair_line, shelf_line, table_line])],
        fields=["sale_line_id", "line_id", "source", "product_qty"],
    )
    assert sorted(
        (peg["sale_line_id"][0], peg["line_id"][0], peg["source"], peg["product_qty"])
        for peg in pegging
    ) == sorted(
        [
            (chair_line, lines[ids["chair"]]["id"], "sale", 3.0),
            (shelf_line, lines[ids["bookshelf"]]["id"], "sale", 2.0),
        ]
    )


def test_generation_wizard_from_the_menu_in_mono_mode(admin, ids, ui):
    page = ui.page
    # a confirmed order with two products made here, a service and a product
    # without a bill of materials
    partner = admin.customer_named("Caffè Centrale", city="Parma")
    service = admin.product_named("On-site Assembly", type="service", list_price=45.0)
    tray = admin.product_named(
        "Oak Serving Tray", type="consu", is_storable=True, list_price=39.0
    )
    assert not admin(
        "mrp.bom", "search", domain=[("product_tmpl_id.product_variant_ids", "=", tray)]
    )
    order_id, order_name, order_lines = admin.confirmed_sale_order(
        partner,
        [(ids["chair"], 4.0), (ids["bookshelf"], 1.0), (service, 2.0), (tray, 6.0)],
        lead_days=10,
    )

    # Manufacturing > Job Orders > Generate Job Orders
    ui.login("planner", "planner")
    ui.menu(
        "mrp.menu_mrp_root",
        "mrp_job_order.menu_mrp_job_order_root",
        "mrp_job_order.menu_mrp_job_order_generate",
    )
    wizard = ui.wait_modal()
    assert page.inner_text(wizard + " .modal-title").strip() == "Generate Job Orders"
    page.check(wizard + " .o_field_radio[name=mode] input[data-value=mono]")
    page.wait_for_selector(wizard + " .o_field_widget[name=group_by]", state="hidden")
    for source, wanted in (
        ("use_sale", True),
        ("use_forecast", False),
        ("use_min_stock", False),
        ("use_warehouse", False),
    ):
        page.set_checked(wizard + " .o_field_boolean[name=%s] input" % source, wanted)
    page.uncheck(wizard + " .o_field_boolean[name=net_stock] input")
    # new job orders only: the job orders of earlier runs stay as they are
    page.uncheck(wizard + " .o_field_boolean[name=update_existing] input")
    ui.add_tag(wizard, "sale_order_ids", order_name)

    # preview: what will be planned, and why the rest will not
    wizard = ui.wizard_button("action_preview")
    ui.wait_modal()
    assert page.is_checked(wizard + " .o_field_radio[name=mode] input[data-value=mono]")
    rows = ui.modal_rows("line_ids")
    shown = by_product(
        ui.table(rows), [CHAIR, SHELF, "On-site Assembly", "Oak Serving Tray"]
    )
    assert {
        product: (
            number(cells["product_qty"]),
            number(cells["planned_qty"]),
            cells["proposal"],
            cells["reason"],
        )
        for product, cells in shown.items()
    } == {
        CHAIR: (4.0, 4.0, "Mono: %s (WH)" % CHAIR, ""),
        SHELF: (1.0, 1.0, "Mono: %s (WH)" % SHELF, ""),
        "On-site Assembly": (2.0, 0.0, "", "A service is not manufactured."),
        "Oak Serving Tray": (
            6.0,
            0.0,
            "",
            "No bill of materials of this company makes this product.",
        ),
    }
    assert all(
        cells["reference"] == order_name and cells["partner_id"] == "Caffè Centrale"
        for cells in shown.values()
    )
    assert ui.field_text("summary", wizard).startswith(
        "2 job order(s) with 2 line(s) proposed; 2 demand line(s) not planned."
    )
    rows.last.scroll_into_view_if_needed()
    ui.screenshot("generate_wizard")

    # generate: two mono-product job orders, listed
    ui.mark_screen()
    ui.wizard_button("action_generate")
    ui.wait_no_modal()
    ui.wait_title(
        r"^\s*2 job order\(s\) created, 0 updated, 2 demand line\(s\) skipped"
    )
    listed = by_product(ui.table(ui.wait_rows(2)), [CHAIR, SHELF])
    assert {
        product: (
            cells["mode"],
            cells["partner_id"],
            cells["state"],
            number(cells["product_qty"]),
        )
        for product, cells in listed.items()
    } == {
        CHAIR: ("Mono-product", "Caffè Centrale", "Draft", 4.0),
        SHELF: ("Mono-product", "Caffè Centrale", "Draft", 1.0),
    }

    # the database agrees: one draft mono job order per product, pegged to
    # its sales order line; nothing for the service and the tray
    pegging = admin(
        "mrp.job.order.demand",
        "search_read",
        domain=[("sale_line_id", "in", order_lines)],
        fields=["sale_line_id", "job_order_id", "product_qty"],
    )
    assert sorted((peg["sale_line_id"][0], peg["product_qty"]) for peg in pegging) == [
        (order_lines[0], 4.0),
        (order_lines[1], 1.0),
    ]
    job_orders = admin(
        "mrp.job.order",
        "read",
        ids=[peg["job_order_id"][0] for peg in pegging],
        fields=[
            "name",
            "mode",
            "state",
            "product_id",
            "product_qty",
            "origin",
            "partner_id",
        ],
    )
    assert sorted(
        (jo["name"], jo["mode"], jo["state"], jo["product_id"][0], jo["product_qty"])
        for jo in job_orders
    ) == sorted(
        (listed[product]["name"], "mono", "draft", ids[key], qty)
        for product, key, qty in ((CHAIR, "chair", 4.0), (SHELF, "bookshelf", 1.0))
    )
    assert all(
        order_name in jo["origin"] and jo["partner_id"][0] == partner
        for jo in job_orders
    )

    # every job order of the plant, as a list and as cards by state
    ui.menu(
        "mrp.menu_mrp_root",
        "mrp_job_order.menu_mrp_job_order_root",
        "mrp_job_order.menu_mrp_job_order",
        title="Production Job Orders",
    )
    reference = listed[CHAIR]["name"]
    ui.search(reference)
    assert ui.row(reference).count() == 1
    ui.screenshot("job_order_list")
    ui.switch_view("kanban")
    columns = page.locator(".o_action_manager .o_kanban_view .o_kanban_group")
    assert (
        columns.filter(has_text=reference)
        .locator(".o_column_title")
        .inner_text()
        .strip()
        .startswith("Draft")
    )
    ui.screenshot("job_order_kanban")
