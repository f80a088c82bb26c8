# -*- coding: utf-8 -*-
"""Deterministic (seeded) benchmark data, loaded through the ORM into a
database that has mrp_job_order installed.

    P finished products, each with a two-level BOM (sub-assemblies made of raw
    materials, plus raw materials) and a routing; P/5 sub-assemblies (BOM and
    routing of their own); P/2 raw materials, some bought in kg and used in g;
    C customers; L sales order lines (1..9 per order) confirmed the ordinary
    way (Odoo creates their deliveries); monthly forecasts; reordering rules
    below their minimum; components on hand for everything.

Runs inside an Odoo environment (see run.py ``worker``); every random choice
comes from one ``random.Random(seed)``, so the same arguments give the same
data.
"""
import datetime
import random
import time

CONTEXT = {'tracking_disable': True, 'mail_notrack': True, 'mail_create_nolog': True,
           'mail_auto_subscribe_no_notify': True}


def _log(message):
    print('[datagen] %s' % message, flush=True)


def generate(env, seed=1, products=200, customers=100, lines=10000, commit=None):
    rnd = random.Random(seed)
    env = env(context=dict(env.context, **CONTEXT))
    commit = commit or (lambda: None)
    started = time.time()
    company = env.ref('base.main_company')
    warehouse = env.ref('stock.warehouse0')
    stock = warehouse.lot_stock_id
    unit = env.ref('product.product_uom_unit')
    kg = env.ref('product.product_uom_kgm')
    gram = env.ref('product.product_uom_gram')
    category = env['product.category'].create({
        'name': 'Bench', 'property_cost_method': 'average',
        'property_valuation': 'manual_periodic'})
    Product = env['product.product']

    def product(name, cost, uom=unit, **extra):
        vals = {'name': name, 'type': 'product', 'uom_id': uom.id, 'uom_po_id': uom.id,
                'standard_price': cost, 'categ_id': category.id, 'default_code': name}
        vals.update(extra)
        return Product.create(vals)

    # -- catalogue ------------------------------------------------------------
    raw_count, sub_count = max(products // 2, 4), max(products // 5, 2)
    raws = [product('BR%05d' % n, round(rnd.uniform(0.5, 20), 2),
                    kg if n % 10 == 0 else unit) for n in range(raw_count)]
    subs = [product('BS%05d' % n, 0.0) for n in range(sub_count)]
    finished = [product('BF%05d' % n, 0.0, sale_ok=True,
                        list_price=round(rnd.uniform(50, 500), 2),
                        sale_delay=rnd.choice((0, 3, 7, 14)))
                for n in range(products)]
    Workcenter = env['mrp.workcenter']
    workcenters = [Workcenter.create({'name': 'Bench WC %d' % n}) for n in range(3)]
    Routing = env['mrp.routing']
    routings = [Routing.create({
        'name': 'Bench routing %d' % n,
        'operation_ids': [(0, 0, {'name': 'Op %d.%d' % (n, k),
                                  'workcenter_id': workcenters[(n + k) % 3].id,
                                  'time_mode': 'manual',
                                  'time_cycle_manual': float(rnd.choice((5, 10, 30)))})
                          for k in range(1 + n % 2)]}) for n in range(6)]

    def raw_line(raw):
        if raw.uom_id == kg:
            return (0, 0, {'product_id': raw.id, 'product_qty': float(rnd.choice((50, 250))),
                           'product_uom_id': gram.id})
        return (0, 0, {'product_id': raw.id, 'product_qty': float(rnd.choice((1, 2, 4))),
                       'product_uom_id': unit.id})

    Bom = env['mrp.bom']
    for sub in subs:
        Bom.create({'product_tmpl_id': sub.product_tmpl_id.id, 'product_qty': 1.0,
                    'product_uom_id': unit.id, 'company_id': company.id,
                    'routing_id': rnd.choice(routings).id,
                    'bom_line_ids': [raw_line(r) for r in rnd.sample(raws, rnd.randint(2, 4))]})
    for item in finished:
        bom_lines = [(0, 0, {'product_id': s.id, 'product_qty': float(rnd.choice((1, 2))),
                             'product_uom_id': unit.id})
                     for s in rnd.sample(subs, rnd.randint(1, 2))]
        bom_lines += [raw_line(r) for r in rnd.sample(raws, rnd.randint(1, 3))]
        Bom.create({'product_tmpl_id': item.product_tmpl_id.id, 'product_qty': 1.0,
                    'product_uom_id': unit.id, 'company_id': company.id,
                    'routing_id': rnd.choice(routings).id, 'bom_line_ids': bom_lines})
    _log('%d finished, %d sub-assemblies, %d raw materials' % (
        len(finished), len(subs), len(raws)))

    # -- stock: components for everything, a little finished stock ---------------
    Quant = env['stock.quant']
    for raw in raws:
        Quant._update_available_quantity(raw, stock, 1000000.0)
    for sub in subs:
        Quant._update_available_quantity(sub, stock, 100000.0)
    for item in rnd.sample(finished, max(len(finished) // 10, 1)):
        Quant._update_available_quantity(item, stock, float(rnd.randint(5, 30)))
    commit()

    # -- customers and sales orders -------------------------------------------
    Partner = env['res.partner']
    partners = [Partner.create({'name': 'Bench Customer %04d' % n, 'customer': True})
                for n in range(customers)]
    now = datetime.datetime.now().replace(microsecond=0)
    SaleOrder = env['sale.order']
    made, orders = 0, SaleOrder.browse()
    batch = SaleOrder.browse()
    while made < lines:
        count = min(rnd.randint(1, 9), lines - made)
        partner = rnd.choice(partners)
        order_lines = []
        for _n in range(count):
            item = rnd.choice(finished)
            order_lines.append((0, 0, {
                'product_id': item.id, 'name': item.default_code,
                'product_uom_qty': float(rnd.randint(1, 20)), 'product_uom': unit.id,
                'price_unit': item.list_price, 'tax_id': [(6, 0, item.taxes_id.ids)],
                'customer_lead': float(item.sale_delay)}))
        date = now - datetime.timedelta(days=rnd.randint(0, 20), hours=rnd.randint(0, 23))
        order = SaleOrder.create({
            'partner_id': partner.id, 'partner_invoice_id': partner.id,
            'partner_shipping_id': partner.id, 'warehouse_id': warehouse.id,
            'date_order': date.strftime('%Y-%m-%d %H:%M:%S'),
            'job_order_priority': rnd.choice(('0', '0', '0', '1', '1', '2', '3')),
            'order_line': order_lines})
        made += count
        batch |= order
        if len(batch) >= 100:
            _confirm(batch, date)
            orders |= batch
            batch = SaleOrder.browse()
            commit()
            _log('%d sales order lines confirmed (%.0f s)' % (made, time.time() - started))
    if batch:
        _confirm(batch, now)
        orders |= batch
    commit()

    # -- forecasts: three months from this one ---------------------------------
    range_type = env['date.range.type'].create({'name': 'Bench month', 'allow_overlap': False})
    first = now.date().replace(day=1)
    months = []
    for n in range(3):
        start = (first + datetime.timedelta(days=32 * n)).replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        months.append(env['date.range'].create({
            'name': 'Bench %s' % start.strftime('%Y-%m'), 'type_id': range_type.id,
            'date_start': start.strftime('%Y-%m-%d'), 'date_end': end.strftime('%Y-%m-%d'),
            'company_id': company.id}))
    Estimate = env['stock.demand.estimate']
    for item in rnd.sample(finished, max(len(finished) // 4, 1)):
        for month in months:
            Estimate.create({'date_range_id': month.id, 'product_id': item.id,
                             'location_id': stock.id, 'product_uom_qty': float(rnd.randint(20, 200)),
                             'product_uom': unit.id})

    # -- reordering rules below their minimum (no stock, no incoming) ----------
    Orderpoint = env['stock.warehouse.orderpoint']
    stocked = set(Quant.search([('location_id', '=', stock.id)]).mapped('product_id').ids)
    candidates = [p for p in subs + finished if p.id not in stocked]
    for item in rnd.sample(candidates, min(len(candidates), max(products // 10, 1))):
        Orderpoint.create({'product_id': item.id, 'warehouse_id': warehouse.id,
                           'location_id': stock.id, 'product_min_qty': 10.0,
                           'product_max_qty': 50.0, 'qty_multiple': 5.0})
    commit()
    _log('done: %d orders, %d lines in %.0f s' % (len(orders), made, time.time() - started))
    return {'orders': len(orders), 'lines': made}


def _confirm(orders, _date):
    """Confirmed with their deliveries as Odoo's action_confirm leaves them
    (state, procurement group, a delivery picking per order with one
    confirmed move per line from the warehouse's delivery rule), but written
    directly: going through procurement line by line takes about 150 ms a
    line on this machine, most of an hour for 10,000 lines, and this is
    only the template's data, not a measured path."""
    env = orders.env
    now = datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S')
    orders.write({'state': 'sale', 'confirmation_date': now})
    Picking = env['stock.picking']
    for order in orders:
        warehouse = order.warehouse_id
        rule = warehouse.delivery_route_id.pull_ids.filtered(
            lambda r: r.action == 'move' and r.location_src_id == warehouse.lot_stock_id)[:1]
        group = env['procurement.group'].create({
            'name': order.name, 'move_type': order.picking_policy, 'sale_id': order.id,
            'partner_id': order.partner_shipping_id.id})
        order.procurement_group_id = group
        destination = order.partner_shipping_id.property_stock_customer
        moves = []
        for line in order.order_line:
            date = (datetime.datetime.strptime(now, '%Y-%m-%d %H:%M:%S')
                    + datetime.timedelta(days=line.customer_lead or 0.0)
                    ).strftime('%Y-%m-%d %H:%M:%S')
            moves.append((0, 0, {
                'name': line.name, 'company_id': order.company_id.id,
                'product_id': line.product_id.id, 'product_uom': line.product_uom.id,
                'product_uom_qty': line.product_uom_qty,
                'partner_id': order.partner_shipping_id.id,
                'location_id': warehouse.lot_stock_id.id, 'location_dest_id': destination.id,
                'rule_id': rule.id, 'procure_method': 'make_to_stock', 'origin': order.name,
                'picking_type_id': warehouse.out_type_id.id, 'group_id': group.id,
                'warehouse_id': warehouse.id, 'date': date, 'date_expected': date,
                'sale_line_id': line.id, 'state': 'confirmed'}))
        Picking.create({
            'partner_id': order.partner_shipping_id.id, 'picking_type_id': warehouse.out_type_id.id,
            'location_id': warehouse.lot_stock_id.id, 'location_dest_id': destination.id,
            'origin': order.name, 'group_id': group.id, 'move_type': order.picking_policy,
            'company_id': order.company_id.id, 'move_lines': moves})
