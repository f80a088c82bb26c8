from odoo import _, api, fields, models


class MrpBom(models.Model):
    _inherit = 'mrp.bom'

    overhead_rate = fields.Float(
        'Overhead Rate (%)',
        help='Overhead of this product as a percentage of its material cost; leave 0 to use '
             'the company rate.')
    job_order_count = fields.Integer(compute='_compute_job_order_count')

    def _compute_job_order_count(self):
        data = self.env['mrp.job.order.line'].read_group(
            [('bom_id', 'in', self.ids)], ['bom_id'], ['bom_id'])
        by_bom = {row['bom_id'][0]: row['bom_id_count'] for row in data}
        for bom in self:
            bom.job_order_count = by_bom.get(bom.id, 0)

    @api.multi
    def action_view_job_orders(self):
        action = self.env.ref('mrp_job_order.action_mrp_job_order').read()[0]
        action['domain'] = [('line_ids.bom_id', 'in', self.ids)]
        return action

    @api.multi
    def action_create_job_order(self):
        """A new job order form, prefilled with this BOM's product."""
        self.ensure_one()
        product = self.product_id or self.product_tmpl_id.product_variant_id
        return {
            'type': 'ir.actions.act_window',
            'name': _('New Job Order'),
            'res_model': 'mrp.job.order',
            'view_mode': 'form',
            'target': 'current',
            'context': {'default_line_ids': [(0, 0, {
                'product_id': product.id,
                'bom_id': self.id,
                'product_qty': self.product_qty,
                'product_uom_id': self.product_uom_id.id,
                'explode_subassemblies': self.env['mrp.job.order']._default_type()
                .explode_subassemblies,
            })]},
        }
