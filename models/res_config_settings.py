from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Job order parameters on the Manufacturing settings page: related
    fields, so the values stay per company on res.company."""

    _inherit = "res.config.settings"

    job_order_overhead_rate = fields.Float(
        related="company_id.job_order_overhead_rate",
        readonly=False,
        string="Overhead Rate (%)",
    )
    job_order_type_id = fields.Many2one(
        related="company_id.job_order_type_id",
        readonly=False,
        string="Default Job Order Type",
    )
    job_order_explode_subassemblies = fields.Boolean(
        related="company_id.job_order_explode_subassemblies",
        readonly=False,
        string="Explode Sub-assemblies by Default",
    )
    job_order_mode = fields.Selection(
        related="company_id.job_order_mode",
        readonly=False,
        string="Default Job Order Mode",
    )
    job_order_group_by = fields.Selection(
        related="company_id.job_order_group_by",
        readonly=False,
        string="Default Grouping",
    )
    job_order_net_stock = fields.Boolean(
        related="company_id.job_order_net_stock",
        readonly=False,
        string="Net Stock by Default",
    )
    job_order_update_existing = fields.Boolean(
        related="company_id.job_order_update_existing",
        readonly=False,
        string="Update Open Job Orders",
    )
    job_order_horizon_days = fields.Integer(
        related="company_id.job_order_horizon_days",
        readonly=False,
        string="Default Horizon (days)",
    )
    job_order_background_threshold = fields.Integer(
        related="company_id.job_order_background_threshold",
        readonly=False,
        string="Generate in Background Above",
    )
