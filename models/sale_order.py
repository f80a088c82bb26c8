from odoo import api, fields, models
from odoo.exceptions import UserError

from .mrp_job_order import PRIORITIES


def _wrong_ids(records):
    """The ids of ``records`` that are not ids of existing records (not
    positive integers, or deleted), in the caller's order."""
    wrong = [
        value
        for value in records._ids
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0
    ]
    if not wrong:
        existing = set(records.exists()._ids)
        wrong = [value for value in records._ids if value not in existing]
    return wrong


class SaleOrder(models.Model):
    _inherit = "sale.order"

    job_order_priority = fields.Selection(
        PRIORITIES,
        string="Production Priority",
        default="0",
        help="Served first by job order generation when stock or capacity is scarce.",
    )
    job_order_ids = fields.Many2many(
        "mrp.job.order", compute="_compute_job_orders", string="Job Orders"
    )
    job_order_count = fields.Integer(compute="_compute_job_orders")
    job_order_line_count = fields.Integer(
        compute="_compute_job_order_lines",
        string="Job Order Lines",
        help="Job order lines that cover the lines of this order (pegging).",
    )
    job_order_progress = fields.Float(
        compute="_compute_job_order_lines",
        string="Production Progress",
        help="Quantity produced for this order over the quantity planned for it, in "
        "percent.",
    )

    def _compute_job_order_lines(self):
        for order in self:
            lines = order.order_line
            order.job_order_line_count = len(lines.job_order_line_ids)
            planned = sum(lines.mapped("qty_planned"))
            produced = sum(lines.mapped("qty_produced_job"))
            order.job_order_progress = 100.0 * produced / planned if planned else 0.0

    def _compute_job_orders(self):
        by_order = {}
        if self.ids:
            for order, job_orders in self.env["mrp.job.order.demand"]._read_group(
                [("sale_order_id", "in", self.ids)],
                ["sale_order_id"],
                ["job_order_id:recordset"],
            ):
                by_order[order.id] = job_orders
        JobOrder = self.env["mrp.job.order"]
        for order in self:
            job_orders = by_order.get(order.id, JobOrder).sorted("id")
            order.job_order_ids = job_orders
            order.job_order_count = len(job_orders)

    def _check_plannable(self):
        """Refuse, before anything is written, orders the wizard cannot plan."""
        companies = self.company_id
        if len(companies) > 1:
            raise UserError(self.env._("Select sales orders of one company at a time."))
        for order in self:
            if order.state != "sale" or order.locked:
                if order.locked and order.state == "sale":
                    state = self.env._("locked")
                else:
                    state = dict(
                        order._fields["state"]._description_selection(self.env)
                    )[order.state].lower()
                raise UserError(
                    self.env._(
                        "Only confirmed sales orders can be planned: %(order)s is "
                        "%(state)s.",
                        order=order.name,
                        state=state,
                    )
                )

    def _check_sale_order_ids(self):
        """Refuse, before anything runs, ids that are not ids of existing
        sales orders (an integrator's call with a name or a text where the
        ids go, or a deleted order): a clear message instead of a database
        error."""
        wrong = _wrong_ids(self)
        if wrong:
            raise UserError(
                self.env._(
                    "%s is not a sales order id: give the ids of existing sales "
                    "orders.",
                    ", ".join(repr(value) for value in wrong),
                )
            )

    def action_create_job_order(self):
        """The generation wizard on these orders, their lines preselected
        and previewed: the planner may untick some and generate."""
        if not self:
            return False
        return self._action_create_job_order()._reopen()

    def _action_create_job_order(self):
        """The previewed generation wizard for these orders."""
        self._check_sale_order_ids()
        self._check_plannable()
        wizard = self.env["mrp.job.order.generate"].create(
            {
                "company_id": self.company_id.id,
                "use_sale": True,
                "sale_order_ids": [fields.Command.set(self.ids)],
                "sale_line_ids": [fields.Command.set(self.order_line.ids)],
                "mode": "multi" if len(self.order_line.product_id) > 1 else "mono",
                "group_by": "sale_order",
            }
        )
        wizard._action_preview()
        return wizard

    def action_view_job_orders(self):
        self._check_sale_order_ids()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order"
        )
        action["domain"] = [("id", "in", self.job_order_ids.ids)]
        return action

    def action_view_job_order_lines(self):
        """Where is my order? The job order lines making it, with their state
        and quantities (read-only for salespeople)."""
        if not self:
            return False
        self._check_sale_order_ids()
        return self.order_line._job_order_lines_action(
            self.env._("Production of %s", ", ".join(self.mapped("name")))
        )

    def _action_cancel(self):
        result = super()._action_cancel()
        self.order_line._job_order_flag_excess()
        return result


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    job_order_demand_ids = fields.One2many(
        "mrp.job.order.demand", "sale_line_id", string="Job Order Pegging"
    )
    job_order_line_ids = fields.Many2many(
        "mrp.job.order.line", compute="_compute_job_order_qty", string="Job Order Lines"
    )
    qty_planned = fields.Float(
        compute="_compute_job_order_qty",
        digits="Product Unit",
        string="Planned",
        help="Quantity planned on job orders (in the unit of the line).",
    )
    qty_produced_job = fields.Float(
        compute="_compute_job_order_qty",
        digits="Product Unit",
        string="Produced",
        help="Quantity produced by the job orders planned for this line "
        "(in the unit of the line).",
    )

    @api.depends(
        "job_order_demand_ids.product_qty",
        "job_order_demand_ids.state",
        "job_order_demand_ids.line_id.qty_produced",
        "product_uom_id",
    )
    def _compute_job_order_qty(self):
        for line in self:
            demand = line.job_order_demand_ids.filtered(lambda d: d.state != "cancel")
            planned = produced = 0.0
            for record in demand:
                job_line = record.line_id
                planned += record.product_qty
                line_qty = job_line.product_uom_id._compute_quantity(
                    job_line.product_qty, job_line.product_id.uom_id, round=False
                )
                done = job_line.product_uom_id._compute_quantity(
                    job_line.qty_produced, job_line.product_id.uom_id, round=False
                )
                # produced goods are shared among the demand in pegging proportion
                produced += record.product_qty * done / line_qty if line_qty else 0.0
            uom = line.product_id.uom_id
            line.job_order_line_ids = demand.line_id
            line.qty_planned = uom._compute_quantity(planned, line.product_uom_id)
            line.qty_produced_job = uom._compute_quantity(produced, line.product_uom_id)

    def action_view_job_order_lines(self):
        """The job order lines covering these sales order lines."""
        if not self:
            return False
        self._check_sale_line_ids()
        if len(self) == 1:
            title = self.env._(
                "Production of %(order)s: %(product)s",
                order=self.order_id.name,
                product=self.product_id.display_name,
            )
        else:
            title = self.env._(
                "Production of %s", ", ".join(self.order_id.mapped("name"))
            )
        return self._job_order_lines_action(title)

    def _check_sale_line_ids(self):
        """Refuse ids that are not ids of existing sales order lines (an
        integrator's typo, a deleted line): words instead of a database error."""
        wrong = _wrong_ids(self)
        if wrong:
            raise UserError(
                self.env._(
                    "%s is not a sales order line id: give the ids of existing sales "
                    "order lines.",
                    ", ".join(repr(value) for value in wrong),
                )
            )

    def _job_order_lines_action(self, title):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order_line_pegging"
        )
        action["domain"] = [("id", "in", self.job_order_line_ids.ids)]
        action["context"] = {"create": False}
        action["name"] = action["display_name"] = title
        return action

    def write(self, vals):
        """Changes after planning: a sales order line decreased after it was
        planned never changes job orders silently."""
        result = super().write(vals)
        if "product_uom_qty" in vals:
            self._job_order_flag_excess()
        return result

    def _job_order_still_wanted(self):
        """What the line still asks, in the product's UoM."""
        self.ensure_one()
        if self.order_id.state == "cancel":
            return 0.0
        return max(
            self.product_uom_id._compute_quantity(
                self.product_uom_qty - self.qty_delivered,
                self.product_id.uom_id,
                round=False,
            ),
            0.0,
        )

    def _job_order_flag_excess(self):
        """Mark the pegging beyond what the line still asks as excess, most
        recent pegging first, and tell the job orders' responsibles."""
        if not self:
            return
        pegging = (
            self.env["mrp.job.order.demand"]
            .sudo()
            .search(
                [("sale_line_id", "in", self.ids), ("state", "!=", "cancel")],
                order="id desc",
            )
        )
        touched = self.env["mrp.job.order"]
        for line in self:
            records = pegging.filtered(
                lambda d, sale_line=line: d.sale_line_id == sale_line
            )
            if not records:
                continue
            excess = sum(records.mapped("product_qty")) - line._job_order_still_wanted()
            for record in records:
                share = min(max(excess, 0.0), record.product_qty)
                if abs(share - record.excess_qty) > 1e-9:
                    record.excess_qty = share
                    if share > 0:
                        touched |= record.job_order_id
                excess -= share
        for order in touched:
            order._job_order_excess_activity()
