from odoo import fields, models


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    job_order_id = fields.Many2one('mrp.job.order', index=True, readonly=True,
                                   string='Job Order')
