from odoo import _, fields, models


class MrpBom(models.Model):
    _inherit = "mrp.bom"

    overhead_rate = fields.Float(
        "Overhead Rate (%)",
        help="Overhead of this product as a percentage of its material cost; leave 0 "
        "to use the company rate.",
    )
    job_order_count = fields.Integer(compute="_compute_job_order_count")

    def _compute_job_order_count(self):
        data = self.env["mrp.job.order.line"]._read_group(
            [("bom_id", "in", self._origin.ids)], ["bom_id"], ["__count"]
        )
        by_bom = {bom.id: count for bom, count in data}
        for bom in self:
            bom.job_order_count = by_bom.get(bom._origin.id, 0)

    def action_view_job_orders(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order"
        )
        action["domain"] = [("line_ids.bom_id", "in", self.ids)]
        return action

    def action_create_job_order(self):
        """A new job order form, prefilled with this BOM's product."""
        self.ensure_one()
        product = self.product_id or self.product_tmpl_id.product_variant_id
        return {
            "type": "ir.actions.act_window",
            "name": _("New Job Order"),
            "res_model": "mrp.job.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": product.id,
                            "bom_id": self.id,
                            "product_qty": self.product_qty,
                            "product_uom_id": self.product_uom_id.id,
                            "explode_subassemblies": self.env["mrp.job.order"]
                            ._default_type()
                            .explode_subassemblies,
                        }
                    )
                ]
            },
        }
