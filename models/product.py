from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    job_order_produced = fields.Boolean(
        'Produced via Job Orders', default=True,
        help='Generation plans this product (when it has a bill of materials) without any '
             'route set on it. Untick for products made but never planned by job orders.')
    job_order_count = fields.Integer(compute='_compute_job_order_count')

    def _compute_job_order_count(self):
        data = self.env['mrp.job.order.line'].read_group(
            [('product_id.product_tmpl_id', 'in', self.ids)], ['product_id'], ['product_id'])
        by_product = {row['product_id'][0]: row['product_id_count'] for row in data}
        for template in self:
            template.job_order_count = sum(by_product.get(pid, 0)
                                           for pid in template.product_variant_ids.ids)

    @api.multi
    def action_view_job_orders(self):
        return self.mapped('product_variant_ids').action_view_job_orders()


class ProductProduct(models.Model):
    _inherit = 'product.product'

    job_order_count = fields.Integer(compute='_compute_job_order_count')

    def _compute_job_order_count(self):
        data = self.env['mrp.job.order.line'].read_group(
            [('product_id', 'in', self.ids)], ['product_id'], ['product_id'])
        by_product = {row['product_id'][0]: row['product_id_count'] for row in data}
        for product in self:
            product.job_order_count = by_product.get(product.id, 0)

    @api.multi
    def action_view_job_orders(self):
        action = self.env.ref('mrp_job_order.action_mrp_job_order').read()[0]
        action['domain'] = [('line_ids.product_id', 'in', self.ids)]
        return action

    @api.multi
    def action_create_job_order(self):
        """The generation wizard restricted to these products: plan their
        demand from the sources, or type quantities to make."""
        wizard = self.env['mrp.job.order.generate'].create({
            'product_ids': [(6, 0, self.ids)],
            'manual_line_ids': [(0, 0, {'product_id': p.id, 'product_qty': 0.0,
                                        'product_uom_id': p.uom_id.id}) for p in self],
        })
        return wizard._reopen()
