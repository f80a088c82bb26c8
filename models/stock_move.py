from odoo import fields, models


class StockMove(models.Model):
    _inherit = 'stock.move'

    job_order_id = fields.Many2one('mrp.job.order', index=True, readonly=True,
                                   string='Job Order')
    job_order_line_id = fields.Many2one('mrp.job.order.line', index=True, readonly=True,
                                        string='Job Order Line')
    job_order_finished = fields.Boolean(
        readonly=True, help='Finished goods of a job order (not a component).')
