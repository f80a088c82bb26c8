"""Production job orders: fields, lifecycle and the steps of their stock
flows (transfer to WIP, backflush, reverse, return of WIP components,
disassembly), purchases of missing components and costs.

Every flow first computes and checks everything, then writes: a refusal
leaves the database as it was. The procedural part (which component moves
where, in which quantity, at which value; cost estimates; purchase needs)
is in ``services/``; the methods here are the steps other code calls.
"""

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.misc import formatLang

from ..services import activities, availability, costing, purchasing, stock_flow
from .mrp_job_order_cost_mixin import TOTAL_KEYS, _computed

PRIORITIES = [
    ("0", "Normal"),
    ("1", "Important"),
    ("2", "Urgent"),
    ("3", "Very Urgent"),
]
STATES = [
    ("draft", "Draft"),
    ("confirmed", "Confirmed"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]


class MrpJobOrder(models.Model):
    """A production job order: one product (mono) or several (multi) to make,
    with the demand each quantity covers (pegging)."""

    _name = "mrp.job.order"
    _description = "Production Job Order"
    _inherit = ["mail.thread", "mail.activity.mixin", "mrp.job.order.cost.mixin"]
    _order = "priority desc, date_planned_start, id desc"

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        index=True,
        default=lambda self: _("New"),
    )
    type_id = fields.Many2one(
        "mrp.job.order.type",
        required=True,
        index=True,
        check_company=True,
        default=lambda self: self._default_type(),
        help="Document type: numbering, default mode and locations, shop-floor rules.",
    )
    mode = fields.Selection(
        [("mono", "Mono-product"), ("multi", "Multi-product")],
        required=True,
        default="mono",
        tracking=True,
        help="Mono: every line is the same product. Multi: several products for one "
        "customer, project or sales order.",
    )
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        # kanban columns in workflow order, empty ones included
        group_expand=True,
    )
    priority = fields.Selection(
        PRIORITIES,
        default="0",
        index=True,
        tracking=True,
        help="Served first when stock is scarce.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        help="Customer the job order is made for (multi job orders group by it).",
    )
    # Odoo 19 links a sales order to a project only through sale_project,
    # which this add-on does not depend on: the project is the analytic
    # account standing for it.
    project_id = fields.Many2one(
        "account.analytic.account",
        index="btree_not_null",
        check_company=True,
        help="Project (analytic account) the job order belongs to.",
    )
    sale_order_ids = fields.Many2many(
        "sale.order",
        "mrp_job_order_sale_order_rel",
        "job_order_id",
        "sale_order_id",
        string="Sales Orders",
        copy=False,
    )
    date_planned_start = fields.Datetime(
        string="Planned Start",
        default=fields.Datetime.now,
        index=True,
        tracking=True,
        help="When production is planned to start.",
    )
    date_deadline = fields.Datetime(
        string="Deadline",
        index=True,
        tracking=True,
        help="When the finished goods must be ready.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        default=lambda self: self._default_warehouse(),
    )
    location_src_id = fields.Many2one(
        "stock.location",
        string="Components Location",
        required=True,
        check_company=True,
        domain=[("usage", "=", "internal")],
        help="Where transfers take the components from.",
    )
    location_wip_id = fields.Many2one(
        "stock.location",
        string="WIP Location",
        required=True,
        check_company=True,
        domain=[("usage", "=", "internal")],
        help="Where transferred components wait until they are backflushed.",
    )
    location_dest_id = fields.Many2one(
        "stock.location",
        string="Finished Goods Location",
        required=True,
        check_company=True,
        domain=[("usage", "=", "internal")],
        help="Where finished goods are received.",
    )
    line_ids = fields.One2many(
        "mrp.job.order.line", "job_order_id", string="Lines", copy=True
    )
    picking_ids = fields.One2many("stock.picking", "job_order_id", string="Transfers")
    move_ids = fields.One2many("stock.move", "job_order_id", string="Stock Moves")
    demand_ids = fields.One2many(
        "mrp.job.order.demand",
        "job_order_id",
        help="The demand the lines cover (pegging).",
    )
    picking_count = fields.Integer(compute="_compute_counts")
    move_count = fields.Integer(compute="_compute_counts")
    purchase_count = fields.Integer(compute="_compute_counts")
    origin = fields.Char(help="Documents this job order comes from.")
    note = fields.Text()
    product_qty = fields.Float(
        string="Quantity",
        compute="_compute_quantities",
        store=True,
        digits="Product Unit",
        help="Total of the lines (in their units).",
    )
    qty_produced = fields.Float(
        compute="_compute_quantities", store=True, digits="Product Unit"
    )
    progress = fields.Float(
        compute="_compute_quantities",
        store=True,
        aggregator="avg",
        help="Produced quantity over ordered quantity, in percent.",
    )
    product_id = fields.Many2one(
        "product.product",
        compute="_compute_product",
        store=True,
        help="The product of a mono job order.",
    )
    group_key = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="What generation grouped in this job order (mode, warehouse, and product "
        "or customer/project/sales order); generation adds to open job orders by it.",
    )
    disassembly = fields.Boolean(
        readonly=True,
        copy=False,
        help="Finished goods were taken out of stock and their components put back "
        '(a negative "add to inventory" from a BOM).',
    )
    is_late = fields.Boolean(compute="_compute_is_late", search="_search_is_late")
    # what blocks it (see services/availability.py): not stored, stock moves
    # and purchases change it at any time
    components_availability = fields.Selection(
        availability.AVAILABILITY,
        string="Components",
        compute="_compute_availability",
        help="Whether the components of what is left to transfer are on hand in the "
        "components location.",
    )
    components_missing = fields.Text(
        "Missing Components",
        compute="_compute_availability",
        help="Components short in the components location, and the purchase orders "
        "placed for them.",
    )
    components_expected_date = fields.Datetime(
        "Components Expected",
        compute="_compute_availability",
        help="When the purchase orders of the missing components are expected (the "
        "latest of them); empty when some missing component is not on order.",
    )
    # costs: the sum of the lines' (actual and variance fields: the mixin)
    cost_material_estimated = _computed("Estimated Material", "_compute_cost_estimated")
    cost_labour_estimated = _computed("Estimated Labour", "_compute_cost_estimated")
    cost_overhead_estimated = _computed("Estimated Overhead", "_compute_cost_estimated")
    cost_estimated = _computed(
        "Estimated Cost",
        "_compute_cost_estimated",
        help="Frozen at confirmation; a manager may re-estimate a job "
        "order that has not started.",
    )
    cost_estimated_date = fields.Datetime(
        "Estimated On",
        readonly=True,
        copy=False,
        help="When the component prices were read.",
    )
    labour_ids = fields.One2many("mrp.job.order.labour", "job_order_id", copy=False)
    labour_hours = fields.Float(
        "Hours Worked", compute="_compute_labour_hours", digits=(16, 2)
    )

    _name_company_uniq = models.Constraint(
        "unique(name, company_id)",
        "The reference of a job order must be unique per company.",
    )

    @api.model
    def _default_type(self):
        company = (
            self.env["res.company"].browse(self.env.context.get("default_company_id"))
            or self.env.company
        )
        return company.job_order_type_id or self.env[
            "mrp.job.order.type"
        ]._default_for_company(self.env.company)

    @api.model
    def _default_warehouse(self):
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )

    @api.depends("line_ids.product_qty", "line_ids.qty_produced")
    def _compute_quantities(self):
        for order in self:
            order.product_qty = sum(order.line_ids.mapped("product_qty"))
            order.qty_produced = sum(order.line_ids.mapped("qty_produced"))
            order.progress = (
                100.0 * order.qty_produced / order.product_qty
                if order.product_qty
                else 0.0
            )

    @api.depends("line_ids.product_id", "mode")
    def _compute_product(self):
        for order in self:
            products = order.line_ids.product_id
            order.product_id = (
                products if order.mode == "mono" and len(products) == 1 else False
            )

    @api.depends("date_deadline", "state")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for order in self:
            order.is_late = bool(
                order.date_deadline
                and order.date_deadline < now
                and order.state not in ("done", "cancel")
            )

    @api.depends(
        "state",
        "location_src_id",
        "line_ids.product_qty",
        "line_ids.qty_transferred",
        "line_ids.bom_id",
    )
    def _compute_availability(self):
        by_order, _by_line = availability.availability(self._origin)
        for order in self:
            # a new record has nothing to tell yet
            status = by_order.get(order._origin.id, availability.NO_STATUS)
            order.update(availability.field_values(self.env, status))

    def _search_is_late(self, operator, value):
        if operator != "in":
            return NotImplemented  # 'not in' is derived by the ORM
        late = Domain("date_deadline", "<", fields.Datetime.now()) & Domain(
            "state", "not in", ("done", "cancel")
        )
        wanted = {bool(v) for v in value}
        if wanted == {True, False}:
            return Domain.TRUE
        if wanted == {True}:
            return late
        if wanted == {False}:
            return ~late
        return Domain.FALSE

    @api.depends(
        "line_ids.cost_material_estimated",
        "line_ids.cost_labour_estimated",
        "line_ids.cost_overhead_estimated",
        "line_ids.cost_estimated",
    )
    def _compute_cost_estimated(self):
        self._sum_line_costs("_estimated")

    @api.depends(
        "line_ids.cost_material_actual",
        "line_ids.cost_labour_actual",
        "line_ids.cost_overhead_actual",
        "line_ids.cost_actual",
    )
    def _compute_cost_actual(self):
        self._sum_line_costs("_actual")

    def _sum_line_costs(self, suffix):
        for order in self:
            for key in TOTAL_KEYS:
                order[key + suffix] = sum(order.line_ids.mapped(key + suffix))

    @api.depends("labour_ids.hours")
    def _compute_labour_hours(self):
        for order in self:
            order.labour_hours = sum(order.labour_ids.mapped("hours"))

    def _compute_counts(self):
        ids = self._origin.ids
        domain = [("job_order_id", "in", ids)]
        pickings = {
            order.id: count
            for order, count in self.env["stock.picking"]._read_group(
                domain, ["job_order_id"], ["__count"]
            )
        }
        moves = {
            order.id: count
            for order, count in self.env["stock.move"]._read_group(
                domain, ["job_order_id"], ["__count"]
            )
        }
        # sudo: counting needs no purchase rights, opening the list does
        purchases = {
            order.id: count
            for order, count in self.env["purchase.order.line"]
            .sudo()
            ._read_group(domain, ["job_order_id"], ["order_id:count_distinct"])
        }
        for order in self:
            key = order._origin.id
            order.picking_count = pickings.get(key, 0)
            order.move_count = moves.get(key, 0)
            order.purchase_count = purchases.get(key, 0)

    # -- defaults from type and warehouse ------------------------------------
    @api.onchange("type_id")
    def _onchange_type_id(self):
        if self.type_id:
            self.mode = self.type_id.mode
            if self.type_id.warehouse_id:
                self.warehouse_id = self.type_id.warehouse_id
            self.update(self._prepare_locations(self.type_id, self.warehouse_id))

    @api.onchange("warehouse_id")
    def _onchange_warehouse_id(self):
        if self.warehouse_id:
            self.update(self._prepare_locations(self.type_id, self.warehouse_id))

    @api.model
    def _prepare_locations(self, job_type, warehouse):
        stock = warehouse.lot_stock_id
        return {
            "location_src_id": (job_type.location_src_id or stock).id,
            "location_wip_id": warehouse.wip_location_id.id,
            "location_dest_id": (job_type.location_dest_id or stock).id,
        }

    def _prepare_job_order_values(self, vals):
        """Type, company, warehouse, locations and reference of a new job
        order, from the type when the caller left them out."""
        vals = dict(vals)
        job_type = (
            self.env["mrp.job.order.type"].browse(vals["type_id"])
            if vals.get("type_id")
            else self._default_type()
        )
        vals.setdefault("type_id", job_type.id)
        vals.setdefault("company_id", job_type.company_id.id)
        if not vals.get("warehouse_id"):
            warehouse = job_type.warehouse_id or self.env["stock.warehouse"].search(
                [("company_id", "=", vals["company_id"])], limit=1
            )
            vals["warehouse_id"] = warehouse.id
        warehouse = self.env["stock.warehouse"].browse(vals["warehouse_id"])
        for key, value in self._prepare_locations(job_type, warehouse).items():
            if not vals.get(key):
                vals[key] = value
        if vals.get("name", _("New")) == _("New"):
            # sudo: numbering is no right of the planner's
            vals["name"] = job_type.sudo().sequence_id.next_by_id() or _("New")
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._prepare_job_order_values(vals) for vals in vals_list]
        return super(MrpJobOrder, self.with_context(mail_create_nolog=True)).create(
            vals_list
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(order.state not in ("draft", "cancel") for order in self):
            raise UserError(
                _(
                    "Only draft or cancelled job orders can be deleted; "
                    "cancel the job order first."
                )
            )

    # -- consistency ----------------------------------------------------------
    @api.constrains("mode", "line_ids")
    def _check_mono(self):
        for order in self:
            if order.mode == "mono" and len(order.line_ids.product_id) > 1:
                raise ValidationError(
                    _(
                        "Job order %s is mono-product: all its lines must be the same "
                        "product. Switch it to multi-product or move the other "
                        "products to another job order.",
                        order.name,
                    )
                )

    # Named apart from BaseModel._check_company (the check_company=True
    # machinery): this one names the records in a planner's words.
    @api.constrains(
        "company_id",
        "warehouse_id",
        "location_src_id",
        "location_wip_id",
        "location_dest_id",
        "type_id",
    )
    def _check_company_consistency(self):
        # sudo: the user cannot read another company's records, and naming
        # them is the point of the message
        for order in self.sudo():
            for record in (
                order.type_id,
                order.warehouse_id,
                order.location_src_id,
                order.location_wip_id,
                order.location_dest_id,
            ):
                if record.company_id and record.company_id != order.company_id:
                    raise ValidationError(
                        _(
                            "%(record)s belongs to company %(company)s, but job order "
                            "%(order)s belongs to %(order_company)s.",
                            record=record.display_name,
                            company=record.company_id.name,
                            order=order.name,
                            order_company=order.company_id.name,
                        )
                    )
            for location in (
                order.location_src_id,
                order.location_wip_id,
                order.location_dest_id,
            ):
                if location.usage != "internal":
                    raise ValidationError(
                        _(
                            "Location %s is not an internal location; job orders take "
                            "and deliver goods in internal locations only.",
                            location.display_name,
                        )
                    )

    # -- lifecycle ------------------------------------------------------------
    def _state_label(self):
        """The state as the user reads it, in the user's language."""
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_state(self, allowed, action):
        for order in self:
            if order.state not in allowed:
                raise UserError(
                    _(
                        "Cannot %(action)s job order %(order)s: it is %(state)s.",
                        action=action,
                        order=order.name,
                        state=order._state_label().lower(),
                    )
                )

    def action_confirm(self):
        self._action_confirm()
        return True

    def _action_confirm(self):
        self._check_state(("draft",), _("confirm"))
        for order in self:
            if not order.line_ids:
                raise UserError(
                    _(
                        "Job order %s has no lines: add the products to make.",
                        order.name,
                    )
                )
            order.line_ids._check_confirmable()
        self.write({"state": "confirmed"})
        self._estimate_costs()

    def action_cancel(self):
        self._action_cancel()
        return True

    def _action_cancel(self):
        self._check_state(("draft", "confirmed", "in_progress"), _("cancel"))
        produced = self.filtered(
            lambda o: any(line.qty_produced for line in o.line_ids)
        )
        if produced:
            raise UserError(
                _(
                    "Job order %s has produced goods: reverse the produced quantity "
                    "first (button Reverse), then cancel.",
                    produced[0].name,
                )
            )
        for order in self:
            order.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            ).action_cancel()
            order._return_wip_components()
        self.write({"state": "cancel"})

    def action_draft(self):
        self._action_draft()
        return True

    def _action_draft(self):
        self._check_state(("cancel",), _("reset to draft"))
        if any(line.qty_transferred for line in self.line_ids):
            raise UserError(
                _(
                    "A job order whose components were transferred cannot go back to "
                    "draft; create a new one."
                )
            )
        self.write({"state": "draft"})

    def _check_own_lines(self, lines):
        """Wizards act on lines of this job order only."""
        self.ensure_one()
        foreign = lines.filtered(lambda line: line.job_order_id != self)
        if foreign:
            raise UserError(
                _(
                    "Line %(line)s does not belong to job order %(order)s.",
                    line=foreign[0].product_id.display_name,
                    order=self.name,
                )
            )

    def _update_state(self):
        """State follows the quantities: started once anything moved, done
        when every line is fully produced."""
        for order in self.filtered(
            lambda o: o.state in ("confirmed", "in_progress", "done")
        ):
            state = stock_flow.state_from_lines(order.line_ids)
            if state != order.state:
                order.state = state

    def _job_order_excess_activity(self):
        """A to-do for the responsible: demand planned here decreased."""
        self.ensure_one()
        self.env["mail.activity"].sudo().create(activities.excess_activity_values(self))

    @api.model
    def _cron_late_activities(self):
        """A to-do for the responsible of each late job order, once."""
        late = self.search([("is_late", "=", True)])
        self.env["mail.activity"].sudo().create(activities.late_activity_values(late))
        return True

    # -- navigation -----------------------------------------------------------
    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("job_order_id", "=", self.id)]
        action["context"] = {"default_job_order_id": self.id}
        if len(self.picking_ids) == 1:
            action["views"] = [(self.env.ref("stock.view_picking_form").id, "form")]
            action["res_id"] = self.picking_ids.id
        return action

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.stock_move_action"
        )
        action["domain"] = [("job_order_id", "=", self.id)]
        action["context"] = {"search_default_done": 0}
        return action

    def action_view_purchases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "purchase.purchase_form_action"
        )
        orders = (
            self.env["purchase.order.line"]
            .search([("job_order_id", "=", self.id)])
            .order_id
        )
        action["domain"] = [("id", "in", orders.ids)]
        return action

    # -- stock flows: helpers (see services/stock_flow.py) ------------------------
    def _production_locations(self, products):
        """{product id: its production location}, read for all the products at once."""
        self.ensure_one()
        return stock_flow.production_locations(self, products)

    def _prepare_move(
        self, product, qty, uom, location, location_dest, line, picking=None
    ):
        self.ensure_one()
        return stock_flow.move_values(
            self, product, qty, uom, location, location_dest, line, picking
        )

    def _prepare_picking(self, location, location_dest):
        self.ensure_one()
        return stock_flow.picking_values(self, location, location_dest)

    def _check_stock(self, needs, location):
        """``needs``: {product: qty}; raise with every shortage listed."""
        stock_flow.check_stock(self.env, needs, location)

    def _do_moves(self, vals_list):
        """Create, confirm and complete moves at once (the goods moved)."""
        return stock_flow.complete_moves(self.env, vals_list)

    def _write_lines(self, updates):
        """``updates``: [(line, vals)]; lines given equal values are written
        together."""
        for key, lines in stock_flow.group_line_updates(updates).items():
            lines.write(dict(key))

    # -- transfer -------------------------------------------------------------
    def action_transfer(self, quantities=None):
        """Move to WIP the components of the quantity not yet transferred.

        ``quantities``: {line id: quantity in the line's UoM} to transfer
        less than the rest (the transfer wizard passes it)."""
        self._action_transfer(quantities)
        return True

    def _action_transfer(self, quantities=None):
        """The transfer; returns the pickings made."""
        # keys may come as strings from a JSON call
        quantities = {int(line_id): qty for line_id, qty in (quantities or {}).items()}
        self._check_state(("confirmed", "in_progress"), self.env._("transfer"))
        plans = stock_flow.transfer_plans(self, quantities)
        pickings = self.env["stock.picking"]
        for order, plan in plans:
            pickings |= order._create_transfer(
                plan, order.location_src_id, order.location_wip_id
            )
            order._write_lines(
                [
                    (line, {"qty_transferred": line.qty_transferred + qty})
                    for line, qty, _components in plan
                ]
            )
            order._update_state()
            order.message_post(
                body=self.env._(
                    "Components transferred to %(location)s: %(lines)s",
                    location=order.location_wip_id.display_name,
                    lines=stock_flow.describe((line, qty) for line, qty, _c in plan),
                )
            )
        return pickings

    def _transfer_plan(self, quantities):
        self.ensure_one()
        return stock_flow.transfer_plan(self, quantities)

    def _create_transfer(self, plan, location, location_dest):
        """One picking, one move per component for all the lines of ``plan``:
        it reads as a pick list, and a move between two internal locations
        carries no value, so nothing the costs need is lost by not tying it
        to a line (consumption keeps each line's share, see
        _move_components)."""
        self.ensure_one()
        picking = self.env["stock.picking"].create(
            self._prepare_picking(location, location_dest)
        )
        self._do_moves(
            [
                self._prepare_move(
                    product, qty, product.uom_id, location, location_dest, None, picking
                )
                for product, qty in stock_flow.plan_components(plan).items()
            ]
        )
        return picking

    def _return_wip_components(self):
        """Components still in WIP go back where transfers took them from."""
        self.ensure_one()
        plan = stock_flow.wip_plan(self)
        if plan:
            self._create_transfer(plan, self.location_wip_id, self.location_src_id)
            self._write_lines(
                [
                    (line, {"qty_transferred": line.qty_transferred - qty})
                    for line, qty, _components in plan
                ]
            )
        return True

    # -- backflush and reverse ----------------------------------------------
    def action_backflush(self):
        """Open the backflush wizard, by default for the whole remaining quantity."""
        self.ensure_one()
        self._check_state(("confirmed", "in_progress"), self.env._("backflush"))
        return self._backflush_wizard(self.env._("Backflush"), reverse=False)

    def action_reverse(self):
        """Open the reverse wizard: undo a chosen produced quantity."""
        self.ensure_one()
        self._check_state(("in_progress", "done"), self.env._("reverse"))
        return self._backflush_wizard(self.env._("Reverse Production"), reverse=True)

    def _backflush_wizard(self, title, reverse):
        # one wizard serves both directions; `reverse` picks produced lines
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "mrp.job.order.backflush",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_job_order_id": self.id, "default_reverse": reverse},
        }

    def _backflush(self, quantities):
        """Consume components and receive finished goods.

        ``quantities``: {line: qty in the line's UoM}. Components come from
        WIP for the transferred part, from the components location for the
        rest (if the type allows it)."""
        self.ensure_one()
        self._check_state(("confirmed", "in_progress"), self.env._("backflush"))
        steps, structures, direct_needs = stock_flow.backflush_plan(self, quantities)
        if direct_needs and not self.type_id.allow_transfer_without_stock:
            self._check_stock(direct_needs, self.location_src_id)
        self._backflush_steps(steps, structures)
        self._update_state()
        self.message_post(
            body=self.env._(
                "Backflushed: %s",
                stock_flow.describe((line, qty) for line, qty, _w, _d in steps),
            )
        )
        return True

    def _backflush_steps(self, steps, structures=None):
        """``steps``: [(line, qty, qty from WIP, qty taken from stock)];
        ``structures``: from ``line_structures``. The components of all the
        steps are consumed together, then each line's finished goods are
        received, valued from its shares of the components (and carrying
        their labour, read before the receipts)."""
        labour = [(line, line._labour_to_absorb(qty)) for line, qty, _w, _d in steps]
        lines = self.env["mrp.job.order.line"].concat(*[step[0] for step in steps])
        productions = self._production_locations(lines.product_id)
        shares = self._move_components(
            stock_flow.backflush_needs(self, steps, structures, productions)
        )
        Consumption = self.env["mrp.job.order.consumption"]
        self._do_moves(
            [
                self._prepare_finished_move(
                    line,
                    qty,
                    shares.get(line.id, Consumption),
                    productions[line.product_id.id],
                )
                for line, qty, _w, _d in steps
            ]
        )
        self._write_lines(
            [
                (
                    line,
                    {
                        "qty_produced": line.qty_produced + qty,
                        "qty_transferred": line.qty_transferred + direct,
                    },
                )
                for line, qty, _from_wip, direct in steps
            ]
        )
        self._write_lines(
            [
                (line, {"cost_labour_absorbed": line.cost_labour_absorbed + value})
                for line, value in labour
                if value
            ]
        )

    def _move_components(self, needs):
        """``needs``: [(line, product, qty in the product's UoM, from, to)].
        One move per product and locations for all the lines, each line's
        share kept with its part of the value (see
        mrp.job.order.consumption). Returns {line id: its shares}."""
        groups = stock_flow.group_needs(needs)
        moves = self._do_moves(stock_flow.component_move_values(self, groups))
        shares = stock_flow.create_shares(self.env, moves, groups)
        self.env["mrp.job.order.line"].browse(list(shares))._recompute_actual_costs()
        return shares

    def _prepare_finished_move(self, line, qty, consumed, production):
        vals = self._prepare_move(
            line.product_id,
            qty,
            line.product_uom_id,
            production,
            self.location_dest_id,
            line,
        )
        vals["price_unit"] = self._finished_price_unit(line, qty, consumed)
        vals["job_order_finished"] = True
        return vals

    def _finished_price_unit(self, line, qty, consumed):
        """Unit cost of the finished goods (product UoM) from the value of
        the components consumed (``consumed``: the line's shares), plus
        labour and overhead at average or FIFO (see services/costing.py)."""
        return costing.finished_price_unit(line, qty, consumed)

    def _check_finished_stock(self, quantities):
        """Finished goods to take back must be in stock, unless the type
        lets stock go negative."""
        if self.type_id.allow_transfer_without_stock:
            return
        self._check_stock(stock_flow.finished_needs(quantities), self.location_dest_id)

    def _unbuild(self, quantities, components_dest):
        """The opposite moves of a backflush, ``quantities`` {line: qty}: the
        finished goods back to production, then their components to
        ``components_dest``."""
        lines = self.env["mrp.job.order.line"].concat(*quantities)
        productions = self._production_locations(lines.product_id)
        outs, needs = stock_flow.unbuild_moves(
            self, quantities, components_dest, productions
        )
        self._do_moves(outs)
        self._move_components(needs)

    def _reverse(self, quantities):
        """Undo produced quantities: finished goods back to production,
        components back to WIP (where a new backflush will find them);
        reversed goods give back their share of the labour they carried
        (the next receipt takes it again)."""
        self.ensure_one()
        self._check_state(("in_progress", "done"), self.env._("reverse"))
        stock_flow.check_reverse_quantities(self, quantities)
        released = costing.labour_released(quantities)
        self._check_finished_stock(quantities)
        self._unbuild(quantities, self.location_wip_id)
        self._write_lines(
            [
                (line, {"qty_produced": line.qty_produced - qty})
                for line, qty in quantities.items()
            ]
        )
        self._update_state()
        self.message_post(
            body=self.env._("Reversed: %s", stock_flow.describe(quantities.items()))
        )
        for line, value in released.items():
            line.cost_labour_absorbed -= value
        return True

    def _disassemble(self, quantities):
        """Take finished goods out of stock and put their components back
        (negative "add to inventory"); the job order is done as a disassembly."""
        self.ensure_one()
        self._check_state(("confirmed",), self.env._("disassemble"))
        self._check_finished_stock(quantities)
        self._unbuild(quantities, self.location_src_id)
        self._write_lines(
            [
                (line, {"qty_produced": qty, "qty_transferred": qty})
                for line, qty in quantities.items()
            ]
        )
        self.write({"state": "done", "disassembly": True})
        self.message_post(
            body=self.env._(
                "Disassembled: finished goods taken out of stock, components put back."
            )
        )
        return True

    # -- purchases and scrap (see services/purchasing.py) ------------------------
    def action_purchase_missing(self):
        """Draft purchase orders, one per main vendor, for the components
        short against what is available to the job order."""
        self.ensure_one()
        orders = self._action_purchase_missing()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "purchase.purchase_form_action"
        )
        action["domain"] = [("id", "in", orders.ids)]
        return action

    def _action_purchase_missing(self):
        """Create the draft purchase orders; return them."""
        self.ensure_one()
        self._check_state(
            ("draft", "confirmed", "in_progress"), _("buy components for")
        )
        shortages = self._component_shortages()
        purchasing.check_purchasable(self, shortages)
        orders = self.env["purchase.order"].create(
            [
                self._prepare_purchase(vendor, items)
                for vendor, items in purchasing.group_by_vendor(shortages).items()
            ]
        )
        self.message_post(
            body=_(
                "Draft purchase orders for missing components: %s",
                ", ".join(orders.mapped("name")),
            )
        )
        return orders

    def _component_shortages(self):
        return purchasing.component_shortages(self)

    def _prepare_purchase(self, vendor, items):
        return {
            "partner_id": vendor.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "picking_type_id": self.warehouse_id.in_type_id.id,
            "order_line": purchasing.purchase_line_commands(self, items),
        }

    def action_scrap(self):
        """Scrap components from WIP with Odoo's scrap form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Scrap from WIP"),
            "res_model": "stock.scrap",
            "view_mode": "form",
            "views": [(self.env.ref("stock.stock_scrap_form_view2").id, "form")],
            "target": "new",
            "context": {
                "default_location_id": self.location_wip_id.id,
                "product_ids": stock_flow.bom_components(self.line_ids).ids,
                "default_origin": self.name,
                "default_job_order_id": self.id,
                "default_company_id": self.company_id.id,
            },
        }

    # -- costs (see services/costing.py) ---------------------------------------
    def _estimate_costs(self):
        self.line_ids._write_cost_estimates()
        self.write({"cost_estimated_date": fields.Datetime.now()})

    def action_reestimate(self):
        """Estimate again at today's prices and operations (managers only,
        not once started: the estimate is what the actual cost is judged by)."""
        self._action_reestimate()
        return True

    def _action_reestimate(self):
        costing.check_reestimable(self)
        before = {order.id: order.cost_estimated for order in self}
        self._estimate_costs()
        for order in self:
            order.message_post(
                body=self.env._(
                    "Costs re-estimated at current prices: %(new)s, was %(old)s.",
                    new=formatLang(
                        self.env, order.cost_estimated, currency_obj=order.currency_id
                    ),
                    old=formatLang(
                        self.env, before[order.id], currency_obj=order.currency_id
                    ),
                )
            )

    def action_view_labour(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order_labour"
        )
        action["domain"] = [("job_order_id", "=", self.id)]
        action["context"] = {"default_job_order_id": self.id}
        return action
