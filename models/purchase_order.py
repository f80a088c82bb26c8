from odoo import _, api, models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    _inherit = 'purchase.order'

    @api.multi
    def action_create_job_order(self):
        """Make instead of buy: the lines of these purchase orders become
        quantities to make in the generation wizard."""
        lines = self.mapped('order_line').filtered(lambda l: l.product_id.type != 'service')
        if not lines:
            raise UserError(_('These purchase orders have no product to make.'))
        wizard = self.env['mrp.job.order.generate'].create({
            'use_sale': False, 'company_id': self[0].company_id.id,
            'manual_line_ids': [(0, 0, {
                'product_id': line.product_id.id, 'product_qty': line.product_qty,
                'product_uom_id': line.product_uom.id, 'reference': line.order_id.name,
                'purchase_line_id': line.id}) for line in lines],
        })
        return wizard._reopen()
