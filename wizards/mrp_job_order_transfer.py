from odoo import api, fields, models


class MrpJobOrderTransfer(models.TransientModel):
    """Transfer the components of a chosen part of each line to WIP."""

    _name = "mrp.job.order.transfer"
    _description = "Transfer Components to WIP"

    job_order_id = fields.Many2one("mrp.job.order", required=True, readonly=True)
    line_ids = fields.One2many(
        "mrp.job.order.transfer.line", "wizard_id", string="Lines"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["mrp.job.order"].browse(
            values.get("job_order_id") or self.env.context.get("default_job_order_id")
        )
        if order and "line_ids" in fields_list:
            values["line_ids"] = [
                fields.Command.create(
                    {
                        "job_order_line_id": line.id,
                        "product_id": line.product_id.id,
                        "product_uom_id": line.product_uom_id.id,
                        "qty_to_transfer": line.product_qty - line.qty_transferred,
                    }
                )
                for line in order.line_ids
                if line.product_qty > line.qty_transferred
            ]
        return values

    def action_validate(self):
        pickings = self._action_validate()
        return self.job_order_id.action_view_pickings() if pickings else True

    def _action_validate(self):
        """The transfer; returns the pickings made."""
        self.ensure_one()
        self.job_order_id._check_own_lines(self.line_ids.job_order_line_id)
        quantities = {
            wizard_line.job_order_line_id.id: wizard_line.qty_to_transfer
            for wizard_line in self.line_ids
        }
        for line in self.job_order_id.line_ids:
            quantities.setdefault(line.id, 0.0)
        return self.job_order_id._action_transfer(quantities)


class MrpJobOrderTransferLine(models.TransientModel):
    _name = "mrp.job.order.transfer.line"
    _description = "Transfer Components Line"

    wizard_id = fields.Many2one(
        "mrp.job.order.transfer", required=True, ondelete="cascade"
    )
    job_order_line_id = fields.Many2one(
        "mrp.job.order.line", required=True, string="Line"
    )
    product_id = fields.Many2one(related="job_order_line_id.product_id")
    product_uom_id = fields.Many2one(related="job_order_line_id.product_uom_id")
    qty_to_transfer = fields.Float(
        "Quantity",
        digits="Product Unit",
        help="Quantity of the line whose components to transfer.",
    )
