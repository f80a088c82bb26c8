from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    job_order_produced = fields.Boolean(
        "Produced via Job Orders",
        default=True,
        help="Generation plans this product (when it has a bill of materials) without "
        "any route set on it. Untick for products made but never planned by job "
        "orders.",
    )
    job_order_count = fields.Integer(compute="_compute_job_order_count")

    def _compute_job_order_count(self):
        data = self.env["mrp.job.order.line"]._read_group(
            [("product_id.product_tmpl_id", "in", self._origin.ids)],
            ["product_id"],
            ["__count"],
        )
        by_product = {product.id: count for product, count in data}
        for template in self:
            template.job_order_count = sum(
                by_product.get(pid, 0)
                for pid in template._origin.product_variant_ids.ids
            )

    def action_view_job_orders(self):
        return self.product_variant_ids.action_view_job_orders()


class ProductProduct(models.Model):
    _inherit = "product.product"

    job_order_count = fields.Integer(compute="_compute_job_order_count")

    def _compute_job_order_count(self):
        data = self.env["mrp.job.order.line"]._read_group(
            [("product_id", "in", self._origin.ids)], ["product_id"], ["__count"]
        )
        by_product = {product.id: count for product, count in data}
        for product in self:
            product.job_order_count = by_product.get(product._origin.id, 0)

    def action_view_job_orders(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order"
        )
        action["domain"] = [("line_ids.product_id", "in", self.ids)]
        return action

    def action_create_job_order(self):
        """The generation wizard restricted to these products: plan their
        demand from the sources, or type quantities to make."""
        return self._action_create_job_order()._reopen()

    def _action_create_job_order(self):
        """The generation wizard for these products; return it."""
        return self.env["mrp.job.order.generate"].create(
            {
                "product_ids": [fields.Command.set(self.ids)],
                "manual_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": p.id,
                            "product_qty": 0.0,
                            "product_uom_id": p.uom_id.id,
                        }
                    )
                    for p in self
                ],
            }
        )
