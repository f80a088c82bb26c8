"""Helpers of the planner's end-to-end tests (``test_e2e_planner.py``).

Not a test module.  Three kinds of help:

- ``Rpc``: XML-RPC as a given user against the server the tests start, to
  prepare data (sales orders, stock) and to check what the browser wrote;
- ``Watch``: what the browser reports while a test drives it (console
  errors, uncaught exceptions, HTTP answers >= 400), to assert it stays empty;
- ``Ui``: the few gestures of the Odoo 11 web client the tests make, each one
  waiting on the element that proves it is done (no sleeps).
"""
import contextlib
import os
import re
import xmlrpc.client

from playwright.sync_api import expect

from .server import REPO

# the app page's screenshots; MRP_JOB_ORDER_SCREENSHOTS=<folder> sends them
# elsewhere (e.g. a test run that must leave the checkout unchanged)
SCREENSHOTS = os.environ.get('MRP_JOB_ORDER_SCREENSHOTS') or os.path.join(
    REPO, 'static', 'description')
FAILURES = os.path.join(REPO, '.build', 'logs')
VIEWPORT = {'width': 1280, 'height': 800}
# a step of the web client (an RPC and a re-render); the first page of a fresh
# database also compiles the style sheets, which gets a longer wait of its own
STEP_TIMEOUT = 30000
FIRST_LOAD_TIMEOUT = 180000


# -- XML-RPC -----------------------------------------------------------------

class Rpc(object):
    """``rpc(model, method, *args, **kwargs)`` as one user."""

    def __init__(self, url, db, login='admin', password='admin'):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common')
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, 'cannot log in as %s over XML-RPC' % login
        self.models = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object', allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method,
                                      list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split('.')
        rows = self('ir.model.data', 'search_read',
                    [('module', '=', module), ('name', '=', name)], fields=['res_id'])
        assert rows, 'the demo data has no record %s' % xmlid
        return rows[0]['res_id']

    def read_one(self, model, record_id, fields):
        return self(model, 'read', [record_id], fields)[0]

    def product_named(self, name, **values):
        """The product called ``name``, created with ``values`` the first time."""
        ids = self('product.product', 'search', [('name', '=', name)], limit=1)
        if ids:
            return ids[0]
        return self('product.product', 'create', dict(values, name=name))

    def customer_named(self, name, **values):
        ids = self('res.partner', 'search', [('name', '=', name), ('customer', '=', True)],
                   limit=1)
        if ids:
            return ids[0]
        return self('res.partner', 'create', dict(values, name=name, customer=True,
                                                  is_company=True))

    def confirmed_sale_order(self, partner_id, lines, lead_days=0, **values):
        """A confirmed sales order: ``lines`` are (product id, quantity),
        promised ``lead_days`` after today.  Returns (id, name, [line ids in
        order])."""
        order_id = self('sale.order', 'create', dict(values, partner_id=partner_id, order_line=[
            (0, 0, {'product_id': product_id, 'product_uom_qty': qty, 'sequence': 10 * (i + 1),
                    'customer_lead': lead_days})
            for i, (product_id, qty) in enumerate(lines)]))
        self('sale.order', 'action_confirm', [order_id])
        order = self.read_one('sale.order', order_id, ['name', 'state', 'order_line'])
        assert order['state'] == 'sale'
        line_ids = [row['id'] for row in sorted(
            self('sale.order.line', 'read', order['order_line'], ['sequence']),
            key=lambda row: (row['sequence'], row['id']))]
        return order_id, order['name'], line_ids

    def components_in_stock(self, product_id, qty, location_id):
        """Every component of the product's BOM (one level) on hand at
        ``location_id`` for ``qty`` units of it: when short, twice what is
        needed is added."""
        template_id = self.read_one('product.product', product_id,
                                    ['product_tmpl_id'])['product_tmpl_id'][0]
        bom_ids = self('mrp.bom', 'search', [('product_tmpl_id', '=', template_id)], limit=1)
        assert bom_ids, 'product %s has no BOM' % product_id
        bom = self.read_one('mrp.bom', bom_ids[0], ['bom_line_ids', 'product_qty'])
        lines = self('mrp.bom.line', 'read', bom['bom_line_ids'],
                     ['product_id', 'product_qty', 'product_uom_id'])
        components = {row['id']: row for row in self(
            'product.product', 'read', [line['product_id'][0] for line in lines],
            ['uom_id', 'qty_available'], context={'location': location_id})}
        factors = {row['id']: row['factor'] for row in self('product.uom', 'read', list(
            {line['product_uom_id'][0] for line in lines}
            | {row['uom_id'][0] for row in components.values()}), ['factor'])}
        for line in lines:
            component = components[line['product_id'][0]]
            # BOM unit -> reference unit -> the component's unit
            needed = (qty * line['product_qty'] / bom['product_qty']
                      / factors[line['product_uom_id'][0]] * factors[component['uom_id'][0]])
            if component['qty_available'] < needed:
                self.set_stock(component['id'],
                               max(component['qty_available'], 0.0) + 2.0 * needed, location_id)

    def set_stock(self, product_id, qty, location_id):
        """``qty`` on hand at the location (an inventory adjustment)."""
        wizard = self('stock.change.product.qty', 'create', {
            'product_id': product_id, 'location_id': location_id, 'new_quantity': qty})
        self('stock.change.product.qty', 'change_product_qty', [wizard])


# -- what the browser reports ------------------------------------------------

class Watch(object):
    """Console errors, page errors and HTTP answers >= 400 of one page (none
    is expected: each one is a problem)."""

    def __init__(self, page):
        self.problems = []
        page.on('console', self._console)
        page.on('pageerror', lambda exc: self.problems.append('page error: %s' % exc))
        page.on('response', self._response)

    def _console(self, message):
        if message.type == 'error':
            self.problems.append('console error: %s' % message.text)

    def _response(self, response):
        if response.status >= 400:
            self.problems.append('HTTP %s %s %s' % (response.status, response.request.method,
                                                    response.url))


def server_log_errors(server, offset):
    """ERROR lines and tracebacks the server logged after ``offset`` (a file
    position taken at the start of the test), except one explained race:
    requests that all compile the same missing asset bundle (the first page
    of a fresh database, or the start-up poll of ``OdooServer`` re-asking
    /web/login while the first one compiles) delete each other's stale
    attachments; PostgreSQL refuses one delete, Odoo logs the query at ERROR
    and retries the request, which then succeeds."""
    with open(server.log_path) as handle:
        handle.seek(offset)
        lines = handle.readlines()
    return [line for line in lines
            if (' ERROR ' in line or 'Traceback' in line)
            and not ('bad query' in line and 'DELETE FROM ir_attachment' in line)]


def log_size(server):
    return os.path.getsize(server.log_path) if os.path.exists(server.log_path) else 0


# -- the web client ----------------------------------------------------------

class Ui(object):
    """Gestures in the Odoo 11 web client, each waiting until it took effect."""

    def __init__(self, page, url):
        self.page, self.url = page, url
        page.set_default_timeout(STEP_TIMEOUT)

    # pages, menus, views
    def login(self, login, password):
        page = self.page
        page.goto(self.url + '/web/login')
        page.fill('input[name=login]', login)
        page.fill('input[name=password]', password)
        page.click('button[type=submit]')
        page.wait_for_selector('.o_main_content .o_control_panel', timeout=FIRST_LOAD_TIMEOUT)
        self.idle()

    def idle(self):
        """No RPC under way: Odoo blocks the UI (``.o_loading``, block UI)
        while it waits for the server."""
        self.page.wait_for_selector('.o_loading', state='hidden')
        self.page.wait_for_selector('.blockUI', state='detached')

    def menu(self, app_xmlid, leaf_xmlid, title=None):
        """Open a menu entry: the app in the top bar (unless it is the
        current one), then the entry in the side bar, by their xml ids (the
        web client puts them on the links).  With ``title``, the entry opens a
        view: wait until a new one is on screen under that title (the same
        action may be on screen already, under the same title)."""
        page = self.page
        page.evaluate("""() => document.querySelectorAll('.o_content > *').forEach(
            e => e.setAttribute('data-e2e-old', '1'))""")
        if not page.is_visible('.oe_application_menu_placeholder li.active '
                               'a[data-menu-xmlid="%s"]' % app_xmlid):
            page.click('.oe_application_menu_placeholder a[data-menu-xmlid="%s"]' % app_xmlid)
        leaf = page.locator('.o_sub_menu a[data-menu-xmlid="%s"]' % leaf_xmlid)
        action_id = leaf.get_attribute('data-action-id')
        leaf.click()
        if title:
            page.wait_for_function(
                """(action) => new RegExp('[#&]action=' + action + '(&|$)').test(location.hash)
                    && document.querySelector('.o_content > :not([data-e2e-old])')""",
                arg=action_id)
            self.wait_breadcrumb(r'^\s*%s\s*$' % re.escape(title))
        self.idle()

    def print_menu(self, label):
        """Print > ``label`` in the control panel (form or list)."""
        self.page.click('.o_cp_sidebar .o_dropdown_toggler_btn:has-text("Print")')
        self.page.click('.o_cp_sidebar .dropdown-menu a:text-is("%s")' % label)

    def wait_breadcrumb(self, pattern):
        self.page.wait_for_function(
            """(pattern) => {
                const crumb = document.querySelector('.o_control_panel .breadcrumb li.active');
                return crumb && new RegExp(pattern).test(crumb.textContent);
            }""", arg=pattern)

    def search(self, text):
        """Type in the search view and search (the default, first proposal)."""
        page = self.page
        page.click('.o_searchview_input')
        page.keyboard.type(text)
        page.wait_for_selector('.o_searchview_autocomplete li')
        page.press('.o_searchview_input', 'Enter')
        page.wait_for_selector('.o_searchview_facet:has-text("%s")' % text)
        self.idle()

    def list_rows(self, scope='.o_content .o_list_view'):
        return self.page.locator('%s tbody tr.o_data_row' % scope)

    def row(self, text, scope='.o_content .o_list_view'):
        """The list row with a cell that reads exactly ``text``."""
        return self.list_rows(scope).filter(has=self.page.locator('td:text-is("%s")' % text))

    def open_row(self, text):
        self.row(text).click()
        self.page.wait_for_selector('.o_content .o_form_view')
        self.idle()

    # forms
    def state(self, scope='.o_content'):
        return self.page.get_attribute(
            '%s .o_statusbar_status button.btn-primary' % scope, 'data-value')

    def wait_state(self, value, scope='.o_content'):
        self.page.wait_for_selector(
            '%s .o_statusbar_status button.btn-primary[data-value="%s"]' % (scope, value))
        self.idle()

    def header_button(self, label, scope='.o_content'):
        """The visible header button labelled ``label``.  Odoo 11 renders
        header buttons without their ``name``: the label is what is left
        (a form may also declare several buttons of one label, one per
        state; those of other states are ``o_invisible_modifier``)."""
        return self.page.locator(
            '%s .o_statusbar_buttons button:not(.o_invisible_modifier)' % scope,
            has_text=re.compile(r'^\s*%s\s*$' % re.escape(label)))

    def field_text(self, name, scope='.o_content .o_form_view'):
        return self.page.inner_text('%s .o_field_widget[name="%s"]' % (scope, name)).strip()

    # dialogs (wizards)
    def modal(self):
        return '.modal.in:not([data-e2e-old])'

    def wizard_button(self, name):
        """Click a footer button of the dialog on screen.  Returns the
        selector of the dialog that follows, when the button reopens its
        wizard (Odoo replaces the dialog: the old one is tagged first)."""
        button = self.page.wait_for_selector('%s .modal-footer button[name="%s"]'
                                             % (self.modal(), name))
        self.page.evaluate("""() => document.querySelectorAll('.modal').forEach(
            m => m.setAttribute('data-e2e-old', '1'))""")
        button.click()
        return self.modal()

    def wait_modal(self):
        self.page.wait_for_selector(self.modal() + ' .o_form_view')
        self.idle()
        return self.modal()

    def wait_no_modal(self):
        self.page.wait_for_selector('.modal.in', state='detached')
        self.idle()

    def modal_rows(self, field):
        return self.page.locator('%s .o_field_one2many[name="%s"] tbody tr.o_data_row'
                                 % (self.modal(), field))

    def edit_cell(self, row, title, field, value):
        """Type ``value`` into the field of an editable list row shown in the
        column ``title``: a click on the cell opens the row for editing."""
        row.locator('xpath=./td').nth(self.titles(row).index(title)).click()
        editor = self.page.locator('tr.o_selected_row input.o_field_widget[name="%s"]' % field)
        editor.fill(value)

    def wait_cell(self, row, title, text):
        """Wait until the cell of ``row`` in column ``title`` reads ``text``."""
        expect(row.locator('xpath=./td').nth(self.titles(row).index(title))).to_have_text(
            text, timeout=STEP_TIMEOUT)

    def titles(self, row):
        return row.evaluate("""row => [...row.closest('table').querySelectorAll('thead tr th')]
            .map(th => th.innerText.trim())""")

    def cells(self, row):
        """The texts of a list row's cells, by column title."""
        return row.evaluate("""row => {
            const titles = [...row.closest('table').querySelectorAll('thead tr th')]
                .map(th => th.innerText.trim());
            const cells = {};
            [...row.children].forEach((td, i) => {
                if (titles[i]) { cells[titles[i]] = td.innerText.trim(); }
            });
            return cells;
        }""")

    def table(self, rows, key='Product'):
        """{cell under ``key``: {column title: text}} of list rows."""
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
        page.click('.ui-autocomplete li.ui-menu-item a:text-is("%s")' % text)
        page.wait_for_selector('%s .o_field_widget[name="%s"] .badge:has-text("%s")'
                               % (scope, field, text))

    def switch_view(self, view_type):
        self.page.click('.o_control_panel .o_cp_switch_buttons button[data-view-type="%s"]'
                        % view_type)
        self.page.wait_for_selector('.o_content .o_%s_view' % view_type)
        self.idle()

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        # the mouse parked outside any element: no hover colour on the shot
        self.page.mouse.move(VIEWPORT['width'] - 2, VIEWPORT['height'] - 2)
        path = os.path.join(SCREENSHOTS, 'screenshot_%s.png' % name)
        self.page.screenshot(path=path)
        return path


def failure_screenshot(page, name):
    """What the browser shows, into .build/logs/e2e-<name>.png (for a
    failed test: the fixture calls it at teardown)."""
    with contextlib.suppress(Exception):
        os.makedirs(FAILURES, exist_ok=True)
        page.screenshot(path=os.path.join(FAILURES, 'e2e-%s.png' % name), full_page=True)


def number(text):
    """A quantity as shown by the web client ("1,234.500") as a float."""
    return float(text.replace(',', '')) if text.strip() else 0.0
