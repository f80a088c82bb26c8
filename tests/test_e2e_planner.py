"""The planner's day in a real browser (Chromium, Playwright) against a real
server: plan a sales order from its "Create Production Order" button and run
the job order to a partial backflush and its cost report; and generate mono
job orders from the menu wizard.  Every step asserts what the screen shows,
XML-RPC checks what the database holds, and neither the browser nor the
server may report an error.

The server is a separate process: what the browser does is committed.  Each
test makes its own sales order (of demo products) and asserts on the records
it made, so the tests depend neither on each other, nor on their order, nor
on earlier runs in the same database.  They take screenshots of the main
screens into static/description/ (the app page uses them).
"""
import json
import subprocess
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

from .e2e_helpers import (VIEWPORT, Rpc, Ui, Watch, failure_screenshot, log_size, number,
                          server_log_errors)
from .server import OdooServer, launch_chromium

JOB_ORDER_LINES = '.o_content .o_field_one2many[name=line_ids] tbody tr.o_data_row'
ORDER_LINES = '.o_content .o_field_one2many[name=order_line] tbody tr.o_data_row'
CHAIR, SHELF, TABLE = ('[FUR-CHAIR] Beech Chair', '[FUR-BOOKSHELF] Pine Bookshelf',
                       '[FUR-TABLE] Oak Dining Table')


@pytest.fixture(scope='module')
def server():
    with OdooServer() as running:
        yield running


@pytest.fixture(scope='module')
def admin(server):
    return Rpc(server.url, server.db)


@pytest.fixture(scope='module')
def report_assets(server, admin):
    """Print a cost report once before any browser session: the first PDF
    of a database compiles Odoo's report stylesheet bundle, and compiling it
    clears every cache of the registry (assetsbundle.clean_attachments) while
    wkhtmltopdf and the browser are calling the server; the browser's next
    request then came back "Session expired" now and then. A planner prints
    after the bundle exists; so does the test. The report must be a PDF."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    login = json.dumps({'jsonrpc': '2.0', 'method': 'call', 'params': {
        'db': server.db, 'login': 'admin', 'password': 'admin'}}).encode()
    answer = json.loads(opener.open(urllib.request.Request(
        server.url + '/web/session/authenticate', data=login,
        headers={'Content-Type': 'application/json'}), timeout=60).read().decode())
    assert answer.get('result', {}).get('uid'), answer
    order_id = admin('mrp.job.order', 'search', [], limit=1)[0]
    pdf = opener.open('%s/report/pdf/mrp_job_order.report_job_order_cost/%d' % (
        server.url, order_id), timeout=180).read()
    assert pdf.startswith(b'%PDF-')


@pytest.fixture(scope='module')
def ids(admin):
    """Demo records the tests build on."""
    return {
        'chair': admin.ref('mrp_job_order.product_chair'),
        'bookshelf': admin.ref('mrp_job_order.product_bookshelf'),
        'table': admin.ref('mrp_job_order.product_dining_table'),
        'stock': admin.ref('stock.stock_location_stock'),
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


def test_sales_order_to_partial_backflush_and_cost_report(admin, ids, ui):
    page = ui.page
    # a confirmed order of three products made here; the table will be unticked
    partner = admin.customer_named('Osteria del Ponte', city='Verona')
    order_id, order_name, (chair_line, shelf_line, table_line) = admin.confirmed_sale_order(
        partner, [(ids['chair'], 3.0), (ids['bookshelf'], 2.0), (ids['table'], 1.0)],
        lead_days=14, client_order_ref='Terrace and reading corner')
    for product, qty in (('chair', 3.0), ('bookshelf', 2.0)):
        admin.components_in_stock(ids[product], qty, ids['stock'])

    # the planner opens the order from Sales > Orders
    ui.login('planner', 'planner')
    ui.menu('sale.sale_menu_root', 'sale.menu_sale_order', 'Sales Orders')
    ui.search(order_name)
    ui.open_row(order_name)
    assert ui.state() == 'sale'
    button = ui.header_button('Create Production Order')
    button.wait_for()
    ui.screenshot('sale_order')

    # the wizard opens on the order's lines, previewed, multi-product
    button.click()
    wizard = ui.wait_modal()
    rows = ui.modal_rows('line_ids')
    assert set(ui.table(rows)) == {CHAIR, SHELF, TABLE}
    assert all(row.locator('input[type=checkbox]').is_checked() for row in rows.all())
    assert page.is_checked(wizard + ' .o_field_radio[name=mode] input[data-value=multi]')
    assert ui.field_text('sale_order_ids', wizard) == order_name
    # planned in full: not netted against stock or job orders already open
    page.uncheck(wizard + ' .o_field_boolean[name=net_stock] input')
    # leave the table out
    ui.modal_rows('line_ids').filter(has_text=TABLE).locator('td.o_data_cell').first.click()
    page.uncheck(wizard + ' tr.o_selected_row .o_field_boolean[name=selected] input')
    wizard = ui.wizard_button('action_preview')
    ui.wait_modal()
    rows = ui.modal_rows('line_ids')
    shown = ui.table(rows)
    assert set(shown) == {CHAIR, SHELF, TABLE}
    proposal = 'Multi: Osteria del Ponte, %s (WH)' % order_name
    for product, qty in ((CHAIR, 3.0), (SHELF, 2.0)):
        assert (number(shown[product]['To Plan']), shown[product]['Proposed Job Order'],
                shown[product]['Not Planned Because']) == (qty, proposal, '')
    assert (number(shown[TABLE]['To Plan']), shown[TABLE]['Proposed Job Order'],
            shown[TABLE]['Not Planned Because']) == (0.0, '', 'Unticked in the preview.')
    assert not rows.filter(has_text=TABLE).locator('input[type=checkbox]').is_checked()
    assert rows.filter(has_text=CHAIR).locator('input[type=checkbox]').is_checked()
    assert ui.field_text('summary', wizard).startswith(
        '1 job order(s) with 2 line(s) proposed; 1 demand line(s) not planned.')
    rows.last.scroll_into_view_if_needed()
    ui.screenshot('preview')

    # generate: the list of the job orders made, titled with what happened
    # (the unticked line is the planner's choice, not a skipped demand)
    ui.wizard_button('action_generate')
    ui.wait_no_modal()
    ui.wait_breadcrumb(r'^\s*1 job order\(s\) created, 0 updated, 0 demand line\(s\) skipped')
    rows = ui.list_rows()
    assert rows.count() == 1
    listed = ui.cells(rows.first)
    assert (listed['Mode'], listed['Customer'], listed['Origin'], listed['State']) == (
        'Multi-product', 'Osteria del Ponte', order_name, 'Draft')
    assert number(listed['Quantity']) == 5.0
    ui.open_row('Osteria del Ponte')

    # the job order: two lines, draft
    assert ui.state() == 'draft'
    name = ui.field_text('name')
    assert name == listed['Reference']
    assert ui.field_text('sale_order_ids') == order_name
    assert line_quantities(ui) == {CHAIR: (3.0, 0.0, 0.0), SHELF: (2.0, 0.0, 0.0)}

    # confirm, then every component to WIP
    ui.header_button('Confirm').click()
    ui.wait_state('confirmed')
    ui.header_button('Transfer All').click()
    ui.wait_state('in_progress')
    assert line_quantities(ui) == {CHAIR: (3.0, 3.0, 0.0), SHELF: (2.0, 2.0, 0.0)}

    # backflush part: 2 of the 3 chairs (the wizard proposes 3), both bookshelves
    ui.header_button('Backflush').click()
    ui.wait_modal()
    rows = ui.modal_rows('line_ids')
    shown = ui.table(rows)
    assert {product: number(cells['Quantity']) for product, cells in shown.items()} == {
        CHAIR: 3.0, SHELF: 2.0}
    ui.edit_cell(rows.filter(has_text=CHAIR), 'Quantity', 'qty_to_produce', '2')
    ui.wizard_button('action_validate')
    ui.wait_no_modal()
    ui.wait_cell(page.locator(JOB_ORDER_LINES).filter(has_text=CHAIR), 'Qty Produced', '2.000')
    assert line_quantities(ui) == {CHAIR: (3.0, 3.0, 2.0), SHELF: (2.0, 2.0, 2.0)}
    assert ui.state() == 'in_progress'
    assert number(ui.field_text('qty_produced', '.o_content .oe_subtotal_footer')) == 4.0
    ui.screenshot('job_order_form')

    # the cost report: Print > Cost Report downloads a PDF
    with page.expect_download() as download, page.expect_response(
            lambda response: '/report/download' in response.url) as answer:
        ui.print_menu('Cost Report')
    assert answer.value.status == 200
    assert answer.value.headers['content-type'] == 'application/pdf'
    assert download.value.suggested_filename == 'Job Order Costs - %s.pdf' % name.replace('/', '_')
    with open(download.value.path(), 'rb') as pdf:
        content = pdf.read()
    assert content.startswith(b'%PDF-')
    text = subprocess.run(['pdftotext', '-layout', '-', '-'], input=content,
                          stdout=subprocess.PIPE, check=True).stdout.decode()
    assert name in text and 'Beech Chair' in text and 'Pine Bookshelf' in text
    ui.idle()

    # back on the sales order: planned and produced per line, the table not planned
    page.click('.o_control_panel .breadcrumb a:text-is("%s")' % order_name)
    ui.wait_breadcrumb(r'^\s*%s\s*$' % order_name)
    page.wait_for_selector('.o_content .o_form_view')
    ui.idle()
    assert page.inner_text(
        '.o_content .o_field_widget[name=job_order_count] .o_stat_value').strip() == '1'
    assert {product: (number(cells['Planned']), number(cells['Produced']))
            for product, cells in ui.table(page.locator(ORDER_LINES)).items()} == {
        CHAIR: (3.0, 2.0), SHELF: (2.0, 2.0), TABLE: (0.0, 0.0)}

    # the database agrees
    job_order_ids = admin('mrp.job.order', 'search', [('sale_order_ids', 'in', [order_id])])
    assert len(job_order_ids) == 1
    job_order = admin.read_one('mrp.job.order', job_order_ids[0], [
        'name', 'state', 'mode', 'partner_id', 'line_ids', 'product_qty', 'qty_produced'])
    assert (job_order['name'], job_order['state'], job_order['mode'],
            job_order['partner_id'][0]) == (name, 'in_progress', 'multi', partner)
    assert (job_order['product_qty'], job_order['qty_produced']) == (5.0, 4.0)
    lines = {line['product_id'][0]: line for line in admin(
        'mrp.job.order.line', 'read', job_order['line_ids'],
        ['product_id', 'product_qty', 'qty_transferred', 'qty_produced', 'qty_remaining'])}
    assert {product: (line['product_qty'], line['qty_transferred'], line['qty_produced'],
                      line['qty_remaining'])
            for product, line in lines.items()} == {ids['chair']: (3.0, 3.0, 2.0, 1.0),
                                                   ids['bookshelf']: (2.0, 2.0, 2.0, 0.0)}
    # pegged: the ticked lines in full, nothing for the unticked one
    pegging = admin('mrp.job.order.demand', 'search_read',
                    [('sale_line_id', 'in', [chair_line, shelf_line, table_line])],
                    ['sale_line_id', 'line_id', 'source', 'product_qty'])
    assert sorted((peg['sale_line_id'][0], peg['line_id'][0], peg['source'], peg['product_qty'])
                  for peg in pegging) == sorted([
                      (chair_line, lines[ids['chair']]['id'], 'sale', 3.0),
                      (shelf_line, lines[ids['bookshelf']]['id'], 'sale', 2.0)])


def test_generation_wizard_from_the_menu_in_mono_mode(admin, ids, ui):
    page = ui.page
    # a confirmed order with two products made here, a service and a product
    # without a bill of materials
    partner = admin.customer_named('Caffè Centrale', city='Parma')
    service = admin.product_named('On-site Assembly', type='service', list_price=45.0)
    tray = admin.product_named('Oak Serving Tray', type='product', list_price=39.0)
    assert not admin('mrp.bom', 'search', [('product_tmpl_id.product_variant_ids', '=', tray)])
    order_id, order_name, order_lines = admin.confirmed_sale_order(
        partner, [(ids['chair'], 4.0), (ids['bookshelf'], 1.0), (service, 2.0), (tray, 6.0)],
        lead_days=10)

    # Manufacturing > Job Orders > Generate Job Orders
    ui.login('planner', 'planner')
    ui.menu('mrp.menu_mrp_root', 'mrp_job_order.menu_mrp_job_order_generate')
    wizard = ui.wait_modal()
    assert page.inner_text(wizard + ' .modal-title').strip() == 'Generate Job Orders'
    page.check(wizard + ' .o_field_radio[name=mode] input[data-value=mono]')
    page.wait_for_selector(wizard + ' .o_field_widget[name=group_by]', state='hidden')
    for source, wanted in (('use_sale', True), ('use_forecast', False),
                           ('use_min_stock', False), ('use_warehouse', False)):
        page.set_checked(wizard + ' .o_field_boolean[name=%s] input' % source, wanted)
    page.uncheck(wizard + ' .o_field_boolean[name=net_stock] input')
    ui.add_tag(wizard, 'sale_order_ids', order_name)

    # preview: what will be planned, and why the rest will not
    wizard = ui.wizard_button('action_preview')
    ui.wait_modal()
    assert page.is_checked(wizard + ' .o_field_radio[name=mode] input[data-value=mono]')
    rows = ui.modal_rows('line_ids')
    shown = ui.table(rows)
    assert {product: (number(cells['Quantity']), number(cells['To Plan']),
                      cells['Proposed Job Order'], cells['Not Planned Because'])
            for product, cells in shown.items()} == {
        CHAIR: (4.0, 4.0, 'Mono: %s (WH)' % CHAIR, ''),
        SHELF: (1.0, 1.0, 'Mono: %s (WH)' % SHELF, ''),
        'On-site Assembly': (2.0, 0.0, '', 'A service is not manufactured.'),
        'Oak Serving Tray': (6.0, 0.0, '', 'No bill of materials of this company makes '
                                           'this product.'),
    }
    assert all(cells['Document'] == order_name and cells['Customer'] == 'Caffè Centrale'
               for cells in shown.values())
    assert ui.field_text('summary', wizard).startswith(
        '2 job order(s) with 2 line(s) proposed; 2 demand line(s) not planned.')
    rows.last.scroll_into_view_if_needed()
    ui.screenshot('generate_wizard')

    # generate: two mono-product job orders, listed
    ui.wizard_button('action_generate')
    ui.wait_no_modal()
    ui.wait_breadcrumb(r'^\s*2 job order\(s\) created, 0 updated, 2 demand line\(s\) skipped')
    listed = ui.table(ui.list_rows())
    assert {product: (cells['Mode'], cells['Customer'], cells['Origin'], cells['State'],
                      number(cells['Quantity']))
            for product, cells in listed.items()} == {
        CHAIR: ('Mono-product', 'Caffè Centrale', order_name, 'Draft', 4.0),
        SHELF: ('Mono-product', 'Caffè Centrale', order_name, 'Draft', 1.0)}

    # the database agrees: one draft mono job order per product, pegged to
    # its sales order line; nothing for the service and the tray
    pegging = admin('mrp.job.order.demand', 'search_read',
                    [('sale_line_id', 'in', order_lines)],
                    ['sale_line_id', 'job_order_id', 'product_qty'])
    assert sorted((peg['sale_line_id'][0], peg['product_qty']) for peg in pegging) == [
        (order_lines[0], 4.0), (order_lines[1], 1.0)]
    job_orders = admin('mrp.job.order', 'read', [peg['job_order_id'][0] for peg in pegging],
                       ['name', 'mode', 'state', 'product_id', 'product_qty'])
    assert sorted((jo['name'], jo['mode'], jo['state'], jo['product_id'][0], jo['product_qty'])
                  for jo in job_orders) == sorted(
        (listed[product]['Reference'], 'mono', 'draft', ids[key], qty)
        for product, key, qty in ((CHAIR, 'chair', 4.0), (SHELF, 'bookshelf', 1.0)))

    # every job order of the plant, as a list and as cards by state
    ui.menu('mrp.menu_mrp_root', 'mrp_job_order.menu_mrp_job_order', 'Production Job Orders')
    assert ui.row(listed[CHAIR]['Reference']).count() == 1
    ui.screenshot('job_order_list')
    ui.switch_view('kanban')
    columns = page.locator('.o_content .o_kanban_view .o_kanban_group')
    assert columns.filter(has_text=listed[CHAIR]['Reference']).locator(
        '.o_column_title').inner_text().strip().startswith('Draft')
    # the columns come in alphabetical order: show the last ones, draft and started
    columns.filter(has_text='In Progress').scroll_into_view_if_needed()
    ui.screenshot('job_order_kanban')


def line_quantities(ui):
    """{product: (quantity, transferred, produced)} of the job order on screen."""
    return {product: tuple(number(cells[title])
                           for title in ('Quantity', 'Qty Transferred', 'Qty Produced'))
            for product, cells in ui.table(ui.page.locator(JOB_ORDER_LINES)).items()}
