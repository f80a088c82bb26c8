"""Where demand comes from: sales order lines, forecasts, reordering rules and
warehouse needs, read set-wise (a few queries per source, none per line) and
turned into plain dicts the planner hands to the engine."""
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import float_round


def _to_date(value):
    if not value:
        return None
    if isinstance(value, str):
        return fields.Date.from_string(value[:10])
    return value.date() if isinstance(value, datetime) else value


class MrpJobOrderDemandSource(models.AbstractModel):
    _name = 'mrp.job.order.demand.source'
    _description = 'Job Order Demand Sources'

    @api.model
    def _collect(self, params):
        demands = []
        if params['use_sale']:
            demands += self._demand_sale(params)
        if params['use_forecast']:
            demands += self._demand_forecast(params)
        if params['use_min_stock']:
            demands += self._demand_min_stock(params, demands)
        if params['use_warehouse']:
            demands += self._demand_warehouse(params, demands)
        demands += self._demand_manual(params)
        return demands

    @api.model
    def _demand_manual(self, params):
        """Quantities typed by the planner (product list, purchase order):
        (product_id, qty in product UoM, date, reference, warehouse_id)."""
        Product = self.env['product.product']
        demands = []
        for index, (product_id, qty, date, reference, warehouse_id) in \
                enumerate(params.get('manual') or ()):
            product = Product.browse(product_id)
            demands.append(self._demand(
                ('manual', index), 'manual', product, qty, _to_date(date),
                warehouse_id=warehouse_id, reference=reference or '', record_id=None))
        return demands

    # -- common ---------------------------------------------------------------
    @api.model
    def _product_domain(self, params):
        domain = [('type', 'in', ('product', 'consu', 'service'))]
        if params['product_ids']:
            domain.append(('id', 'in', params['product_ids']))
        if params['categ_ids']:
            domain.append(('categ_id', 'child_of', params['categ_ids']))
        return domain

    @api.model
    def _warehouses(self, params):
        Warehouse = self.env['stock.warehouse']
        if params['warehouse_ids']:
            return Warehouse.browse(params['warehouse_ids'])
        return Warehouse.search([('company_id', '=', params['company_id'])])

    @api.model
    def _pegged(self, field, ids):
        """Quantity already pegged to each source record by job orders that
        are not cancelled (product UoM)."""
        if not ids:
            return {}
        data = self.env['mrp.job.order.demand'].sudo().read_group(
            [(field, 'in', list(ids)), ('state', '!=', 'cancel')],
            [field, 'product_qty'], [field])
        return {row[field][0]: row['product_qty'] for row in data}

    @api.model
    def _in_horizon(self, date, params):
        date_to = _to_date(params['date_to'])
        return not (date_to and date and date > date_to)

    @staticmethod
    def _demand(key, source, product, qty, date, **values):
        demand = {'key': key, 'source': source, 'product_id': product.id, 'qty': qty,
                  'date': date, 'priority': 0, 'partner_id': None, 'project_id': None,
                  'sale_order_id': None, 'warehouse_id': None, 'reference': '',
                  'period': None, 'skip_reason': None, 'net': True,
                  'record_id': key[1] if isinstance(key[1], int) else None}
        demand.update(values)
        return demand

    # -- sales ----------------------------------------------------------------
    @api.model
    def _sale_line_domain(self, params):
        domain = [('order_id.company_id', '=', params['company_id']),
                  ('product_id.type', 'in', ('product', 'consu', 'service')),
                  ('display_type', '=', False) if 'display_type' in
                  self.env['sale.order.line']._fields else ('id', '!=', False)]
        explicit = params['sale_line_ids'] or params['sale_order_ids']
        if params['sale_line_ids']:
            domain.append(('id', 'in', params['sale_line_ids']))
        if params['sale_order_ids']:
            domain.append(('order_id', 'in', params['sale_order_ids']))
        if not explicit:
            # picked by hand, cancelled or locked orders are shown with the
            # reason they are not planned; otherwise they are just not demand
            domain.append(('order_id.state', '=', 'sale'))
        if params['partner_ids']:
            domain.append(('order_id.partner_id', 'child_of', params['partner_ids']))
        if params['product_ids']:
            domain.append(('product_id', 'in', params['product_ids']))
        if params['categ_ids']:
            domain.append(('product_id.categ_id', 'child_of', params['categ_ids']))
        if params['warehouse_ids']:
            domain.append(('order_id.warehouse_id', 'in', params['warehouse_ids']))
        return domain

    @api.model
    def _demand_sale(self, params):
        lines = self.env['sale.order.line'].search(self._sale_line_domain(params),
                                                   order='order_id, sequence, id')
        pegged = self._pegged('sale_line_id', lines.ids)
        demands = []
        # only the fields used below are read from the lines (one query per
        # field for all of them), not every column; what depends only on the
        # order or the product is read once per order and product (all of
        # them at once), not once per line
        lines = lines.with_context(prefetch_fields=False)
        of_order = {}
        for order in self.env['sale.order'].browse(lines.mapped('order_id').ids):
            state = order.state
            if state == 'cancel':
                skip = 'cancelled'
            elif state == 'done':
                skip = 'locked'
            elif state != 'sale':
                skip = 'not_confirmed'
            else:
                skip = None
            of_order[order.id] = (
                skip, fields.Datetime.from_string(order.date_order), dict(
                    priority=int(order.job_order_priority or 0),
                    partner_id=order.partner_id.id,
                    project_id=order.analytic_account_id.id or None,
                    sale_order_id=order.id, warehouse_id=order.warehouse_id.id,
                    reference=order.name))
        Product = self.env['product.product']
        of_product = {product.id: (product, product.uom_id, product.uom_id.rounding,
                                   product.job_order_produced)
                      for product in Product.browse(lines.mapped('product_id').ids)}
        for line in lines:
            order_skip, date_order, values = of_order[line.order_id.id]
            product, uom, rounding, produced = of_product[line.product_id.id]
            qty = line.product_uom._compute_quantity(
                line.product_uom_qty - line.qty_delivered, uom, round=False)
            qty = float_round(qty - pegged.get(line.id, 0.0), precision_rounding=rounding)
            date = _to_date(date_order + timedelta(days=line.customer_lead or 0.0))
            skip = order_skip
            if not skip and not produced:
                skip = 'not_produced'
            if qty <= 0 and not skip:
                continue  # delivered or already planned: nothing new
            if not self._in_horizon(date, params):
                continue
            demands.append(self._demand(
                ('sale', line.id), 'sale', product, max(qty, 0.0), date, skip_reason=skip,
                **values))
        return demands

    # -- forecasts ------------------------------------------------------------
    @api.model
    def _demand_forecast(self, params):
        date_from, date_to = _to_date(params['date_from']), _to_date(params['date_to'])
        domain = [('company_id', '=', params['company_id']), ('product_qty', '>', 0)]
        if date_to:
            domain.append(('date_range_id.date_start', '<=', fields.Date.to_string(date_to)))
        if date_from:
            domain.append(('date_range_id.date_end', '>=', fields.Date.to_string(date_from)))
        if params['product_ids']:
            domain.append(('product_id', 'in', params['product_ids']))
        if params['categ_ids']:
            domain.append(('product_id.categ_id', 'child_of', params['categ_ids']))
        estimates = self.env['stock.demand.estimate'].search(domain)
        warehouses = self._warehouses(params)
        pegged = self._pegged('estimate_id', estimates.ids)
        demands = []
        for estimate in estimates:
            warehouse = estimate.location_id.get_warehouse()
            if warehouse not in warehouses:
                continue
            start = _to_date(estimate.date_range_id.date_start)
            end = _to_date(estimate.date_range_id.date_end)
            part_start = max(start, date_from) if date_from else start
            part_end = min(end, date_to) if date_to else end
            qty = estimate.get_quantity_by_date_range(part_start, part_end) \
                - pegged.get(estimate.id, 0.0)
            qty = float_round(qty, precision_rounding=estimate.product_id.uom_id.rounding)
            if qty <= 0:
                continue
            demands.append(self._demand(
                ('forecast', estimate.id), 'forecast', estimate.product_id, qty, part_start,
                warehouse_id=warehouse.id, reference=estimate.display_name,
                period=(part_start, part_end)))
        return demands

    @api.model
    def _forecast_consumers(self, params, demands):
        """Sales quantities that consume forecasts although they are not
        demand of this run: already planned or delivered."""
        forecasts = [d for d in demands if d['source'] == 'forecast']
        if not forecasts:
            return []
        first = min(d['period'][0] for d in forecasts)
        last = max(d['period'][1] for d in forecasts)
        products = list({d['product_id'] for d in forecasts})
        in_run = {d['key'][1]: d['qty'] for d in demands if d['source'] == 'sale'}
        lines = self.env['sale.order.line'].search([
            ('product_id', 'in', products), ('order_id.state', 'in', ('sale', 'done')),
            ('order_id.company_id', '=', params['company_id']),
            ('order_id.date_order', '>=', fields.Date.to_string(first - timedelta(days=366))),
        ])
        consumers = []
        for line in lines:
            date = _to_date(fields.Datetime.from_string(line.order_id.date_order)
                            + timedelta(days=line.customer_lead or 0.0))
            if not (first <= date <= last):
                continue
            qty = line.product_uom._compute_quantity(line.product_uom_qty,
                                                     line.product_id.uom_id, round=False)
            qty -= in_run.get(line.id, 0.0)
            if qty > 0:
                consumers.append((line.product_id.id, line.order_id.warehouse_id.id, date, qty))
        return consumers

    # -- stock projections (low stock and warehouse needs) ---------------------
    @api.model
    def _open_job_order_qty(self, products, warehouses):
        """Quantity still to produce on open job orders, product UoM."""
        lines = self.env['mrp.job.order.line'].sudo().search([
            ('product_id', 'in', products.ids), ('warehouse_id', 'in', warehouses.ids),
            ('state', 'in', ('draft', 'confirmed', 'in_progress'))])
        result = defaultdict(float)
        for line in lines:
            result[(line.product_id.id, line.warehouse_id.id)] += \
                line.product_uom_id._compute_quantity(line.qty_remaining,
                                                      line.product_id.uom_id, round=False)
        return result

    @api.model
    def _sale_qty_in_run(self, demands):
        """Sales demand of this run: Odoo's projection already subtracts its
        deliveries, and this run plans it, so it must not count twice."""
        result = defaultdict(float)
        for demand in demands:
            if demand['source'] == 'sale' and not demand['skip_reason']:
                result[(demand['product_id'], demand['warehouse_id'])] += demand['qty']
        return result

    @api.model
    def _demand_min_stock(self, params, demands):
        domain = [('company_id', '=', params['company_id'])]
        if params['warehouse_ids']:
            domain.append(('warehouse_id', 'in', params['warehouse_ids']))
        if params['product_ids']:
            domain.append(('product_id', 'in', params['product_ids']))
        if params['categ_ids']:
            domain.append(('product_id.categ_id', 'child_of', params['categ_ids']))
        rules = self.env['stock.warehouse.orderpoint'].search(domain)
        if not rules:
            return []
        open_qty = self._open_job_order_qty(rules.mapped('product_id'),
                                            rules.mapped('warehouse_id'))
        in_run = self._sale_qty_in_run(demands)
        date_to = params['date_to']
        result = []
        for rule in rules:
            product = rule.product_id.with_context(location=rule.location_id.id,
                                                   to_date=date_to and '%s 23:59:59' % date_to)
            key = (product.id, rule.warehouse_id.id)
            projected = product.virtual_available + open_qty[key] + in_run[key]
            rounding = product.uom_id.rounding
            if float_round(projected - rule.product_min_qty, precision_rounding=rounding) >= 0:
                continue
            need = rule.product_max_qty - projected
            multiple = rule.qty_multiple or 0.0
            if multiple > 0:
                steps = -(-float_round(need / multiple, precision_digits=6) // 1)
                need = steps * multiple
            need = float_round(need, precision_rounding=rounding)
            if need <= 0:
                continue
            result.append(self._demand(
                ('min_stock', rule.id), 'min_stock', product, need,
                _to_date(fields.Date.context_today(self)), warehouse_id=rule.warehouse_id.id,
                reference=rule.name, net=False))
        return result

    @api.model
    def _demand_warehouse(self, params, demands):
        """Per warehouse and product: the projected shortfall within the
        horizon caused by outgoing moves that are not sales deliveries."""
        warehouses = self._warehouses(params)
        Move = self.env['stock.move']
        domain = [('state', 'not in', ('draft', 'done', 'cancel')),
                  ('company_id', '=', params['company_id']),
                  ('location_id.usage', '=', 'internal'),
                  ('job_order_id', '=', False)]
        if params['date_to']:
            domain.append(('date_expected', '<=', '%s 23:59:59' % params['date_to']))
        products = self.env['product.product'].search(self._product_domain(params))
        domain.append(('product_id', 'in', products.ids))
        moves = Move.search(domain)
        outgoing = defaultdict(float)
        for move in moves:
            warehouse = move.location_id.get_warehouse()
            if warehouse not in warehouses or move.sale_line_id:
                continue
            if move.location_dest_id.get_warehouse() == warehouse and \
                    move.location_dest_id.usage == 'internal':
                continue  # stays in the warehouse
            outgoing[(move.product_id, warehouse)] += move.product_qty
        if not outgoing:
            return []
        open_qty = self._open_job_order_qty(
            Move.env['product.product'].union(*[p for p, _w in outgoing]),
            warehouses)
        in_run = self._sale_qty_in_run(demands)
        result = []
        for (product, warehouse), qty_out in sorted(outgoing.items(),
                                                    key=lambda i: (i[0][1].id, i[0][0].id)):
            projected = product.with_context(
                warehouse=warehouse.id,
                to_date=params['date_to'] and '%s 23:59:59' % params['date_to']
            ).virtual_available
            key = (product.id, warehouse.id)
            projected += open_qty[key] + in_run[key]
            shortfall = min(-projected, qty_out)
            shortfall = float_round(shortfall, precision_rounding=product.uom_id.rounding)
            if shortfall <= 0:
                continue
            result.append(self._demand(
                ('warehouse', '%s-%s' % (warehouse.id, product.id)), 'warehouse', product,
                shortfall, _to_date(fields.Date.context_today(self)), warehouse_id=warehouse.id,
                reference=warehouse.name, net=False))
        return result
