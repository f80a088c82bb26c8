from odoo import api, fields, models
from odoo.addons import decimal_precision as dp

SOURCES = [
    ('sale', 'Sales Order'),
    ('forecast', 'Forecast'),
    ('min_stock', 'Low Stock'),
    ('warehouse', 'Warehouse Need'),
    ('subassembly', 'Sub-assembly'),
    ('manual', 'Manual'),
]


class MrpJobOrderDemand(models.Model):
    """Pegging: which demand a job order line covers, and how much of it.

    The truth of what is planned: generation subtracts what is pegged here
    from every source before planning again."""
    _name = 'mrp.job.order.demand'
    _description = 'Job Order Demand (Pegging)'
    _order = 'date, id'

    line_id = fields.Many2one('mrp.job.order.line', required=True, ondelete='cascade',
                              index=True, string='Job Order Line')
    # the line's job order, set from the line (see _with_job_order); not a
    # related field through the line: Odoo 11 would search the pegging of
    # every job order line created, twice
    job_order_id = fields.Many2one('mrp.job.order', readonly=True, index=True,
                                   ondelete='cascade', string='Job Order')
    company_id = fields.Many2one(related='job_order_id.company_id', store=True, readonly=True)
    state = fields.Selection(related='job_order_id.state', store=True, readonly=True)
    source = fields.Selection(SOURCES, required=True, index=True)
    sale_line_id = fields.Many2one('sale.order.line', index=True, ondelete='restrict',
                                   string='Sales Order Line')
    sale_order_id = fields.Many2one(related='sale_line_id.order_id', store=True, readonly=True,
                                    string='Sales Order')
    estimate_id = fields.Many2one('stock.demand.estimate', index=True, ondelete='set null',
                                  string='Forecast')
    orderpoint_id = fields.Many2one('stock.warehouse.orderpoint', index=True,
                                    ondelete='set null', string='Reordering Rule')
    parent_line_id = fields.Many2one('mrp.job.order.line', index=True, ondelete='set null',
                                     string='Parent Line',
                                     help='For a sub-assembly: the job order line it goes into.')
    warehouse_id = fields.Many2one('stock.warehouse', index=True)
    product_id = fields.Many2one('product.product', required=True, index=True)
    product_qty = fields.Float('Quantity', digits=dp.get_precision('Product Unit of Measure'),
                               required=True, help='In the unit of the product.')
    product_uom_id = fields.Many2one(related='product_id.uom_id', readonly=True)
    date = fields.Datetime(help='When the demand must be served.')
    partner_id = fields.Many2one('res.partner', string='Customer')
    excess_qty = fields.Float(
        digits=dp.get_precision('Product Unit of Measure'), readonly=True,
        help='Planned beyond what the demand still asks (e.g. the sales order line was '
             'decreased after planning).')

    @api.model
    def create(self, vals):
        # a line created with its pegging passes its job order along
        # (mrp.job.order.line.create): no need to read the line back
        if not vals.get('job_order_id'):
            vals = self._with_job_order(vals)
        return super(MrpJobOrderDemand, self).create(vals)

    @api.multi
    def write(self, vals):
        return super(MrpJobOrderDemand, self).write(self._with_job_order(vals))

    @api.model
    def _with_job_order(self, vals):
        if vals.get('line_id'):
            line = self.env['mrp.job.order.line'].browse(vals['line_id'])
            vals = dict(vals, job_order_id=line.job_order_id.id)
        return vals

    @api.multi
    def name_get(self):
        labels = dict(SOURCES)
        return [(d.id, '%s: %s' % (labels[d.source], d.sale_line_id.order_id.name or
                                   d.estimate_id.display_name or d.orderpoint_id.name or
                                   d.line_id.job_order_id.name or ''))
                for d in self]
