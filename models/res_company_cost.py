"""Company parameters of job orders ("MS parameters"): overhead rate of the
cost calculation and the defaults of job orders and of the generation wizard.

They live on the company, not in ir.config_parameter, because every value is
a per-company policy (rates and types differ between companies).
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

GROUP_BY = [
    ("partner", "Customer"),
    ("project", "Project"),
    ("sale_order", "Sales Order"),
]


class ResCompanyJobOrderCost(models.Model):
    _inherit = "res.company"

    job_order_overhead_rate = fields.Float(
        "Job Order Overhead Rate (%)",
        digits=(16, 4),
        help="Overhead of job orders as a percentage of their material cost, estimated "
        "and actual. A bill of materials with its own overhead rate uses that rate "
        "instead.",
    )
    job_order_type_id = fields.Many2one(
        "mrp.job.order.type",
        string="Default Job Order Type",
        help="Type of new job orders when none is chosen; the first type of the "
        "company when empty.",
    )
    job_order_explode_subassemblies = fields.Boolean(
        "Explode Sub-assemblies by Default",
        default=True,
        help="Default of new job order types: components of sub-assemblies go straight "
        "into the parent's materials (ticked) or sub-assemblies are consumed from "
        "stock and get job orders of their own (unticked).",
    )
    job_order_mode = fields.Selection(
        [("mono", "Mono-product"), ("multi", "Multi-product")],
        string="Default Job Order Mode",
        default="mono",
        help="Default mode of new job order types and of the generation wizard.",
    )
    job_order_group_by = fields.Selection(
        GROUP_BY,
        string="Default Grouping",
        default="partner",
        help="How the generation wizard groups multi-product job orders by default.",
    )
    job_order_net_stock = fields.Boolean(
        "Net Stock by Default",
        default=True,
        help="Generation nets demand against on-hand and already planned quantities by "
        "default.",
    )
    job_order_update_existing = fields.Boolean(
        "Update Open Job Orders by Default",
        help="Generation adds to open, not started job orders with the same grouping "
        "by default instead of creating new ones.",
    )
    job_order_horizon_days = fields.Integer(
        "Default Horizon (days)",
        default=30,
        help="Generation considers demand due within this many days by default.",
    )
    job_order_background_threshold = fields.Integer(
        "Generate in Background Above",
        default=2000,
        help="A generation from the wizard with more demand lines than this runs in "
        "the background (job queue), in chunks, and notifies the planner when it ends; "
        "scheduled profiles always do. 0: always in the background.",
    )

    @api.constrains(
        "job_order_overhead_rate",
        "job_order_horizon_days",
        "job_order_background_threshold",
    )
    def _check_job_order_parameters(self):
        for company in self:
            if company.job_order_overhead_rate < 0:
                raise ValidationError(
                    self.env._(
                        "The overhead rate of job orders cannot be negative (company "
                        "%s).",
                        company.name,
                    )
                )
            if company.job_order_horizon_days < 0:
                raise ValidationError(
                    self.env._(
                        "The default horizon of job order generation cannot be "
                        "negative (company %s).",
                        company.name,
                    )
                )
            if company.job_order_background_threshold < 0:
                raise ValidationError(
                    self.env._(
                        "The number of demand lines above which generation runs in the "
                        "background cannot be negative (company %s).",
                        company.name,
                    )
                )

    @api.constrains("job_order_type_id")
    def _check_job_order_type(self):
        for company in self:
            job_type = company.job_order_type_id
            if job_type and job_type.company_id != company:
                raise ValidationError(
                    self.env._(
                        "Job order type %(type)s belongs to company %(owner)s, not to "
                        "%(company)s.",
                        type=job_type.name,
                        owner=job_type.company_id.name,
                        company=company.name,
                    )
                )


class MrpJobOrderTypeCompanyDefaults(models.Model):
    """New job order types start from the company's defaults."""

    _inherit = "mrp.job.order.type"

    mode = fields.Selection(
        default=lambda self: self._company_defaults().job_order_mode or "mono"
    )
    explode_subassemblies = fields.Boolean(
        default=lambda self: self._company_defaults().job_order_explode_subassemblies
    )

    @api.model
    def _company_defaults(self):
        company_id = self.env.context.get("default_company_id")
        if company_id:
            return self.env["res.company"].browse(company_id)
        return self.env.company
