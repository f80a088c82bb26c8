import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .mrp_job_order import PRIORITIES
from .mrp_job_order_demand import GROUP_BYS, MODES

SOURCE_FIELDS = ("use_sale", "use_forecast", "use_min_stock", "use_warehouse")
MANY2MANY_FILTERS = (
    "partner_ids",
    "product_ids",
    "categ_ids",
    "warehouse_ids",
    "sale_order_ids",
    "sale_line_ids",
)


class MrpJobOrderGenerateParams(models.AbstractModel):
    """Parameters of a generation, shared by the wizard and saved profiles."""

    _name = "mrp.job.order.generate.params"
    _description = "Job Order Generation Parameters"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    use_sale = fields.Boolean(
        "Sales Orders",
        default=True,
        help="Plan confirmed sales order lines not yet planned.",
    )
    use_forecast = fields.Boolean(
        "Forecasts", help="Plan the part of sales forecasts not already ordered."
    )
    use_min_stock = fields.Boolean(
        "Low Stock",
        help="Plan products whose projected stock is below their "
        "reordering rule minimum, up to the maximum.",
    )
    use_warehouse = fields.Boolean(
        "Warehouse Needs",
        help="Plan the projected shortfall of a warehouse caused by "
        "internal transfers, manual deliveries or consumption.",
    )
    date_from = fields.Date(
        "From",
        help="Start of the horizon: demand dated before it is "
        "included too (it is late).",
    )
    date_to = fields.Date(
        "To",
        help="End of the horizon: demand dated after it is left for "
        "later runs. Empty: no limit.",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")
    product_ids = fields.Many2many("product.product", string="Products")
    categ_ids = fields.Many2many("product.category", string="Product Categories")
    warehouse_ids = fields.Many2many("stock.warehouse", string="Warehouses")
    sale_order_ids = fields.Many2many("sale.order", string="Selected Sales Orders")
    sale_line_ids = fields.Many2many(
        "sale.order.line", string="Selected Sales Order Lines"
    )
    mode = fields.Selection(
        MODES,
        default="mono",
        required=True,
        help="Mono: one product per job order. Multi: the products of one customer, "
        "project or sales order in one job order.",
    )
    group_by = fields.Selection(
        GROUP_BYS,
        default="partner",
        required=True,
        help="What a multi-product job order gathers. Project: the account of the "
        'analytic plan "Project" in the analytic distribution of the sales order '
        "lines.",
    )
    update_existing = fields.Boolean(
        default=True,
        help="Add to open job orders not started yet (draft or confirmed, nothing "
        "transferred) with the same type, warehouse, mode and grouping, instead of "
        "creating new ones.",
    )
    net_stock = fields.Boolean(
        "Net Against Stock",
        default=True,
        help="Serve demand from stock on hand and unplanned job order quantities "
        "first, most urgent first; plan only the rest.",
    )
    explode_subassemblies = fields.Boolean(
        default=True,
        help="Ticked: components of sub-assemblies go straight into the job order. "
        "Unticked: sub-assemblies short in stock get job orders of their own.",
    )
    type_id = fields.Many2one(
        "mrp.job.order.type",
        string="Job Order Type",
        help="Type of the job orders created; the company default when empty.",
    )
    priority = fields.Selection(
        PRIORITIES,
        string="Minimum Priority",
        help="Priority given at least to the job orders created.",
    )

    @api.model
    def default_get(self, fields_list):
        """The company's job order settings are the defaults (Manufacturing
        settings, "Job Orders")."""
        values = super().default_get(fields_list)
        company = (
            self.env["res.company"].browse(values.get("company_id")) or self.env.company
        )
        settings = {
            "mode": company.job_order_mode,
            "group_by": company.job_order_group_by,
            "net_stock": company.job_order_net_stock,
            "update_existing": company.job_order_update_existing,
            "explode_subassemblies": company.job_order_explode_subassemblies,
            "type_id": company.job_order_type_id.id,
        }
        if company.job_order_horizon_days > 0:
            horizon_end = fields.Date.context_today(self) + timedelta(
                days=company.job_order_horizon_days
            )
            settings["date_to"] = fields.Date.to_string(horizon_end)
        context = self.env.context
        for name, value in settings.items():
            # an empty setting (no default type) keeps the field's default
            wanted = value or isinstance(value, bool)
            if wanted and name in fields_list and "default_" + name not in context:
                values[name] = value
        return values

    def _has_manual_demand(self):
        return False

    def _check_params(self):
        for params in self:
            if (
                not any(params[name] for name in SOURCE_FIELDS)
                and not params._has_manual_demand()
            ):
                raise UserError(
                    self.env._(
                        "Select at least one source of demand: sales orders, "
                        "forecasts, low stock or warehouse needs."
                    )
                )
            if (
                params.date_from
                and params.date_to
                and params.date_to < params.date_from
            ):
                raise UserError(
                    self.env._(
                        "The horizon ends (%(end)s) before it starts (%(start)s).",
                        end=params.date_to,
                        start=params.date_from,
                    )
                )
            if params.type_id and params.type_id.sudo().company_id != params.company_id:
                raise UserError(
                    self.env._(
                        "Job order type %s belongs to another company.",
                        params.type_id.sudo().name,
                    )
                )

    def _params_dict(self):
        """The parameters as plain values (for the planner and the run log)."""
        self.ensure_one()
        values = {
            name: self[name]
            for name in SOURCE_FIELDS
            + (
                "mode",
                "group_by",
                "update_existing",
                "net_stock",
                "explode_subassemblies",
                "date_from",
                "date_to",
                "priority",
            )
        }
        for name in MANY2MANY_FILTERS:
            values[name] = self[name].ids
        values["type_id"] = self.type_id.id
        values["company_id"] = self.company_id.id
        values["manual"] = []
        return values

    def _params_json(self):
        return json.dumps(self._params_dict(), sort_keys=True, default=str)

    @api.onchange("mode")
    def _onchange_mode_group(self):
        if self.mode == "mono":
            self.group_by = "partner"
