"""Buying missing components and scrapping from WIP, for job orders."""
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .planning_bridge import components_for


class MrpJobOrder(models.Model):
    _inherit = 'mrp.job.order'

    @api.multi
    def action_purchase_missing(self):
        """Draft purchase orders, one per main vendor, for the components
        short against what is available to the job order."""
        self.ensure_one()
        self._check_state(('draft', 'confirmed', 'in_progress'), _('buy components for'))
        shortages = self._component_shortages()
        if not shortages:
            raise UserError(_('Nothing to buy: the components of %s are available or already '
                              'ordered.') % self.name)
        no_vendor = [product for product in shortages if not product.seller_ids]
        if no_vendor:
            raise UserError(_('These components have no vendor: %s.\nSet a vendor on the '
                              'product (Purchase tab) or buy them manually.') % ', '.join(
                p.display_name for p in no_vendor))
        by_vendor = OrderedDict()
        for product, qty in shortages.items():
            seller = product.seller_ids[0]
            by_vendor.setdefault(seller.name, []).append((product, qty, seller))
        orders = self.env['purchase.order']
        for vendor, items in by_vendor.items():
            orders |= self.env['purchase.order'].create(self._prepare_purchase(vendor, items))
        self.message_post(body=_('Draft purchase orders for missing components: %s')
                          % ', '.join(orders.mapped('name')))
        action = self.env.ref('purchase.purchase_form_action').read()[0]
        action['domain'] = [('id', 'in', orders.ids)]
        return action

    def _component_shortages(self):
        needs = OrderedDict()
        for line in self.line_ids:
            rest = line.product_qty - line.qty_transferred
            if float_compare(rest, 0.0, precision_rounding=line.product_uom_id.rounding) > 0:
                self._sum_needs(components_for(line, rest), needs)
        ordered = OrderedDict()
        for po_line in self.env['purchase.order.line'].search(
                [('job_order_id', '=', self.id), ('state', '!=', 'cancel')]):
            ordered[po_line.product_id] = ordered.get(po_line.product_id, 0.0) + \
                po_line.product_uom._compute_quantity(po_line.product_qty,
                                                      po_line.product_id.uom_id)
        shortages = OrderedDict()
        for product, qty in needs.items():
            if product.type != 'product':
                continue
            short = qty - self._available_qty(product, self.location_src_id) \
                - ordered.get(product, 0.0)
            if float_compare(short, 0.0, precision_rounding=product.uom_id.rounding) > 0:
                shortages[product] = short
        return shortages

    def _prepare_purchase(self, vendor, items):
        date = fields.Datetime.now()
        lines = []
        for product, qty, seller in items:
            uom = seller.product_uom or product.uom_po_id
            lines.append((0, 0, {
                'product_id': product.id,
                'name': product.display_name,
                'product_qty': product.uom_id._compute_quantity(qty, uom),
                'product_uom': uom.id,
                'price_unit': seller.price,
                'date_planned': date,
                'job_order_id': self.id,
            }))
        return {
            'partner_id': vendor.id,
            'origin': self.name,
            'company_id': self.company_id.id,
            'picking_type_id': self.warehouse_id.in_type_id.id,
            'order_line': lines,
        }

    @api.multi
    def action_scrap(self):
        """Scrap components from WIP with Odoo's scrap form."""
        self.ensure_one()
        components = self.env['product.product']
        for line in self.line_ids:
            for product, _qty in components_for(line, line.product_qty):
                components |= product
        return {
            'type': 'ir.actions.act_window',
            'name': _('Scrap from WIP'),
            'res_model': 'stock.scrap',
            'view_mode': 'form',
            'view_id': self.env.ref('stock.stock_scrap_form_view2').id,
            'target': 'new',
            'context': {'default_location_id': self.location_wip_id.id,
                        'product_ids': components.ids,
                        'default_origin': self.name,
                        'default_job_order_id': self.id,
                        'default_company_id': self.company_id.id},
        }
