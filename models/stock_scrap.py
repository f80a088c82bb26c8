from odoo import fields, models


class StockScrap(models.Model):
    _inherit = 'stock.scrap'

    job_order_id = fields.Many2one('mrp.job.order', index=True, string='Job Order',
                                   help='Job order whose WIP components were scrapped.')
