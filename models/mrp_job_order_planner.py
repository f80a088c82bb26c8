"""Generation: demand in, job orders out.

Thin glue around the planning engine: read the facts set-wise, let
``planning.plan`` decide, then write job orders and pegging in batches.
"""
import time

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import planning
from .planning_bridge import collect_structure

# Reasons the engine or the sources give for not planning a demand, in words
# a planner understands.
REASONS = {
    'not_selected': 'Unticked in the preview.',
    'service': 'A service is not manufactured.',
    'no_bom': 'No bill of materials of this company makes this product.',
    'covered_by_stock': 'Served by stock on hand or by job orders already open.',
    'consumed_by_sales': 'Already ordered by customers (the forecast is consumed by sales '
                         'orders).',
    'zero_qty': 'The quantity rounds to zero in the product unit.',
    'cancelled': 'The sales order is cancelled.',
    'locked': 'The sales order is locked (done).',
    'not_confirmed': 'The sales order is not confirmed.',
    'not_produced': 'The product is not produced via job orders (see its settings).',
    'error': 'The product could not be planned (see the errors of the run).',
}


class MrpJobOrderPlanner(models.AbstractModel):
    _name = 'mrp.job.order.planner'
    _description = 'Job Order Generation'

    # records (lines and pegging) written between two recomputations
    _RECOMPUTE_BATCH = 400

    @api.model
    def _reason_text(self, code):
        return _(REASONS.get(code, code))

    # -- plan ---------------------------------------------------------------
    @api.model
    def _plan(self, params, unselected=()):
        """Demand and the engine's result for ``params`` (a dict, see
        mrp.job.order.generate.params._params_dict). Writes nothing."""
        company = self.env['res.company'].browse(params['company_id'])
        Source = self.env['mrp.job.order.demand.source']
        raw = Source._collect(params)
        unselected = set(unselected)
        products = self.env['product.product'].browse(sorted({d['product_id'] for d in raw}))
        engine_products, engine_boms = collect_structure(self.env, products, company)
        demands = [planning.Demand(
            d['key'], d['source'], d['product_id'], d['qty'], d['date'],
            priority=d['priority'], partner_id=d['partner_id'], project_id=d['project_id'],
            sale_order_id=d['sale_order_id'], warehouse_id=d['warehouse_id'],
            reference=d['reference'], period=d['period'], skip_reason=d['skip_reason'],
            selected=d['key'] not in unselected, net=d['net']) for d in raw]
        stock, open_supply = self._supply(engine_products, raw, params) \
            if params['net_stock'] else ({}, {})
        engine_params = planning.Params(
            mode=params['mode'], group_by=params['group_by'], net_stock=params['net_stock'],
            explode_subassemblies=params['explode_subassemblies'])
        errors = []
        try:
            result = planning.plan(demands, engine_products, engine_boms, engine_params,
                                   stock=stock, open_supply=open_supply,
                                   forecast_consumers=Source._forecast_consumers(params, raw))
        except planning.PlanningError as error:
            # one broken product (a BOM cycle...) must not stop the others
            result, errors = self._plan_per_product(demands, engine_products, engine_boms,
                                                    engine_params, stock, open_supply,
                                                    Source._forecast_consumers(params, raw))
            if not errors:
                errors = [str(error)]
        return raw, result, errors

    @api.model
    def _plan_per_product(self, demands, products, boms, params, stock, open_supply,
                          consumers):
        good, errors, failing = [], [], set()
        for product_id in sorted({d.product_id for d in demands}):
            subset = [d for d in demands if d.product_id == product_id]
            try:
                planning.plan(subset, products, boms, params, stock=stock,
                              open_supply=open_supply, forecast_consumers=consumers)
                good += subset
            except planning.PlanningError as error:
                failing.add(product_id)
                errors.append('%s: %s' % (
                    self.env['product.product'].browse(product_id).display_name, error))
        for demand in demands:
            if demand.product_id in failing:
                demand.skip_reason = 'error'
                good.append(demand)
        result = planning.plan(good, products, boms, params, stock=stock,
                               open_supply=open_supply, forecast_consumers=consumers)
        return result, errors

    @api.model
    def _supply(self, engine_products, raw, params):
        """Stock on hand per (product, warehouse), and open job order
        quantities not pegged to any demand."""
        warehouse_ids = sorted({d['warehouse_id'] for d in raw if d['warehouse_id']})
        product_ids = sorted(engine_products)
        stock, open_supply = {}, {}
        Product = self.env['product.product']
        for warehouse_id in warehouse_ids:
            products = Product.with_context(warehouse=warehouse_id).browse(product_ids)
            for product in products:
                if product.qty_available:
                    stock[(product.id, warehouse_id)] = product.qty_available
        lines = self.env['mrp.job.order.line'].sudo().search([
            ('product_id', 'in', product_ids), ('warehouse_id', 'in', warehouse_ids),
            ('state', 'in', ('draft', 'confirmed', 'in_progress'))])
        for line in lines:
            product = line.product_id
            qty = line.product_uom_id._compute_quantity(line.qty_remaining, product.uom_id,
                                                        round=False)
            unpegged = min(qty, line.product_uom_id._compute_quantity(
                line.product_qty, product.uom_id, round=False)
                - sum(line.demand_ids.mapped('product_qty')))
            if unpegged > 0:
                key = (product.id, line.warehouse_id.id)
                open_supply[key] = open_supply.get(key, 0.0) + unpegged
        return stock, open_supply

    # -- apply --------------------------------------------------------------
    @api.model
    def _lock(self, company):
        """Serialise generations of a company across workers: the second
        waits for the first, then fails to serialise and is retried with a
        snapshot that sees the first one's pegging."""
        self.env['mrp.job.order.run.lock']._acquire(company)

    @api.model
    def _generate(self, params, unselected=(), profile=None):
        """Plan and write; return the run log record."""
        started = time.time()
        company = self.env['res.company'].browse(params['company_id'])
        self._lock(company)
        reduced = self._reduce_excess(params) if params['update_existing'] else \
            self.env['mrp.job.order']
        raw, result, errors = self._plan(params, unselected)
        created, updated = self._apply(result, raw, params)
        updated |= reduced - created
        return self.env['mrp.job.order.run'].sudo()._log(
            params, raw, result, created, updated, errors, time.time() - started, profile)

    @api.model
    def _reduce_excess(self, params):
        """Demand decreased after planning: take the excess off open job
        orders that have not started; started ones keep it (flagged)."""
        excess = self.env['mrp.job.order.demand'].search([
            ('excess_qty', '>', 0), ('company_id', '=', params['company_id']),
            ('state', 'in', ('draft', 'confirmed'))])
        reduced = self.env['mrp.job.order']
        for record in excess:
            line = record.line_id
            if line.qty_transferred or line.qty_produced or any(
                    l.qty_transferred or l.qty_produced for l in line.job_order_id.line_ids):
                continue
            order = line.job_order_id
            qty = record.excess_qty
            line_qty = line.product_id.uom_id._compute_quantity(qty, line.product_uom_id,
                                                                round=False)
            note = _('Reduced by %s %s of %s: %s decreased after planning.') % (
                qty, line.product_id.uom_id.name, line.product_id.display_name,
                record.sale_line_id.order_id.name or record.source)
            if record.product_qty - qty > 1e-9:
                record.write({'product_qty': record.product_qty - qty, 'excess_qty': 0.0})
            else:
                record.unlink()
            remaining = line.product_qty - line_qty
            if remaining > 1e-9:
                line.with_context(job_order_no_manual_demand=True).product_qty = remaining
            else:
                line.unlink()
            if not order.line_ids:
                order.action_cancel()
            order.message_post(body=note)
            reduced |= order
        return reduced

    @api.model
    def _job_type(self, params):
        if params['type_id']:
            return self.env['mrp.job.order.type'].browse(params['type_id'])
        company = self.env['res.company'].browse(params['company_id'])
        return self.env['mrp.job.order.type']._default_for_company(company)

    @staticmethod
    def _group_key(proposal):
        return '|'.join(str(part) for part in proposal.key)

    @api.model
    def _apply(self, result, raw, params):
        """Write the proposals. A new job order is created in one go with its
        lines and their pegging (one2many commands), tracking off. Stored
        computed fields are recomputed for several job orders at once (Odoo
        writes records with equal values together) every _RECOMPUTE_BATCH
        records, not after each record, nor once at the very end: the ORM's
        to-do lists grow with every record and each addition scans them, so
        one batch of 10,000 demand lines would be quadratic."""
        job_type = self._job_type(params)
        JobOrder = self.env['mrp.job.order'].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        by_key = {d['key']: d for d in raw}
        created, updated = JobOrder.browse(), JobOrder.browse()
        existing = self._open_orders(result, job_type, params) \
            if params['update_existing'] else {}
        explode = params['explode_subassemblies']
        uoms = self._product_uoms(result)
        line_by_ref = {}
        pending_parents = []
        pending = 0
        with self.env.norecompute():
            for proposal in result.proposals:
                order = existing.get(self._group_key(proposal))
                if order:
                    updated |= order
                    notes = []
                    for proposal_line in proposal.lines:
                        line = self._apply_line(order, proposal_line, by_key, explode)
                        line_by_ref[proposal_line.ref] = line
                        notes.append('%s %s %s' % (proposal_line.qty, line.product_uom_id.name,
                                                   line.product_id.display_name))
                    if notes:
                        order.message_post(body=_('Generation added: %s') % ', '.join(notes))
                else:
                    vals = self._prepare_job_order(proposal, job_type, params, by_key)
                    # proposal lines of the same product and BOM (a product
                    # both ordered and short as a sub-assembly) share a line
                    lines_vals, index_of, refs = [], {}, []
                    for proposal_line in proposal.lines:
                        same = (proposal_line.product_id, proposal_line.bom_id)
                        if proposal_line.bom_id and same in index_of:
                            line_vals = lines_vals[index_of[same]]
                            line_vals['product_qty'] += proposal_line.qty
                            line_vals['demand_ids'] += self._prepare_line(
                                proposal_line, by_key, explode, uoms)['demand_ids']
                        else:
                            index_of.setdefault(same, len(lines_vals))
                            refs.append((proposal_line.ref, len(lines_vals)))
                            lines_vals.append(self._prepare_line(proposal_line, by_key,
                                                                 explode, uoms))
                            continue
                        refs.append((proposal_line.ref, index_of[same]))
                    vals['line_ids'] = [(0, 0, line_vals) for line_vals in lines_vals]
                    order = JobOrder.with_context(job_order_no_manual_demand=True).create(vals)
                    created |= order
                    # lines are created in the order of the commands
                    lines = order.line_ids.sorted('id')
                    for ref, index in refs:
                        line_by_ref[ref] = lines[index]
                for proposal_line in proposal.lines:
                    if proposal_line.parents:
                        pending_parents.append((line_by_ref[proposal_line.ref], proposal_line))
                pending += sum(1 + len(line.allocations) for line in proposal.lines)
                if pending >= self._RECOMPUTE_BATCH:
                    self.recompute()
                    pending = 0
            self._peg_subassemblies(pending_parents, line_by_ref)
        self.recompute()
        return created, updated - created

    @api.model
    def _product_uoms(self, result):
        """{product id: its UoM id} for every product of the proposals, read at once."""
        ids = sorted({line.product_id for line in result.iter_lines()})
        return {product.id: product.uom_id.id
                for product in self.env['product.product'].browse(ids)}

    @api.model
    def _prepare_line(self, proposal_line, by_key, explode, uoms):
        return {
            'product_id': proposal_line.product_id,
            'bom_id': proposal_line.bom_id,
            'product_qty': proposal_line.qty,
            'product_uom_id': uoms[proposal_line.product_id],
            'explode_subassemblies': explode,
            'date_deadline': proposal_line.date and
            fields.Datetime.to_string(proposal_line.date) or False,
            'demand_ids': [(0, 0, self._prepare_pegging(by_key[key], qty))
                           for key, qty in proposal_line.allocations],
        }

    @api.model
    def _open_orders(self, result, job_type, params):
        keys = [self._group_key(p) for p in result.proposals]
        orders = self.env['mrp.job.order'].search([
            ('group_key', 'in', keys), ('type_id', '=', job_type.id),
            ('company_id', '=', params['company_id']), ('state', 'in', ('draft', 'confirmed'))],
            order='id')
        found = {}
        for order in orders:
            if any(line.qty_transferred or line.qty_produced for line in order.line_ids):
                continue  # started: never touched
            found.setdefault(order.group_key, order)
        return found

    @api.model
    def _prepare_job_order(self, proposal, job_type, params, by_key):
        dates = [line.date for line in proposal.lines if line.date]
        priority = max([line.priority for line in proposal.lines] +
                       [int(params.get('priority') or 0)])
        sale_orders = {by_key[key]['sale_order_id'] for line in proposal.lines
                       for key, _qty in line.allocations if by_key[key]['sale_order_id']}
        references = sorted({by_key[key]['reference'] for line in proposal.lines
                             for key, _qty in line.allocations if by_key[key]['reference']})
        return {
            'type_id': job_type.id,
            'company_id': params['company_id'],
            'mode': proposal.mode,
            'group_key': self._group_key(proposal),
            'warehouse_id': proposal.warehouse_id or job_type.warehouse_id.id or False,
            'partner_id': proposal.partner_id or False,
            'analytic_account_id': proposal.project_id or False,
            'sale_order_ids': [(6, 0, sorted(sale_orders))],
            'priority': str(min(priority, 3)),
            'date_deadline': dates and fields.Datetime.to_string(min(dates)) or False,
            'origin': ', '.join(references)[:250] or _('Generation'),
        }

    @api.model
    def _apply_line(self, order, proposal_line, by_key, explode):
        Line = self.env['mrp.job.order.line'].with_context(job_order_no_manual_demand=True)
        product = self.env['product.product'].browse(proposal_line.product_id)
        line = order.line_ids.filtered(
            lambda l: l.product_id.id == proposal_line.product_id
            and l.bom_id.id == proposal_line.bom_id
            and l.product_uom_id == product.uom_id and not l.qty_transferred)[:1]
        demand_vals = [self._prepare_pegging(by_key[key], qty) for key, qty
                       in proposal_line.allocations]
        if line:
            for vals in demand_vals:
                vals['line_id'] = line.id
                self.env['mrp.job.order.demand'].create(vals)
            line.with_context(job_order_no_manual_demand=True).product_qty += proposal_line.qty
            return line
        return Line.create({
            'job_order_id': order.id,
            'product_id': product.id,
            'bom_id': proposal_line.bom_id,
            'product_qty': proposal_line.qty,
            'product_uom_id': product.uom_id.id,
            'explode_subassemblies': explode,
            'date_deadline': proposal_line.date and
            fields.Datetime.to_string(proposal_line.date) or False,
            'demand_ids': [(0, 0, vals) for vals in demand_vals],
        })

    @api.model
    def _prepare_pegging(self, demand, qty):
        source = demand['source']
        vals = {
            'source': source,
            'product_id': demand['product_id'],
            'product_qty': qty,
            'date': demand['date'] and fields.Datetime.to_string(demand['date']) or False,
            'partner_id': demand['partner_id'] or False,
            'warehouse_id': demand['warehouse_id'] or False,
        }
        field = {'sale': 'sale_line_id', 'forecast': 'estimate_id',
                 'min_stock': 'orderpoint_id'}.get(source)
        if field:
            vals[field] = demand['record_id']
        return vals

    @api.model
    def _peg_subassemblies(self, pending, line_by_ref):
        Demand = self.env['mrp.job.order.demand']
        for line, proposal_line in pending:
            for parent_ref, qty in proposal_line.parents:
                parent = line_by_ref[parent_ref]
                Demand.create({
                    'line_id': line.id, 'source': 'subassembly', 'product_id': line.product_id.id,
                    'product_qty': qty, 'parent_line_id': parent.id,
                    'date': parent.date_deadline, 'partner_id': parent.partner_id.id,
                    'warehouse_id': parent.warehouse_id.id})
