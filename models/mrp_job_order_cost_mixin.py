"""Actual cost and variance fields shared by job orders and their lines
(the calculation is in services/costing.py)."""

from odoo import api, fields, models

ELEMENTS = ("material", "labour", "overhead")
TOTAL_KEYS = [f"cost_{e}" for e in ELEMENTS] + ["cost"]
ACTUAL_FIELDS = [
    "cost_material_actual",
    "cost_labour_actual",
    "cost_overhead_actual",
    "cost_actual",
]


def _money(string, **kwargs):
    return fields.Monetary(string, readonly=True, copy=False, **kwargs)


def _computed(string, method, **kwargs):
    return _money(string, compute=method, store=True, **kwargs)


def _pct(string, **kwargs):
    # an average of percentages is only indicative in pivots, but better than a sum
    return fields.Float(
        string, aggregator="avg", compute="_compute_cost_variance", store=True, **kwargs
    )


class MrpJobOrderCostMixin(models.AbstractModel):
    """Actual cost and variance fields shared by job orders and their lines;
    each model brings its own ``_compute_cost_actual``."""

    _name = "mrp.job.order.cost.mixin"
    _description = "Job Order Cost Fields"

    # computed, not related: an abstract model has no company_id to relate to
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    cost_material_estimated = _money("Estimated Material")
    cost_labour_estimated = _money("Estimated Labour")
    cost_overhead_estimated = _money("Estimated Overhead")
    cost_estimated = _money("Estimated Cost")
    cost_material_actual = _computed("Actual Material", "_compute_cost_actual")
    cost_labour_actual = _computed("Actual Labour", "_compute_cost_actual")
    cost_overhead_actual = _computed("Actual Overhead", "_compute_cost_actual")
    cost_actual = _computed("Actual Cost", "_compute_cost_actual")
    cost_material_variance = _computed("Material Variance", "_compute_cost_variance")
    cost_labour_variance = _computed("Labour Variance", "_compute_cost_variance")
    cost_overhead_variance = _computed("Overhead Variance", "_compute_cost_variance")
    cost_variance = _computed(
        "Variance",
        "_compute_cost_variance",
        help="Actual minus estimated cost: positive when it cost more.",
    )
    cost_material_variance_pct = _pct("Material Variance (%)")
    cost_labour_variance_pct = _pct("Labour Variance (%)")
    cost_overhead_variance_pct = _pct("Overhead Variance (%)")
    cost_variance_pct = _pct(
        "Variance (%)", help="Variance over estimated cost, in percent."
    )

    def _compute_currency_id(self):
        for record in self:
            record.currency_id = (
                record.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends(
        "cost_material_estimated",
        "cost_labour_estimated",
        "cost_overhead_estimated",
        "cost_estimated",
        "cost_material_actual",
        "cost_labour_actual",
        "cost_overhead_actual",
        "cost_actual",
    )
    def _compute_cost_variance(self):
        for record in self:
            for key in TOTAL_KEYS:
                estimated = record[key + "_estimated"]
                variance = record[key + "_actual"] - estimated
                record[key + "_variance"] = variance
                record[key + "_variance_pct"] = (
                    100.0 * variance / estimated if estimated else 0.0
                )
