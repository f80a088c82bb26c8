from odoo import fields, models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    job_order_id = fields.Many2one(
        "mrp.job.order",
        index="btree_not_null",
        check_company=True,
        help="Job order whose WIP components were scrapped.",
    )
