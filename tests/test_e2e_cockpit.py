"""The planner's cockpit in a real browser (Chromium, Playwright) against a
real server, as the three people who use it: a salesperson asks "where is
my order?" from the sales order; a planner plans uncovered demand from the
coverage list and sees what blocks a job order (missing components, when
they come, Purchase Missing); a manager reads coverage as a pivot and a
graph and the late job orders of the plant; and the job order form, the
backflush wizard and the coverage list on a phone (390 x 844).

Every step asserts what the screen shows, JSON-2 checks what the database
holds, and neither the browser nor the server may report an error.  The
tests read the demo data without changing it (JO/00006 is late and short of
components, the Hotel Miramare order is in production) and make their own
orders for what they change, so they depend neither on each other nor on
earlier runs in the same database.  Screenshots (desktop and phone) go to
$MRP_JOB_ORDER_SCREENSHOTS (default .build/screenshots).
"""

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from .e2e_helpers import (
    FIRST_LOAD_TIMEOUT,
    SCREENSHOTS,
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
from .server import OdooServer, launch_chromium

PHONE = {"width": 390, "height": 844}
FORM = ".o_action_manager .o_form_view"
LIST = ".o_action_manager .o_list_view"
COVERAGE = "mrp_job_order.menu_mrp_job_order_coverage"


@pytest.fixture(scope="module")
def server():
    with OdooServer() as running:
        yield running


@pytest.fixture(scope="module")
def admin(server):
    return Json2(server.url, server.db, api_key(server.db, "admin"))


@pytest.fixture(scope="module")
def demo(admin):
    refs = {
        "chair": "mrp_job_order.product_chair",
        "bookshelf": "mrp_job_order.product_bookshelf",
        "table": "mrp_job_order.product_dining_table",
        "stock": "stock.stock_location_stock",
        "miramare": "mrp_job_order.so_hotel_miramare",
        "jo_late": "mrp_job_order.jo_late_tables",
        "jo_in_progress": "mrp_job_order.jo_in_progress_hotel",
        "nordic": "mrp_job_order.partner_nordic_timber",
    }
    return {name: admin.ref(xmlid) for name, xmlid in refs.items()}


def _browser_page(server, request, viewport):
    """(playwright, browser, page, watch) of a new page of ``viewport``."""
    pw = sync_playwright().start()
    browser = launch_chromium(pw)
    page = browser.new_context(viewport=viewport).new_page()
    return pw, browser, page, Watch(page)


@pytest.fixture(scope="module")
def quiet_odoobot(admin):
    """OdooBot's welcome chat, which opens at a user's first visit and
    covers a phone's whole screen, is not what these tests look at: the
    demo users have it behind them (when mail_bot is installed)."""
    if "odoobot_state" in admin("res.users", "fields_get", attributes=["type"]):
        users = admin(
            "res.users",
            "search",
            domain=[("login", "in", ["planner", "sales", "manager"])],
        )
        admin("res.users", "write", ids=users, vals={"odoobot_state": "disabled"})


@pytest.fixture
def session(server, request, quiet_odoobot):
    """``session(viewport)`` -> Ui of a new page (desktop by default),
    watched: after the test neither the browser nor the server may have
    reported an error.  A failed test leaves its pages in .build/logs."""
    offset = log_size(server)
    opened = []

    def open_page(viewport=None):
        if viewport is None:
            viewport = VIEWPORT
        pw, browser, page, watch = _browser_page(server, request, viewport)
        opened.append((pw, browser, page, watch))
        return Ui(page, server.url)

    failed_before = request.session.testsfailed
    yield open_page
    problems = []
    for index, (pw, browser, page, watch) in enumerate(opened):
        if request.session.testsfailed > failed_before:
            failure_screenshot(page, "%s-%d" % (request.node.name, index))
        problems += watch.problems
        browser.close()
        pw.stop()
    assert problems == []
    assert server_log_errors(server, offset) == []


def shot(ui, name):
    """A screenshot of the screen as it is (desktop or phone)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    size = ui.page.viewport_size
    ui.page.mouse.move(size["width"] - 2, size["height"] - 2)
    ui.page.screenshot(path=os.path.join(SCREENSHOTS, "screenshot_%s.png" % name))


def rows_by(ui, rows, key):
    """{text of the cell ``key``: {field: text}} of list rows."""
    return {cells[key]: cells for cells in (ui.cells(row) for row in rows.all())}


def open_coverage(ui):
    ui.menu(
        "mrp.menu_mrp_root",
        "mrp_job_order.menu_mrp_job_order_root",
        COVERAGE,
        title="Coverage of Demand",
    )


def row_classes(ui):
    """The classes of the rows of the list on screen, read at once."""
    return ui.page.eval_on_selector_all(
        LIST + " tbody tr.o_data_row", "rows => rows.map(row => row.className)"
    )


def toggle_filters(ui, *labels):
    """Tick filters of the search panel, each waiting for its facet."""
    page = ui.page
    page.click(".o_control_panel .o_searchview_dropdown_toggler")
    for label in labels:
        page.click('.o-dropdown--menu .o_menu_item:text-is("%s")' % label)
        page.wait_for_selector('.o_searchview_facet:has-text("%s")' % label)
    page.click(".o_control_panel .o_searchview_dropdown_toggler")
    ui.idle()


def no_horizontal_overflow(ui):
    """The page and its main content are no wider than the screen."""
    widths = ui.page.evaluate("""() => {
        const main = document.querySelector('.o_action_manager');
        return [document.documentElement.scrollWidth, window.innerWidth,
                main.scrollWidth, main.clientWidth];
    }""")
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths


def visible_in_screen(ui, locator):
    box = locator.bounding_box()
    assert box, "not on screen"
    width = ui.page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box


# -- a salesperson: where is my order? -----------------------------------------


def test_salesperson_sees_where_her_order_is(admin, demo, session):
    ui = session()
    page = ui.page
    order = admin.read_one("sale.order", demo["miramare"], ["name", "order_line"])
    lines = admin(
        "mrp.job.order.line",
        "search_read",
        domain=[("sale_line_ids.order_id", "=", demo["miramare"])],
        fields=["product_id", "product_qty", "qty_produced", "job_order_id"],
    )
    assert len(lines) == 2
    produced = sum(line["qty_produced"] for line in lines)
    planned = sum(line["product_qty"] for line in lines)

    ui.login("sales", "sales")
    ui.menu(
        "sale.sale_menu_root",
        "sale.sale_order_menu",
        "sale.menu_sale_order",
        title="Sales Orders",
    )
    ui.search(order["name"])
    ui.open_row(order["name"])
    # no planning for her, but the production of the order in one click
    assert not ui.header_button("action_create_job_order").count()
    button = page.locator(
        FORM + " .o-form-buttonbox button[name=action_view_job_order_lines]"
    )
    expect(button).to_contain_text("2 Production Lines")
    expect(button).to_contain_text(
        re.compile(r"\b%d\s*%%\s*produced" % int(100 * produced / planned))
    )
    shot(ui, "sale_order_production")
    ui.mark_screen()
    button.click()
    ui.wait_breadcrumb(r"^\s*Production of %s\s*$" % re.escape(order["name"]))
    shown = rows_by(ui, ui.wait_rows(2), "product_id")
    for line in lines:
        cells = shown[line["product_id"][1]]
        assert (
            cells["job_order_id"],
            cells["state"],
            number(cells["product_qty"]),
            number(cells["qty_produced"]),
        ) == (
            line["job_order_id"][1],
            "In Progress",
            line["product_qty"],
            line["qty_produced"],
        )
        assert cells["demand_sale_order_ids"] == order["name"]
    # read-only: nothing to create, and the line opens without an edit mode
    assert not page.locator(".o_control_panel .o_list_button_add").count()
    ui.open_row(lines[0]["job_order_id"][1])
    page.wait_for_selector(FORM + " .o_field_widget[name=demand_partner_ids] .o_tag")
    assert "Hotel Miramare" in ui.field_text("demand_partner_ids")
    assert page.locator(FORM + " .o_field_widget[name=product_qty] input").count() == 0

    # the same from a line of the order
    ui.mark_screen()
    page.locator(
        ".o_control_panel .breadcrumb-item a",
        has_text=re.compile(r"^\s*%s\s*$" % re.escape(order["name"])),
    ).click()
    ui.wait_breadcrumb(r"^\s*%s\s*$" % re.escape(order["name"]))
    ui.idle()
    chair_row = page.locator(
        FORM + " .o_field_one2many[name=order_line] tbody tr.o_data_row",
        has_text="Beech Chair",
    )
    ui.mark_screen()
    chair_row.locator("button[name=action_view_job_order_lines]").click()
    ui.wait_breadcrumb(r"Production of %s: .*Beech Chair" % re.escape(order["name"]))
    rows = ui.wait_rows(1)
    assert "Beech Chair" in ui.cells(rows.first)["product_id"]


# -- a planner: plan uncovered demand, see what blocks a job order -----------------


def test_planner_plans_uncovered_demand_from_the_coverage_list(admin, demo, session):
    ui = session()
    page = ui.page
    ui.login("planner", "planner")
    open_coverage(ui)
    shot(ui, "coverage")
    # an order of its own, taken while the list is on screen (found by the search)
    partner = admin.customer_named("Libreria Sottoportico", city="Venezia")
    order_id, order_name, (chair_line, shelf_line) = admin.confirmed_sale_order(
        partner, [(demo["chair"], 3.0), (demo["bookshelf"], 2.0)], lead_days=7
    )
    # the filters: demand to plan, and late demand
    toggle_filters(ui, "To Plan")
    ui.search(order_name)
    rows = ui.wait_rows(2)
    shown = rows_by(ui, rows, "product_id")
    assert {
        product: (
            cells["reference"],
            cells["partner_id"],
            number(cells["qty_ordered"]),
            number(cells["qty_planned"]),
            number(cells["qty_uncovered"]),
            cells["coverage_state"],
        )
        for product, cells in shown.items()
    } == {
        "[FUR-CHAIR] Beech Chair": (
            order_name,
            "Libreria Sottoportico",
            3.0,
            0.0,
            3.0,
            "Not Planned",
        ),
        "[FUR-BOOKSHELF] Pine Bookshelf": (
            order_name,
            "Libreria Sottoportico",
            2.0,
            0.0,
            2.0,
            "Not Planned",
        ),
    }
    # select both, Plan Selected: the wizard previews exactly them
    for row in rows.all():
        row.locator("td.o_list_record_selector input").check()
    page.locator(".o_action_manager button[name=action_plan]").click()
    wizard = ui.wait_modal()
    preview = rows_by_key(ui, ui.modal_rows("line_ids"))
    ticked = {key: cells for key, cells in preview.items() if cells["selected"] is True}
    assert sorted(
        (cells["reference"], cells["product_id"]) for cells in ticked.values()
    ) == [
        (order_name, "[FUR-BOOKSHELF] Pine Bookshelf"),
        (order_name, "[FUR-CHAIR] Beech Chair"),
    ]
    assert ui.field_text("sale_order_ids", wizard) == order_name
    # planned in full, on new job orders
    page.uncheck(wizard + " .o_field_boolean[name=net_stock] input")
    page.uncheck(wizard + " .o_field_boolean[name=update_existing] input")
    ui.mark_screen()
    ui.wizard_button("action_generate")
    ui.wait_no_modal()
    ui.wait_title(r"job order\(s\) created, 0 updated")
    made = admin(
        "mrp.job.order.demand",
        "search_read",
        domain=[("sale_line_id", "in", [chair_line, shelf_line])],
        fields=["sale_line_id", "product_qty", "job_order_id"],
    )
    assert sorted(
        (peg["sale_line_id"][0], peg["product_qty"]) for peg in made
    ) == sorted([(chair_line, 3.0), (shelf_line, 2.0)])

    # the coverage list now says planned
    open_coverage(ui)
    ui.search(order_name)
    shown = rows_by(ui, ui.wait_rows(2), "product_id")
    assert {cells["coverage_state"] for cells in shown.values()} == {"Planned"}
    assert sorted(number(cells["qty_planned"]) for cells in shown.values()) == [
        2.0,
        3.0,
    ]
    assert sorted(cells["job_order_ids"] for cells in shown.values()) == sorted(
        peg["job_order_id"][1] for peg in made
    )
    assert admin("sale.order", "read", ids=[order_id], fields=["job_order_count"])[0][
        "job_order_count"
    ] == len({peg["job_order_id"][0] for peg in made})


def rows_by_key(ui, rows):
    """Preview rows of the generation wizard by their position."""
    return {index: ui.cells(row) for index, row in enumerate(rows.all())}


def test_planner_sees_what_blocks_a_job_order_and_buys_it(admin, demo, session):
    ui = session()
    page = ui.page
    # the demo's late job order: oak legs short and on order, boards short
    late = admin.read_one("mrp.job.order", demo["jo_late"], ["name", "is_late"])
    assert late["is_late"]
    ui.login("planner", "planner")
    ui.menu(
        "mrp.menu_mrp_root",
        "mrp_job_order.menu_mrp_job_order_root",
        "mrp_job_order.menu_mrp_job_order",
        title="Production Job Orders",
    )
    ui.search(late["name"])
    row = ui.row(late["name"])
    assert "text-danger" in row.get_attribute("class")
    assert ui.cells(row)["components_availability"] == "Partially Available"
    ui.open_row(late["name"])
    expect(page.locator(FORM + " .ribbon")).to_contain_text("Late")
    status = page.locator(FORM + " div[name=components_status]")
    expect(status).to_contain_text("Partially Available")
    missing = ui.field_text("components_missing")
    assert re.search(
        r"Oak Table Leg: 16\.00 Units missing \(expected \d\d/\d\d/\d{4}, P\d+\)",
        missing,
    ), missing
    assert "Oak Board 120 cm: 12.00 Units missing" in missing
    assert status.locator("button[name=action_purchase_missing]").is_visible()
    shot(ui, "job_order_blocked")

    # a job order of its own, short of oak legs: Purchase Missing from the status
    stock = admin.read_one(
        "product.product", admin.ref("mrp_job_order.product_oak_leg"), ["qty_available"]
    )
    tables = int(stock["qty_available"] // 4) + 3  # three tables' legs short at least
    order_id = admin(
        "mrp.job.order",
        "create",
        vals_list=[
            {"line_ids": [(0, 0, {"product_id": demo["table"], "product_qty": tables})]}
        ],
    )[0]
    admin("mrp.job.order", "action_confirm", ids=[order_id])
    name = admin.read_one("mrp.job.order", order_id, ["name"])["name"]
    ui.menu(
        "mrp.menu_mrp_root",
        "mrp_job_order.menu_mrp_job_order_root",
        "mrp_job_order.menu_mrp_job_order",
        title="Production Job Orders",
    )
    ui.search(name)
    ui.open_row(name)
    assert re.search(
        r"Oak Table Leg: [\d,.]+ Units missing", ui.field_text("components_missing")
    )
    ui.mark_screen()
    page.click(
        FORM + " div[name=components_status] button[name=action_purchase_missing]"
    )
    rows = ui.wait_rows(1)
    assert "Nordic Timber Supply" in ui.cells(rows.first)["partner_id"]
    bought = admin(
        "purchase.order.line",
        "search_read",
        domain=[("job_order_id", "=", order_id)],
        fields=["product_id"],
    )
    assert admin.ref("mrp_job_order.product_oak_leg") in [
        b["product_id"][0] for b in bought
    ]
    # back on the job order: the legs are on order, with their date
    ui.mark_screen()
    page.locator(
        ".o_control_panel .breadcrumb-item a",
        has_text=re.compile(r"^\s*%s\s*$" % re.escape(name)),
    ).click()
    ui.wait_breadcrumb(r"^\s*%s\s*$" % re.escape(name))
    ui.idle()
    assert re.search(
        r"Oak Table Leg: [\d,.]+ Units missing \(expected ",
        ui.field_text("components_missing"),
    )


# -- a manager: coverage as a pivot and a graph ----------------------------------


def test_manager_reads_coverage_as_pivot_and_graph(admin, demo, session):
    ui = session()
    page = ui.page
    ui.login("manager", "manager")
    open_coverage(ui)
    # the demo's stock demand: low stock and a warehouse need, planned as drafts
    toggle_filters(ui, "Low Stock", "Warehouse Needs")
    shown = rows_by(ui, ui.wait_rows(2, scope=LIST), "source")
    assert {
        source: (
            cells["reference"],
            cells["coverage_state"],
            number(cells["qty_planned"]),
        )
        for source, cells in shown.items()
    } == {
        "Low Stock": ("Table top: keep 4 to 10 in stock", "Planned", 8.0),
        "Warehouse Need": ("YourCompany", "Planned", 20.0),
    }
    # late demand only: every row due before today, in red
    late = admin(
        "mrp.job.order.coverage",
        "search_count",
        domain=[("is_late", "=", True), ("coverage_state", "!=", "done")],
    )
    assert late
    open_coverage(ui)
    toggle_filters(ui, "Late")
    ui.wait_rows(min(late, 80), scope=LIST)
    assert all("text-danger" in classes for classes in row_classes(ui))

    open_coverage(ui)
    # the demo's forecasts: the table forecast is half planned by JO/00006
    toggle_filters(ui, "Forecasts")
    ui.search("Oak Dining Table")
    rows = ui.list_rows()
    by_state = [ui.cells(row) for row in rows.all()]
    assert any(
        cells["coverage_state"] == "Partially Planned"
        and number(cells["qty_planned"]) >= 10.0
        for cells in by_state
    ), by_state
    ui.switch_view("pivot")
    pivot = page.locator(".o_action_manager .o_pivot_view table")
    for text in (
        "Ordered",
        "Planned",
        "Produced",
        "Oak Dining Table",
        "Partially Planned",
    ):
        expect(pivot).to_contain_text(text)
    shot(ui, "coverage_pivot")
    ui.switch_view("graph")
    page.wait_for_selector(".o_action_manager .o_graph_renderer canvas")
    # the late job orders of the plant, highlighted
    ui.menu(
        "mrp.menu_mrp_root",
        "mrp_job_order.menu_mrp_job_order_root",
        "mrp_job_order.menu_mrp_job_order",
        title="Production Job Orders",
    )
    toggle_filters(ui, "Late")
    late = admin(
        "mrp.job.order", "search_read", domain=[("is_late", "=", True)], fields=["name"]
    )
    ui.wait_rows(len(late), scope=LIST)
    assert all("text-danger" in classes for classes in row_classes(ui))


# -- on a phone -------------------------------------------------------------------


def test_job_order_backflush_and_coverage_on_a_phone(admin, demo, session):
    ui = session(PHONE)
    page = ui.page
    order = admin.read_one("mrp.job.order", demo["jo_in_progress"], ["name", "state"])
    assert order["state"] == "in_progress"
    # a phone's top bar has no apps menu (a burger instead): log in and
    # wait for the web client itself
    page.goto(ui.url + "/web/login")
    page.fill("input[name=login]", "planner")
    page.fill("input[name=password]", "planner")
    page.click("button[type=submit]")
    page.wait_for_selector(
        "body.o_web_client .o_main_navbar", timeout=FIRST_LOAD_TIMEOUT
    )
    page.wait_for_selector(".o_action_manager > *", timeout=FIRST_LOAD_TIMEOUT)
    ui.idle()

    # the job order form: no sideways scrolling, its main step at hand
    page.goto(
        "%s/odoo/action-mrp_job_order.action_mrp_job_order/%d"
        % (ui.url, demo["jo_in_progress"])
    )
    page.wait_for_selector(FORM + " .o_field_widget[name=name]")
    ui.idle()
    assert ui.field_text("name") == order["name"]
    no_horizontal_overflow(ui)
    backflush = ui.header_button("action_backflush")
    expect(backflush).to_be_visible()
    visible_in_screen(ui, backflush)
    lines = page.locator(
        FORM
        + " .o_field_one2many[name=line_ids] .o_kanban_record, "
        + FORM
        + " .o_field_one2many[name=line_ids] tr.o_data_row"
    )
    expect(lines.first).to_be_visible()
    shot(ui, "phone_job_order")

    # the backflush wizard: its lines and Validate on screen; cancelled
    backflush.click()
    wizard = ui.wait_modal()
    page.wait_for_selector(
        wizard + " .o_field_one2many[name=line_ids] .o_kanban_record"
    )
    no_horizontal_overflow(ui)
    validate = page.locator(wizard + " .modal-footer button[name=action_validate]")
    expect(validate).to_be_visible()
    visible_in_screen(ui, validate)
    cards = page.locator(wizard + " .o_field_one2many[name=line_ids] .o_kanban_record")
    assert "Beech Chair" in cards.first.inner_text()
    shot(ui, "phone_backflush")
    page.click(wizard + " .modal-footer button.btn-secondary")
    ui.wait_no_modal()
    # cancelled: nothing produced
    assert (
        admin.read_one("mrp.job.order", demo["jo_in_progress"], ["state"])["state"]
        == "in_progress"
    )

    # the coverage list: cards on a phone
    page.goto("%s/odoo/action-mrp_job_order.action_mrp_job_order_coverage" % ui.url)
    page.wait_for_selector(
        ".o_action_manager .o_kanban_view .o_kanban_record:not(.o_kanban_ghost)"
    )
    ui.idle()
    no_horizontal_overflow(ui)
    card = page.locator(".o_action_manager .o_kanban_record:not(.o_kanban_ghost)").first
    visible_in_screen(ui, card)
    assert re.search(
        r"Not Planned|Partially Planned|Planned|In Production", card.inner_text()
    )
    shot(ui, "phone_coverage")
