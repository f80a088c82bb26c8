"""Labour hours recorded on a job order: the labour part of its actual cost."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

OPEN_STATES = ("confirmed", "in_progress", "done")


class MrpJobOrderLabour(models.Model):
    _name = "mrp.job.order.labour"
    _description = "Job Order Labour"
    _order = "date desc, id desc"
    _check_company_auto = True

    job_order_id = fields.Many2one(
        "mrp.job.order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    line_id = fields.Many2one(
        "mrp.job.order.line",
        string="Product Line",
        index=True,
        ondelete="set null",
        domain="[('job_order_id', '=', job_order_id)]",
        help="The product the hours were spent on. Left empty, the hours are shared "
        "among the lines of the job order in proportion to their estimated labour.",
    )
    name = fields.Char("Description")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    user_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        help="Who did the work, when it is a user of the system.",
    )
    employee_name = fields.Char("Employee", help="Who did the work, when not a user.")
    workcenter_id = fields.Many2one(
        "mrp.workcenter", string="Work Center", required=True, check_company=True
    )
    hours = fields.Float(required=True, digits=(16, 2))
    costs_hour = fields.Float(
        "Cost per Hour",
        digits=(16, 2),
        help="Hourly cost of the work center when the hours were recorded: later "
        "changes of the work center cost do not rewrite past costs.",
    )
    cost = fields.Monetary(compute="_compute_cost", store=True)
    company_id = fields.Many2one(related="job_order_id.company_id", store=True)
    currency_id = fields.Many2one(related="job_order_id.company_id.currency_id")

    @api.depends("hours", "costs_hour")
    def _compute_cost(self):
        for entry in self:
            currency = entry.job_order_id.company_id.currency_id
            cost = entry.hours * entry.costs_hour
            entry.cost = currency.round(cost) if currency else cost

    @api.onchange("workcenter_id")
    def _onchange_workcenter_id(self):
        if self.workcenter_id:
            self.costs_hour = self.workcenter_id.costs_hour

    @api.model
    def _check_values(self, vals, entries=None):
        """Refuse bad input before anything is written, so that a refusal
        leaves the database as it was (constraints would run after the
        insert)."""
        _ = self.env._
        if "hours" in vals and not (vals["hours"] or 0.0) > 0:
            raise ValidationError(
                _(
                    "Hours worked must be more than zero (entered: %s). To "
                    "correct an entry, change or delete it.",
                    vals["hours"],
                )
            )
        if "costs_hour" in vals and (vals["costs_hour"] or 0.0) < 0:
            raise ValidationError(_("The cost per hour cannot be negative."))
        if vals.get("job_order_id"):
            orders = self.env["mrp.job.order"].browse(vals["job_order_id"])
        elif entries:
            orders = entries.job_order_id
        else:
            orders = None
        if orders is not None:
            for order in orders:
                if order.state not in OPEN_STATES:
                    raise ValidationError(
                        _(
                            "Hours can be recorded on confirmed, started or done job "
                            "orders only; %(order)s is %(state)s.",
                            order=order.name,
                            state=order._state_label(),
                        )
                    )
        if vals.get("line_id"):
            line = self.env["mrp.job.order.line"].browse(vals["line_id"])
            for order in orders or []:
                if line.job_order_id != order:
                    raise ValidationError(
                        _(
                            "%(product)s is not a line of job order %(order)s.",
                            product=line.product_id.display_name,
                            order=order.name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        Workcenter = self.env["mrp.workcenter"]
        prepared = []
        for vals in vals_list:
            self._check_values(vals)
            if "costs_hour" not in vals and vals.get("workcenter_id"):
                vals = dict(
                    vals, costs_hour=Workcenter.browse(vals["workcenter_id"]).costs_hour
                )
            prepared.append(vals)
        entries = super().create(prepared)
        self._recompute_line_costs(entries.job_order_id)
        return entries

    def write(self, vals):
        self._check_values(vals, entries=self)
        orders = self.job_order_id
        result = super().write(vals)
        self._recompute_line_costs(orders | self.job_order_id)
        return result

    def unlink(self):
        orders = self.job_order_id
        result = super().unlink()
        self._recompute_line_costs(orders.exists())
        return result

    @api.model
    def _recompute_line_costs(self, orders):
        # hours without a line are shared by all the lines of the job order
        # (see mrp.job.order.line._compute_cost_actual)
        orders.line_ids._recompute_actual_costs()

    @api.constrains("hours", "job_order_id", "line_id", "user_id", "employee_name")
    def _check_entry(self):
        _ = self.env._
        for entry in self:
            if not entry.hours > 0:
                raise ValidationError(_("Hours worked must be more than zero."))
            if entry.line_id and entry.line_id.job_order_id != entry.job_order_id:
                raise ValidationError(
                    _(
                        "%(product)s is not a line of job order %(order)s.",
                        product=entry.line_id.product_id.display_name,
                        order=entry.job_order_id.name,
                    )
                )
            if not entry.user_id and not entry.employee_name:
                raise ValidationError(
                    _("Say who did the work: a user or an employee name.")
                )


class MrpWorkcenter(models.Model):
    """Hourly cost of a work center (Odoo's own ``costs_hour``): labour cost
    of job orders, estimated (BOM operations) and actual (hours recorded)."""

    _inherit = "mrp.workcenter"

    @api.constrains("costs_hour")
    def _check_costs_hour(self):
        for workcenter in self:
            if workcenter.costs_hour < 0:
                raise ValidationError(
                    self.env._(
                        "The cost per hour of %s cannot be negative.", workcenter.name
                    )
                )
