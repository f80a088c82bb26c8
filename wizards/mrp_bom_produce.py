from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class MrpBomProduce(models.TransientModel):
    """Add to inventory from a BOM: produce a quantity at once through a
    one-line job order created and done in one step; a negative quantity
    takes finished goods out and puts their components back."""

    _name = "mrp.bom.produce"
    _description = "Add to Inventory from a BOM"

    bom_id = fields.Many2one("mrp.bom", required=True, readonly=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        domain="[('product_tmpl_id', '=', product_tmpl_id)]",
    )
    product_tmpl_id = fields.Many2one(
        related="bom_id.product_tmpl_id", string="Product Template"
    )
    product_qty = fields.Float(
        "Quantity",
        digits="Product Unit",
        default=1.0,
        help="Quantity to add to inventory, in the unit of the BOM. Negative: take it "
        "out and put the components back.",
    )
    product_uom_id = fields.Many2one(related="bom_id.product_uom_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        bom = self.env["mrp.bom"].browse(
            values.get("bom_id") or self.env.context.get("default_bom_id")
        )
        if bom and "product_id" in fields_list:
            values.setdefault(
                "product_id",
                (bom.product_id or bom.product_tmpl_id.product_variant_id).id,
            )
        return values

    def _prepare_job_order(self, qty):
        return {
            "mode": "mono",
            "origin": _("%s: add to inventory", self.bom_id.display_name),
            "line_ids": [
                fields.Command.create(
                    {
                        "product_id": self.product_id.id,
                        "bom_id": self.bom_id.id,
                        "product_qty": qty,
                        "product_uom_id": self.bom_id.product_uom_id.id,
                    }
                )
            ],
        }

    def action_produce(self):
        self.ensure_one()
        order = self._action_produce()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mrp.job.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": order.id,
        }

    def _action_produce(self):
        """Create, confirm and backflush (or disassemble) the job order;
        return it."""
        self.ensure_one()
        rounding = self.bom_id.product_uom_id.rounding
        if float_is_zero(self.product_qty, precision_rounding=rounding):
            raise UserError(
                _("Enter a quantity: positive to produce, negative to take out.")
            )
        qty = abs(self.product_qty)
        # one step or nothing: a refusal must not leave a half-made job order
        with self.env.cr.savepoint():
            order = self.env["mrp.job.order"].create(self._prepare_job_order(qty))
            order.action_confirm()
            line = order.line_ids
            if float_compare(self.product_qty, 0.0, precision_rounding=rounding) > 0:
                order._backflush({line: qty})
            else:
                order._disassemble({line: qty})
        return order
