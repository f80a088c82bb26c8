"""Values of the QWeb PDF reports of job orders: the job order sheet (what
to pick, from where) and the cost report (estimated vs actual by element)."""
from collections import OrderedDict

from odoo import _, api, models
from odoo.tools import float_compare

from ..models.planning_bridge import components_for


def cost_elements():
    """(label, field prefix) of the cost elements, total last."""
    return [(_('Material'), 'cost_material'), (_('Labour'), 'cost_labour'),
            (_('Overhead'), 'cost_overhead'), (_('Total'), 'cost')]


class ReportJobOrderSheet(models.AbstractModel):
    _name = 'report.mrp_job_order.report_job_order_sheet'
    _description = 'Job Order Sheet'

    @api.model
    def get_report_values(self, docids, data=None):
        orders = self.env['mrp.job.order'].browse(docids)
        return {
            'doc_ids': docids,
            'doc_model': 'mrp.job.order',
            'docs': orders,
            'picks': {order.id: self._components_to_pick(order) for order in orders},
        }

    @api.model
    def _components_to_pick(self, order):
        """Components of the quantities not transferred yet, summed over the
        lines, each with the locations (under the components location)
        holding it: [{'product', 'qty', 'uom', 'locations': [(location, qty)]}]."""
        needs = OrderedDict()
        # a draft line may have no usable BOM yet: nothing to pick for it
        for line in order.line_ids.filtered(lambda l: l.bom_id.type == 'normal'):
            rest = line.product_qty - line.qty_transferred
            if float_compare(rest, 0.0, precision_rounding=line.product_uom_id.rounding) <= 0:
                continue
            for product, qty in components_for(line, rest):
                needs[product] = needs.get(product, 0.0) + qty
        if not needs:
            return []
        stock = self._stock_by_location(list(needs), order.location_src_id)
        return [{'product': product, 'qty': qty, 'uom': product.uom_id,
                 'locations': stock.get(product.id, [])} for product, qty in needs.items()]

    @api.model
    def _stock_by_location(self, products, location):
        """{product id: [(location, qty)]}, one grouped read for all products."""
        Location = self.env['stock.location']
        rows = self.env['stock.quant'].sudo().read_group(
            [('product_id', 'in', [p.id for p in products]),
             ('location_id', 'child_of', location.id), ('quantity', '>', 0)],
            ['product_id', 'location_id', 'quantity'], ['product_id', 'location_id'],
            lazy=False)
        result = {}
        for row in rows:
            result.setdefault(row['product_id'][0], []).append(
                (Location.browse(row['location_id'][0]), row['quantity']))
        return result


class ReportJobOrderCost(models.AbstractModel):
    _name = 'report.mrp_job_order.report_job_order_cost'
    _description = 'Job Order Cost Report'

    @api.model
    def get_report_values(self, docids, data=None):
        orders = self.env['mrp.job.order'].browse(docids)
        elements = cost_elements()
        totals = {}
        for _label, key in elements:
            for suffix in ('_estimated', '_actual', '_variance'):
                totals[key + suffix] = sum(orders.mapped(key + suffix))
            estimated = totals[key + '_estimated']
            totals[key + '_variance_pct'] = (100.0 * totals[key + '_variance'] / estimated
                                             if estimated else 0.0)
        return {
            'doc_ids': docids,
            'doc_model': 'mrp.job.order',
            'docs': orders,
            'elements': elements,
            'totals': totals,
            'currency': orders[:1].currency_id or self.env.user.company_id.currency_id,
            # a grand total only makes sense in a single currency
            'show_totals': len(orders) > 1 and len(orders.mapped('currency_id')) == 1,
        }
