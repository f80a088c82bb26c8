from odoo import fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    job_order_id = fields.Many2one(
        "mrp.job.order",
        index="btree_not_null",
        help="Job order whose missing components this line buys.",
    )
