"""Helpers of the tests that talk to a running server (``test_e2e_planner.py``,
``test_external_api.py``).

Not a test module.  Four kinds of help:

- ``api_key``: an API key of a user, made as Odoo 19 makes them
  (``res.users.apikeys._generate``), committed so the server sees it;
- ``Json2``: Odoo 19's external API, ``POST /json/2/<model>/<method>``
  with ``Authorization: bearer <key>``; ``Rpc``: XML-RPC as a given user
  (deprecated in 19, still there), to prepare data and check what the
  browser wrote;
- ``Watch``: what the browser reports while a test drives it (console
  errors, uncaught exceptions, HTTP answers >= 400), to assert it stays empty;
- ``Ui``: the few gestures of the Odoo 19 web client the tests make, each
  one waiting on the element that proves it is done (no sleeps).
"""

import contextlib
import datetime
import json
import os
import re
import urllib.error
import urllib.request
import xmlrpc.client

from playwright.sync_api import expect

from .server import REPO

# screenshots of the main screens; MRP_JOB_ORDER_SCREENSHOTS=<folder> sends
# them elsewhere.  Never static/description by default: the app page's
# pictures are refreshed on purpose, not by every test run.
SCREENSHOTS = os.environ.get("MRP_JOB_ORDER_SCREENSHOTS") or os.path.join(
    REPO, ".build", "screenshots"
)
FAILURES = os.path.join(REPO, ".build", "logs")
VIEWPORT = {"width": 1280, "height": 800}
# a step of the web client (an RPC and a re-render); the first page of a fresh
# database also compiles the asset bundles, which gets a longer wait of its own
STEP_TIMEOUT = 30000
FIRST_LOAD_TIMEOUT = 180000


# -- API keys ----------------------------------------------------------------


def api_key(db, login, name="mrp_job_order tests"):
    """A new API key of ``login`` (global scope: JSON-2 and XML-RPC), valid
    one day, made by ``res.users.apikeys._generate`` as that user and
    committed."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", login)])
        assert user, "no user %s in %s" % (login, db)
        expiration = datetime.datetime.now() + datetime.timedelta(days=1)
        # sudo: a key of a non-administrator within its group's limits
        return (
            env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, name, expiration)
        )


# -- JSON-2 ------------------------------------------------------------------


class Json2Error(Exception):
    """An error answer of /json/2: ``status`` and the JSON body (``name``,
    ``message``, ``arguments``, ``context``, ``debug``)."""

    def __init__(self, status, body):
        self.status, self.body = status, body
        if isinstance(body, dict):
            text = "%s: %s" % (body.get("name"), body.get("message"))
        else:
            text = str(body)
        super().__init__("HTTP %s %s" % (status, text))

    @property
    def message(self):
        return (
            self.body.get("message", "")
            if isinstance(self.body, dict)
            else str(self.body)
        )


class Json2:
    """``json2(model, method, ids=[...], context={...}, **kwargs)``: the
    answer, decoded; an error answer raises ``Json2Error``.  ``ids=None``
    calls a model method (``@api.model``, e.g. ``create``, ``search``)."""

    def __init__(self, url, db, key):
        self.url, self.db, self.key = url, db, key

    def __call__(self, model, method, ids=None, context=None, **kwargs):
        body = dict(kwargs)
        if ids is not None:
            body["ids"] = list(ids)
        if context is not None:
            body["context"] = context
        request = urllib.request.Request(
            "%s/json/2/%s/%s" % (self.url, model, method),
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": "bearer %s" % self.key,
                "X-Odoo-Database": self.db,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                return json.loads(answer.read().decode())
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                body = json.loads(text)
            except ValueError:
                body = text
            raise Json2Error(error.code, body) from None

    # shortcuts on top of the generic call
    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self(
            "ir.model.data",
            "search_read",
            domain=[("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        assert rows, "the database has no record %s" % xmlid
        return rows[0]["res_id"]

    def read_one(self, model, record_id, fields):
        return self(model, "read", ids=[record_id], fields=fields)[0]

    def product_named(self, name, **values):
        """The product called ``name``, created with ``values`` the first time."""
        ids = self("product.product", "search", domain=[("name", "=", name)], limit=1)
        if ids:
            return ids[0]
        return self("product.product", "create", vals_list=[dict(values, name=name)])[0]

    def customer_named(self, name, **values):
        """The company called ``name`` (Odoo 19 has no ``customer`` flag:
        any partner may buy)."""
        ids = self(
            "res.partner",
            "search",
            domain=[("name", "=", name), ("is_company", "=", True)],
            limit=1,
        )
        if ids:
            return ids[0]
        return self(
            "res.partner",
            "create",
            vals_list=[dict(values, name=name, is_company=True)],
        )[0]

    def set_stock(self, product_id, qty, location_id):
        """``qty`` on hand at the location: an inventory adjustment applied
        at once (``inventory_quantity_auto_apply`` in inventory mode)."""
        self(
            "stock.quant",
            "create",
            vals_list=[
                {
                    "product_id": product_id,
                    "location_id": location_id,
                    "inventory_quantity_auto_apply": qty,
                }
            ],
            context={"inventory_mode": True},
        )

    def components_in_stock(self, product_id, qty, location_id):
        """Every component of the product's BOM (one level) on hand at
        ``location_id`` for ``qty`` units of it: when short, twice what is
        needed is added."""
        template_id = self.read_one("product.product", product_id, ["product_tmpl_id"])[
            "product_tmpl_id"
        ][0]
        bom_ids = self(
            "mrp.bom", "search", domain=[("product_tmpl_id", "=", template_id)], limit=1
        )
        assert bom_ids, "product %s has no BOM" % product_id
        bom = self.read_one("mrp.bom", bom_ids[0], ["bom_line_ids", "product_qty"])
        lines = self(
            "mrp.bom.line",
            "read",
            ids=bom["bom_line_ids"],
            fields=["product_id", "product_qty", "product_uom_id"],
        )
        components = {
            row["id"]: row
            for row in self(
                "product.product",
                "read",
                ids=[line["product_id"][0] for line in lines],
                fields=["uom_id", "qty_available"],
                context={"location": location_id},
            )
        }
        # Odoo 19: ``factor`` is the unit's size in its reference unit
        factors = {
            row["id"]: row["factor"]
            for row in self(
                "uom.uom",
                "read",
                ids=list(
                    {line["product_uom_id"][0] for line in lines}
                    | {row["uom_id"][0] for row in components.values()}
                ),
                fields=["factor"],
            )
        }
        for line in lines:
            component = components[line["product_id"][0]]
            # BOM unit -> reference unit -> the component's unit
            needed = (
                qty
                * line["product_qty"]
                / bom["product_qty"]
                * factors[line["product_uom_id"][0]]
                / factors[component["uom_id"][0]]
            )
            if component["qty_available"] < needed:
                self.set_stock(
                    component["id"],
                    max(component["qty_available"], 0.0) + 2.0 * needed,
                    location_id,
                )

    def confirmed_sale_order(self, partner_id, lines, lead_days=0, **values):
        """A confirmed sales order: ``lines`` are (product id, quantity),
        promised ``lead_days`` after today.  Returns (id, name, [line ids in
        order])."""
        order_id = self(
            "sale.order",
            "create",
            vals_list=[
                dict(
                    values,
                    partner_id=partner_id,
                    order_line=[
                        (
                            0,
                            0,
                            {
                                "product_id": product_id,
                                "product_uom_qty": qty,
                                "sequence": 10 * (i + 1),
                                "customer_lead": lead_days,
                            },
                        )
                        for i, (product_id, qty) in enumerate(lines)
                    ],
                )
            ],
        )[0]
        self("sale.order", "action_confirm", ids=[order_id])
        order = self.read_one("sale.order", order_id, ["name", "state", "order_line"])
        assert order["state"] == "sale"
        line_ids = [
            row["id"]
            for row in sorted(
                self(
                    "sale.order.line",
                    "read",
                    ids=order["order_line"],
                    fields=["sequence"],
                ),
                key=lambda row: (row["sequence"], row["id"]),
            )
        ]
        return order_id, order["name"], line_ids


# -- XML-RPC -----------------------------------------------------------------


class Rpc:
    """``rpc(model, method, *args, **kwargs)`` as one user, over XML-RPC
    (``password`` may be an API key)."""

    def __init__(self, url, db, login="admin", password="admin"):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, "cannot log in as %s over XML-RPC" % login
        self.models = xmlrpc.client.ServerProxy(
            url + "/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        assert rows, "the database has no record %s" % xmlid
        return rows[0]["res_id"]

    def read_one(self, model, record_id, fields):
        return self(model, "read", [record_id], fields)[0]


# -- what the browser reports ------------------------------------------------


class Watch:
    """Console errors, page errors and HTTP answers >= 400 of one page (none
    is expected: each one is a problem)."""

    def __init__(self, page):
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append("page error: %s" % exc))
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.problems.append("console error: %s" % message.text)

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(
                "HTTP %s %s %s"
                % (response.status, response.request.method, response.url)
            )


def server_log_errors(server, offset):
    """ERROR lines and tracebacks the server logged after ``offset`` (a file
    position taken at the start of the test), except one explained race:
    requests that all compile the same missing asset bundle delete each
    other's stale attachments; PostgreSQL refuses one delete, Odoo logs the
    query at ERROR and retries the request, which then succeeds."""
    return [
        line
        for line in server.log_errors(offset)
        if not ("bad query" in line and "DELETE FROM ir_attachment" in line)
    ]


def log_size(server):
    return server.log_size()


# -- the web client ----------------------------------------------------------

DIALOG = ".o_dialog:not([data-e2e-old]) .modal"


class Ui:
    """Gestures in the Odoo 19 web client, each waiting until it took effect."""

    def __init__(self, page, url):
        self.page, self.url = page, url
        page.set_default_timeout(STEP_TIMEOUT)

    # pages, menus, views
    def login(self, login, password):
        page = self.page
        page.goto(self.url + "/web/login")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector(
            "body.o_web_client .o_main_navbar .o_navbar_apps_menu",
            timeout=FIRST_LOAD_TIMEOUT,
        )
        page.wait_for_selector(".o_action_manager > *", timeout=FIRST_LOAD_TIMEOUT)
        self.idle()

    def idle(self):
        """No RPC under way: Odoo 19 shows ``.o_loading_indicator`` (and
        blocks the UI with ``.o_blockUI`` on long calls) while it waits for
        the server."""
        self.page.wait_for_selector(".o_loading_indicator", state="detached")
        self.page.wait_for_selector(".o_blockUI", state="detached")

    def mark_screen(self):
        """Tag the view on screen, to wait for what replaces it.  Dialogs
        are left alone: a footer button of the dialog on screen is still
        to be clicked (``wizard_button`` tags the dialog it replaces)."""
        self.page.evaluate("""() => document.querySelectorAll(
            '.o_action_manager > *').forEach(
                e => e.setAttribute('data-e2e-old', '1'))""")

    def menu(self, app_xmlid, *path, title=None):
        """Open a menu entry by its xml ids: the app from the apps menu
        (unless it is the current one), then the sections of ``path`` in
        the top bar (a section with children is a dropdown; the last one is
        the entry).  With ``title``, the entry opens a view: wait until a new
        one is on screen under that title."""
        page = self.page
        self.mark_screen()
        brand = page.locator(
            '.o_main_navbar .o_menu_brand[data-menu-xmlid="%s"]' % app_xmlid
        )
        if not brand.count():
            page.click(".o_main_navbar .o_navbar_apps_menu button")
            page.click('.o-dropdown-item.o_app[data-menu-xmlid="%s"]' % app_xmlid)
            brand.wait_for()
            self.idle()
            self.mark_screen()
        for xmlid in path:
            entry = page.locator(
                '.o_main_navbar .o_menu_sections [data-menu-xmlid="%s"], '
                '.o-dropdown--menu .o-dropdown-item[data-menu-xmlid="%s"]'
                % (xmlid, xmlid)
            )
            entry.first.click()
        if title:
            page.wait_for_selector(
                ".o_action_manager > :not([data-e2e-old]) .o_control_panel"
            )
            self.wait_breadcrumb(r"^\s*%s\s*$" % re.escape(title))
        self.idle()

    def print_menu(self, label):
        """Print > ``label`` from the cog menu of the control panel (form or
        list): one report is an entry of its own, several a Print submenu
        (the reports are loaded when the menu opens)."""
        page = self.page
        page.click(
            '.o_control_panel .o_cp_action_menus button[aria-label="Actions menu"]'
        )
        item = '.o-dropdown--menu .o_menu_item:has-text("%s")' % label
        submenu = ".o-dropdown--menu button:has(i.fa-print)"
        page.wait_for_selector("%s, %s" % (item, submenu))
        if not page.locator(item).count():
            page.click(submenu)
        page.locator(item).first.click()

    def breadcrumb(self):
        return self.page.inner_text(".o_control_panel .o_last_breadcrumb_item").strip()

    def wait_breadcrumb(self, pattern):
        self.page.wait_for_function(
            """(pattern) => {
                const crumb = document.querySelector(
                    '.o_action_manager > :not([data-e2e-old]) '
                    + '.o_control_panel .o_last_breadcrumb_item');
                return crumb && new RegExp(pattern).test(crumb.textContent);
            }""",
            arg=pattern,
        )

    def wait_title(self, pattern):
        """Wait until what the last server action said is on screen: the
        title of the view it opened, or a notification (toast)."""
        self.page.wait_for_function(
            """(pattern) => {
                const re = new RegExp(pattern);
                const crumb = document.querySelector(
                    '.o_action_manager > :not([data-e2e-old]) '
                    + '.o_control_panel .o_last_breadcrumb_item');
                if (crumb && re.test(crumb.textContent)) { return true; }
                return [...document.querySelectorAll('.o_notification')].some(
                    n => re.test(n.textContent.replace(/^\\s+/, '')));
            }""",
            arg=pattern,
        )

    def search(self, text):
        """Type in the search view and search (the default, first proposal)."""
        page = self.page
        page.click(".o_searchview_input")
        page.keyboard.type(text)
        page.wait_for_selector(".o_searchview_autocomplete")
        page.press(".o_searchview_input", "Enter")
        page.wait_for_selector('.o_searchview_facet:has-text("%s")' % text)
        # the view reloads after the facet appears: wait for its records
        page.wait_for_function(
            """(text) => {
                const records = document.querySelectorAll(
                    '.o_action_manager .o_data_row, '
                    + '.o_action_manager .o_kanban_record:not(.o_kanban_ghost)');
                return records.length
                    && [...records].every(r => r.innerText.includes(text));
            }""",
            arg=text,
        )
        self.idle()

    def list_rows(self, scope=".o_action_manager .o_list_view"):
        return self.page.locator("%s tbody tr.o_data_row" % scope)

    def wait_rows(
        self, count, scope=".o_action_manager > .o_list_view:not([data-e2e-old])"
    ):
        """The rows of the list that replaced the tagged screen, once it
        shows ``count`` of them (the title of a new list may be on screen
        a moment before its records)."""
        rows = self.list_rows(scope)
        expect(rows).to_have_count(count, timeout=STEP_TIMEOUT)
        self.idle()
        return rows

    def row(self, text, scope=".o_action_manager .o_list_view"):
        """The list row with a cell that reads exactly ``text``."""
        return self.list_rows(scope).filter(
            has=self.page.locator(
                "td.o_data_cell", has_text=re.compile(r"^\s*%s\s*$" % re.escape(text))
            )
        )

    def open_row(self, text):
        """Open the record of the list row with a cell that reads ``text``,
        by a click on that cell (the first cell may be a widget, e.g. the
        priority stars, that a click changes instead of opening the row)."""
        self.mark_screen()
        self.row(text).locator(
            "td.o_data_cell", has_text=re.compile(r"^\s*%s\s*$" % re.escape(text))
        ).first.click()
        self.page.wait_for_selector(
            ".o_action_manager > .o_form_view:not([data-e2e-old])"
        )
        self.idle()

    # forms
    def state(self, scope=".o_action_manager .o_form_view"):
        return self.page.get_attribute(
            "%s .o_statusbar_status button.o_arrow_button_current" % scope, "data-value"
        )

    def wait_state(self, value, scope=".o_action_manager .o_form_view"):
        self.page.wait_for_selector(
            '%s .o_statusbar_status button.o_arrow_button_current[data-value="%s"]'
            % (scope, value)
        )
        self.idle()

    def header_button(self, name, scope=".o_action_manager .o_form_view"):
        """The header button of method ``name``: Odoo 19 renders buttons
        with their ``name`` (and does not render invisible ones)."""
        return self.page.locator(
            '%s .o_form_statusbar .o_statusbar_buttons button[name="%s"]'
            % (scope, name)
        )

    def field_text(self, name, scope=".o_action_manager .o_form_view"):
        return self.page.inner_text(
            '%s .o_field_widget[name="%s"]' % (scope, name)
        ).strip()

    # dialogs (wizards)
    def modal(self):
        return DIALOG

    def wizard_button(self, name):
        """Click a footer button of the dialog on screen.  Returns the
        selector of the dialog that follows, when the button reopens its
        wizard (Odoo replaces the dialog: the old one is tagged first)."""
        button = self.page.wait_for_selector(
            '%s .modal-footer button[name="%s"]' % (self.modal(), name)
        )
        self.page.evaluate("""() => document.querySelectorAll('.o_dialog').forEach(
            m => m.setAttribute('data-e2e-old', '1'))""")
        button.click()
        return self.modal()

    def wait_modal(self):
        self.page.wait_for_selector(self.modal() + " .o_form_view")
        self.idle()
        return self.modal()

    def wait_no_modal(self):
        self.page.wait_for_selector(".o_dialog .modal", state="detached")
        self.idle()

    def modal_rows(self, field):
        return self.page.locator(
            '%s .o_field_one2many[name="%s"] tbody tr.o_data_row'
            % (self.modal(), field)
        )

    def cell(self, row, field):
        """The cell of a list row that shows ``field``."""
        return row.locator('td.o_data_cell[name="%s"]' % field)

    def edit_cell(self, row, field, value):
        """Type ``value`` into the field of an editable list row: a click on
        the cell opens the row for editing."""
        self.cell(row, field).click()
        editor = self.page.locator('tr.o_selected_row td[name="%s"] input' % field)
        editor.fill(value)

    def wait_cell(self, row, field, value):
        """Wait until the cell of ``row`` showing ``field`` reads ``value``
        (a number: whatever the decimals shown)."""
        if isinstance(value, (int, float)):
            pattern = re.compile(r"^\s*%s(\.0*)?\s*$" % re.escape(f"{int(value):,}"))
        else:
            pattern = re.compile(r"^\s*%s\s*$" % re.escape(value))
        expect(self.cell(row, field)).to_have_text(pattern, timeout=STEP_TIMEOUT)

    def cells(self, row):
        """The texts of a list row's cells, by field name."""
        return row.evaluate("""row => {
            const cells = {};
            row.querySelectorAll('td.o_data_cell[name]').forEach(td => {
                const input = td.querySelector('input[type=checkbox]');
                cells[td.getAttribute('name')] = (
                    input ? input.checked : td.innerText.trim());
            });
            return cells;
        }""")

    def table(self, rows, key="product_id"):
        """{cell of field ``key``: {field name: text}} of list rows."""
        shown = {}
        for row in rows.all():
            cells = self.cells(row)
            shown[cells[key]] = cells
        return shown

    def add_tag(self, scope, field, text):
        """Pick ``text`` in a many2many tags field through its autocomplete."""
        page = self.page
        page.click('%s .o_field_widget[name="%s"] input' % (scope, field))
        page.keyboard.type(text)
        page.locator(
            ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item",
            has_text=re.compile(r"^\s*%s\s*$" % re.escape(text)),
        ).first.click()
        page.wait_for_selector(
            '%s .o_field_widget[name="%s"] .o_tag:has-text("%s")' % (scope, field, text)
        )

    def switch_view(self, view_type):
        self.page.click(
            ".o_control_panel .o_cp_switch_buttons button.o_switch_view.o_%s"
            % view_type
        )
        self.page.wait_for_selector(".o_action_manager .o_%s_view" % view_type)
        self.idle()

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        # the mouse parked outside any element: no hover colour on the shot
        self.page.mouse.move(VIEWPORT["width"] - 2, VIEWPORT["height"] - 2)
        path = os.path.join(SCREENSHOTS, "screenshot_%s.png" % name)
        self.page.screenshot(path=path)
        return path


def failure_screenshot(page, name):
    """What the browser shows, into .build/logs/e2e-<name>.png (for a
    failed test: the fixture calls it at teardown)."""
    with contextlib.suppress(Exception):
        os.makedirs(FAILURES, exist_ok=True)
        page.screenshot(
            path=os.path.join(FAILURES, "e2e-%s.png" % name), full_page=True
        )


def number(text):
    """A quantity as shown by the web client ("1,234.50") as a float."""
    text = text.strip()
    return float(text.replace(",", "")) if text else 0.0
