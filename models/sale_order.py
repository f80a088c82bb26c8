from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.addons import decimal_precision as dp

from .mrp_job_order import PRIORITIES


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    job_order_priority = fields.Selection(
        PRIORITIES, string='Production Priority', default='0',
        help='Served first by job order generation when stock or capacity is scarce.')
    job_order_ids = fields.Many2many('mrp.job.order', compute='_compute_job_orders',
                                     string='Job Orders')
    job_order_count = fields.Integer(compute='_compute_job_orders')

    def _compute_job_orders(self):
        demand = self.env['mrp.job.order.demand'].search(
            [('sale_order_id', 'in', self.ids)])
        by_order = {}
        for record in demand:
            by_order.setdefault(record.sale_order_id.id, set()).add(record.job_order_id.id)
        JobOrder = self.env['mrp.job.order']
        for order in self:
            order.job_order_ids = JobOrder.browse(sorted(by_order.get(order.id, ())))
            order.job_order_count = len(order.job_order_ids)

    @api.multi
    def action_create_job_order(self):
        """The generation wizard on these orders, their lines preselected
        and previewed: the planner may untick some and generate."""
        if not self:
            return False
        companies = self.mapped('company_id')
        if len(companies) > 1:
            raise UserError(_('Select sales orders of one company at a time.'))
        not_confirmed = self.filtered(lambda o: o.state != 'sale')
        if not_confirmed:
            raise UserError(_('Only confirmed sales orders can be planned: %s is %s.') % (
                not_confirmed[0].name, dict(not_confirmed[0]._fields['state']._description_selection(self.env))[
                    not_confirmed[0].state].lower()))
        wizard = self.env['mrp.job.order.generate'].create({
            'company_id': companies.id,
            'use_sale': True,
            'sale_order_ids': [(6, 0, self.ids)],
            'sale_line_ids': [(6, 0, self.mapped('order_line').ids)],
            'mode': 'multi' if len(self.mapped('order_line.product_id')) > 1 else 'mono',
            'group_by': 'sale_order',
        })
        return wizard.action_preview()

    @api.multi
    def action_view_job_orders(self):
        action = self.env.ref('mrp_job_order.action_mrp_job_order').read()[0]
        action['domain'] = [('id', 'in', self.mapped('job_order_ids').ids)]
        return action


class SaleOrderLine(models.Model):
    _inherit = 'sale.order.line'

    job_order_demand_ids = fields.One2many('mrp.job.order.demand', 'sale_line_id',
                                           string='Job Order Pegging')
    job_order_line_ids = fields.Many2many('mrp.job.order.line', compute='_compute_job_order_qty',
                                          string='Job Order Lines')
    qty_planned = fields.Float(
        compute='_compute_job_order_qty', digits=dp.get_precision('Product Unit of Measure'),
        string='Planned', help='Quantity planned on job orders (in the unit of the line).')
    qty_produced_job = fields.Float(
        compute='_compute_job_order_qty', digits=dp.get_precision('Product Unit of Measure'),
        string='Produced', help='Quantity produced by the job orders planned for this line '
                                '(in the unit of the line).')

    @api.depends('job_order_demand_ids.product_qty', 'job_order_demand_ids.state',
                 'job_order_demand_ids.line_id.qty_produced')
    def _compute_job_order_qty(self):
        for line in self:
            demand = line.job_order_demand_ids.filtered(lambda d: d.state != 'cancel')
            planned = produced = 0.0
            for record in demand:
                job_line = record.line_id
                planned += record.product_qty
                line_qty = job_line.product_uom_id._compute_quantity(
                    job_line.product_qty, job_line.product_id.uom_id, round=False)
                done = job_line.product_uom_id._compute_quantity(
                    job_line.qty_produced, job_line.product_id.uom_id, round=False)
                # produced goods are shared among the demand in pegging proportion
                produced += record.product_qty * done / line_qty if line_qty else 0.0
            uom = line.product_id.uom_id
            line.job_order_line_ids = demand.mapped('line_id')
            line.qty_planned = uom._compute_quantity(planned, line.product_uom)
            line.qty_produced_job = uom._compute_quantity(produced, line.product_uom)


class SaleOrderLineExcess(models.Model):
    """Changes after planning: a sales order line decreased or cancelled
    after it was planned never changes job orders silently."""
    _inherit = 'sale.order.line'

    @api.multi
    def write(self, vals):
        result = super(SaleOrderLineExcess, self).write(vals)
        if 'product_uom_qty' in vals:
            self._job_order_flag_excess()
        return result

    def _job_order_still_wanted(self):
        """What the line still asks, in the product's UoM."""
        self.ensure_one()
        if self.order_id.state == 'cancel':
            return 0.0
        return max(self.product_uom._compute_quantity(
            self.product_uom_qty - self.qty_delivered, self.product_id.uom_id, round=False), 0.0)

    def _job_order_flag_excess(self):
        """Mark the pegging beyond what the line still asks as excess, most
        recent pegging first, and tell the job orders' responsibles."""
        pegging = self.env['mrp.job.order.demand'].sudo().search(
            [('sale_line_id', 'in', self.ids), ('state', '!=', 'cancel')], order='id desc')
        touched = self.env['mrp.job.order']
        for line in self:
            records = pegging.filtered(lambda d: d.sale_line_id == line)
            excess = sum(records.mapped('product_qty')) - line._job_order_still_wanted()
            for record in records:
                share = min(max(excess, 0.0), record.product_qty)
                if abs(share - record.excess_qty) > 1e-9:
                    record.excess_qty = share
                    if share > 0:
                        touched |= record.job_order_id
                excess -= share
        for order in touched:
            order._job_order_excess_activity()


class SaleOrderExcess(models.Model):
    _inherit = 'sale.order'

    @api.multi
    def action_cancel(self):
        result = super(SaleOrderExcess, self).action_cancel()
        self.mapped('order_line')._job_order_flag_excess()
        return result
