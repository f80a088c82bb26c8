from odoo import _, fields, models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def action_create_job_order(self):
        """Make instead of buy: the lines of these purchase orders become
        quantities to make in the generation wizard."""
        return self._action_create_job_order()._reopen()

    def _action_create_job_order(self):
        """The generation wizard with these purchase lines to make; return it."""
        lines = self.order_line.filtered(
            lambda line: (
                not line.display_type
                and line.product_id
                and line.product_id.type != "service"
            )
        )
        if not lines:
            raise UserError(_("These purchase orders have no product to make."))
        return self.env["mrp.job.order.generate"].create(
            {
                "use_sale": False,
                "company_id": self[0].company_id.id,
                "manual_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": line.product_id.id,
                            "product_qty": line.product_qty,
                            "product_uom_id": line.product_uom_id.id,
                            "reference": line.order_id.name,
                            "purchase_line_id": line.id,
                        }
                    )
                    for line in lines
                ],
            }
        )
