"""Values of the QWeb PDF reports of job orders: the job order sheet (what
to pick, from where) and the cost report (estimated vs actual by element);
and PDFs of several job orders on a wkhtmltopdf without patched Qt."""

from collections import OrderedDict

from odoo import api, models
from odoo.tools import float_compare

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..bridge.planning_bridge import components_for

# reports that render one document (one page set, one ``article``) per job order
ONE_DOCUMENT_PER_RECORD = ("mrp_job_order.report_job_order_sheet",)


def cost_elements(env):
    """(label, field prefix) of the cost elements, total last."""
    return [
        (env._("Material"), "cost_material"),
        (env._("Labour"), "cost_labour"),
        (env._("Overhead"), "cost_overhead"),
        (env._("Total"), "cost"),
    ]


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """A wkhtmltopdf built without Odoo's patched Qt (Debian's, for one)
        cannot convert several documents in one run: Odoo refuses with
        "Tried to convert multiple documents in wkhtmltopdf using unpatched
        QT". The job order sheets of several job orders are then converted
        one by one; Odoo merges the PDFs into one as usual."""
        report = self._get_report(report_ref)
        ids = list(OrderedDict.fromkeys(res_ids or []))
        if (
            report.report_name not in ONE_DOCUMENT_PER_RECORD
            or len(ids) < 2
            or len(ids) != len(res_ids)
            or _wkhtml().is_patched_qt
        ):
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        collected = OrderedDict()
        for res_id in ids:
            streams = super()._render_qweb_pdf_prepare_streams(
                report_ref, dict(data or {}), res_ids=[res_id]
            )
            collected[res_id] = streams[res_id]
        return collected


class ReportJobOrderSheet(models.AbstractModel):
    _name = "report.mrp_job_order.report_job_order_sheet"
    _description = "Job Order Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        orders = self.env["mrp.job.order"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "mrp.job.order",
            "docs": orders,
            "picks": {order.id: self._components_to_pick(order) for order in orders},
        }

    @api.model
    def _components_to_pick(self, order):
        """Components of the quantities not transferred yet, summed over the
        lines, each with the locations (under the components location)
        holding it: [{'product', 'qty', 'uom', 'locations': [(location, qty)]}]."""
        needs = OrderedDict()
        # a draft line may have no usable BOM yet: nothing to pick for it
        for line in order.line_ids.filtered(
            lambda job_line: job_line.bom_id.type == "normal"
        ):
            rest = line.product_qty - line.qty_transferred
            if (
                float_compare(
                    rest, 0.0, precision_rounding=line.product_uom_id.rounding
                )
                <= 0
            ):
                continue
            for product, qty in components_for(line, rest):
                needs[product] = needs.get(product, 0.0) + qty
        if not needs:
            return []
        stock = self._stock_by_location(list(needs), order.location_src_id)
        return [
            {
                "product": product,
                "qty": qty,
                "uom": product.uom_id,
                "locations": stock.get(product.id, []),
            }
            for product, qty in needs.items()
        ]

    @api.model
    def _stock_by_location(self, products, location):
        """{product id: [(location, qty)]}, one grouped read for all products."""
        rows = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", [p.id for p in products]),
                    ("location_id", "child_of", location.id),
                    ("quantity", ">", 0),
                ],
                ["product_id", "location_id"],
                ["quantity:sum"],
            )
        )
        result = {}
        for product, place, quantity in rows:
            result.setdefault(product.id, []).append((place.sudo(False), quantity))
        return result


class ReportJobOrderCost(models.AbstractModel):
    _name = "report.mrp_job_order.report_job_order_cost"
    _description = "Job Order Cost Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        orders = self.env["mrp.job.order"].browse(docids)
        elements = cost_elements(self.env)
        totals = {}
        for _label, key in elements:
            for suffix in ("_estimated", "_actual", "_variance"):
                totals[key + suffix] = sum(orders.mapped(key + suffix))
            estimated = totals[key + "_estimated"]
            totals[key + "_variance_pct"] = (
                100.0 * totals[key + "_variance"] / estimated if estimated else 0.0
            )
        return {
            "doc_ids": docids,
            "doc_model": "mrp.job.order",
            "docs": orders,
            "elements": elements,
            "totals": totals,
            "currency": orders[:1].currency_id or self.env.company.currency_id,
            # a grand total only makes sense in a single currency
            "show_totals": len(orders) > 1 and len(orders.currency_id) == 1,
        }
