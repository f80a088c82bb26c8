from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    job_order_id = fields.Many2one(
        "mrp.job.order",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )
