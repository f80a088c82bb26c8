from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round

from ..bridge.planning_bridge import components_for, line_structures
from ..services import availability, costing
from ..services.stock_flow import group_line_updates
from .mrp_job_order_cost_mixin import ACTUAL_FIELDS, _money

QTY = "Product Unit"
# Beyond this a quantity is a typing accident, not a plan (and float
# arithmetic on it would lose the units).
MAX_QTY = 1e9


def uom_compatible(uom, other):
    """Whether a quantity in ``uom`` converts to ``other``: Odoo 19 has no
    UoM categories, two units convert when they share a reference unit."""
    return not uom or not other or uom == other or uom._has_common_reference(other)


class MrpJobOrderLine(models.Model):
    """One product to make on a job order, with the demand it covers, and
    its estimated and actual cost."""

    _name = "mrp.job.order.line"
    _inherit = ["mrp.job.order.cost.mixin"]
    _description = "Job Order Line"
    _order = "job_order_id desc, sequence, id"

    job_order_id = fields.Many2one(
        "mrp.job.order",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        domain=[("type", "=", "consu")],
        help="The product to make.",
    )
    bom_id = fields.Many2one(
        "mrp.bom",
        string="Bill of Materials",
        check_company=True,
        help="How to make it; proposed from the product. Its components are what "
        "transfers and backflushes move.",
    )
    product_qty = fields.Float(
        "Quantity",
        digits=QTY,
        required=True,
        default=1.0,
        help="Quantity to make, in the unit of the line.",
    )
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        required=True,
        help="Unit of the quantities; proposed from the BOM.",
    )
    qty_transferred = fields.Float(
        digits=QTY,
        readonly=True,
        copy=False,
        help="Quantity (in units of the line) whose components were issued: "
        "transferred to WIP or taken from stock at backflush.",
    )
    qty_produced = fields.Float(digits=QTY, readonly=True, copy=False)
    qty_remaining = fields.Float(
        compute="_compute_qty_remaining", store=True, digits=QTY
    )
    progress = fields.Float(
        compute="_compute_progress",
        help="Produced quantity over the quantity to make, in percent.",
    )
    explode_subassemblies = fields.Boolean(
        default=lambda self: self._default_explode(),
        help="Ticked: components of sub-assemblies are transferred and consumed "
        "directly. Unticked: sub-assemblies are consumed as stock items.",
    )
    date_deadline = fields.Datetime("Deadline", help="When this product must be ready.")
    demand_ids = fields.One2many(
        "mrp.job.order.demand", "line_id", string="Covered Demand"
    )
    # not stored: the pegging holds it, and a stored many2many would cost a
    # DELETE and an INSERT for every line a generation creates
    sale_line_ids = fields.Many2many(
        "sale.order.line",
        compute="_compute_sale_lines",
        search="_search_sale_lines",
        string="Sales Order Lines",
    )
    move_ids = fields.One2many(
        "stock.move",
        "job_order_line_id",
        string="Stock Moves",
        help="Finished goods received (and returned by reversals).",
    )
    consumption_ids = fields.One2many(
        "mrp.job.order.consumption",
        "line_id",
        string="Components Consumed",
        help="The line's shares of the component moves of backflushes and reversals.",
    )
    # header data, for the detailed list and the analysis
    state = fields.Selection(related="job_order_id.state", store=True)
    mode = fields.Selection(related="job_order_id.mode", store=True)
    priority = fields.Selection(related="job_order_id.priority", store=True)
    partner_id = fields.Many2one(related="job_order_id.partner_id", store=True)
    company_id = fields.Many2one(related="job_order_id.company_id", store=True)
    warehouse_id = fields.Many2one(related="job_order_id.warehouse_id", store=True)
    user_id = fields.Many2one(related="job_order_id.user_id", store=True)
    date_planned_start = fields.Datetime(
        related="job_order_id.date_planned_start", store=True
    )
    type_id = fields.Many2one(related="job_order_id.type_id", store=True)
    # costs (the calculation: services/costing.py)
    cost_overhead_rate = fields.Float(
        "Overhead Rate (%)",
        readonly=True,
        copy=False,
        digits=(16, 4),
        help="Rate of the estimate (the BOM's, else the company's), used for the "
        "actual overhead too.",
    )
    cost_labour_absorbed = _money(
        "Labour in Finished Goods",
        help="Recorded labour carried into the value of the finished goods received so "
        "far.",
    )
    labour_ids = fields.One2many("mrp.job.order.labour", "line_id")
    # what blocks the line (see services/availability.py)
    components_availability = fields.Selection(
        availability.AVAILABILITY, string="Components", compute="_compute_availability"
    )
    components_missing = fields.Text(
        "Missing Components", compute="_compute_availability"
    )
    components_expected_date = fields.Datetime(
        "Components Expected", compute="_compute_availability"
    )
    demand_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_demand_summary",
        string="Customers Served",
        help="The customers of the demand this line covers.",
    )
    demand_sale_order_ids = fields.Many2many(
        "sale.order", compute="_compute_demand_summary", string="Sales Orders Served"
    )
    demand_date = fields.Datetime(
        compute="_compute_demand_summary",
        help="When the most urgent demand the line covers is due.",
    )

    @api.model
    def _default_explode(self):
        order = self.env["mrp.job.order"].browse(
            self.env.context.get("default_job_order_id")
        )
        job_type = order.type_id if order else self.env["mrp.job.order"]._default_type()
        return job_type.explode_subassemblies if job_type else True

    @api.depends("job_order_id.name", "product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = "%s: %s" % (
                line.job_order_id.name or "",
                line.product_id.display_name or "",
            )

    @api.depends("product_qty", "qty_produced", "product_uom_id")
    def _compute_qty_remaining(self):
        for line in self:
            line.qty_remaining = float_round(
                line.product_qty - line.qty_produced,
                precision_rounding=line.product_uom_id.rounding or 0.001,
            )

    @api.depends("demand_ids.sale_line_id")
    def _compute_sale_lines(self):
        for line in self:
            line.sale_line_ids = line.demand_ids.sale_line_id

    @api.depends("product_qty", "qty_produced")
    def _compute_progress(self):
        for line in self:
            line.progress = (
                100.0 * line.qty_produced / line.product_qty
                if line.product_qty
                else 0.0
            )

    @api.depends("demand_ids.partner_id", "demand_ids.sale_order_id", "demand_ids.date")
    def _compute_demand_summary(self):
        for line in self:
            demand = line.demand_ids
            line.demand_partner_ids = (
                demand.partner_id | demand.sale_order_id.partner_id
            )
            line.demand_sale_order_ids = demand.sale_order_id
            dates = [day for day in demand.mapped("date") if day]
            line.demand_date = min(dates) if dates else False

    @api.depends("job_order_id.state", "product_qty", "qty_transferred", "bom_id")
    def _compute_availability(self):
        _by_order, by_line = availability.availability(self._origin.job_order_id)
        for line in self:
            status = by_line.get(line._origin.id, availability.NO_STATUS)
            line.update(availability.field_values(self.env, status))

    def _search_sale_lines(self, operator, value):
        return [("demand_ids.sale_line_id", operator, value)]

    @api.model
    def _find_bom(self, product, company):
        """The BOM Odoo proposes for ``product`` in ``company``."""
        return self.env["mrp.bom"]._bom_find(product, company_id=company.id)[product]

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if not self.product_id:
            return
        company = self.job_order_id.company_id or self.env.company
        bom = self._find_bom(self.product_id, company)
        self.bom_id = bom
        self.product_uom_id = bom.product_uom_id if bom else self.product_id.uom_id

    @api.onchange("bom_id")
    def _onchange_bom_id(self):
        if self.bom_id:
            self.product_uom_id = self.bom_id.product_uom_id

    @api.model
    def _prepare_defaults(self, vals):
        """BOM and unit from the product when the caller left them out."""
        vals = dict(vals)
        product = self.env["product.product"].browse(vals["product_id"])
        if not vals.get("bom_id"):
            order = self.env["mrp.job.order"].browse(vals.get("job_order_id"))
            vals["bom_id"] = self._find_bom(product, order.company_id).id
        if not vals.get("product_uom_id"):
            bom = self.env["mrp.bom"].browse(vals["bom_id"])
            vals["product_uom_id"] = (bom.product_uom_id or product.uom_id).id
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        prepared = []
        for vals in vals_list:
            if vals.get("product_id"):
                vals = self._prepare_defaults(vals)
            if vals.get("job_order_id") and vals.get("demand_ids"):
                # pegging created with the line gets its job order from here,
                # not by reading back the line being created
                vals = dict(
                    vals,
                    demand_ids=[
                        (0, 0, dict(command[2], job_order_id=vals["job_order_id"]))
                        if command[0] == 0
                        else command
                        for command in vals["demand_ids"]
                    ],
                )
            prepared.append(vals)
        lines = super().create(prepared)
        if not self.env.context.get("job_order_no_manual_demand"):
            lines._sync_manual_demand()
        # a line added to a confirmed job order gets its estimate when added
        started = lines.filtered(
            lambda line: line.job_order_id.state in ("confirmed", "in_progress")
        )
        if started:
            started._check_confirmable()
            started._write_cost_estimates()
        return lines

    def write(self, vals):
        if any(key in vals for key in ("product_id", "bom_id", "product_uom_id")):
            started = self.filtered(
                lambda line: line.qty_transferred or line.qty_produced
            )
            if started:
                raise UserError(
                    _(
                        "The product, BOM and unit of %s cannot change: its "
                        "components were already issued.",
                        started[0].product_id.display_name,
                    )
                )
        if "product_qty" in vals:
            # the unit of a started line cannot change (above): its rounding holds
            for line in self:
                if (
                    float_compare(
                        vals["product_qty"],
                        line.qty_transferred,
                        precision_rounding=line.product_uom_id.rounding,
                    )
                    < 0
                ):
                    raise UserError(
                        _(
                            "The quantity of %(product)s cannot be less than what "
                            "was already transferred (%(qty)s).",
                            product=line.product_id.display_name,
                            qty=line.qty_transferred,
                        )
                    )
        result = super().write(vals)
        if any(
            key in vals for key in ("product_qty", "product_uom_id", "product_id")
        ) and not self.env.context.get("job_order_no_manual_demand"):
            self._sync_manual_demand()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        if any(line.qty_transferred or line.qty_produced for line in self):
            raise UserError(_("A line whose components were issued cannot be deleted."))

    def unlink(self):
        orders = self.job_order_id
        result = super().unlink()
        orders.exists().line_ids._recompute_actual_costs()
        return result

    def _sync_manual_demand(self):
        """Lines entered by hand cover 'manual' demand of their own quantity,
        so that pegging always explains every quantity."""
        to_create = []
        for line in self:
            others = line.demand_ids.filtered(lambda d: d.source != "manual")
            covered = sum(others.mapped("product_qty"))
            qty = (
                line.product_uom_id._compute_quantity(
                    line.product_qty, line.product_id.uom_id
                )
                - covered
            )
            manual = line.demand_ids.filtered(lambda d: d.source == "manual")
            if (
                float_compare(
                    qty, 0.0, precision_rounding=line.product_id.uom_id.rounding
                )
                <= 0
            ):
                manual.unlink()
            elif manual:
                manual[0].write({"product_qty": qty, "product_id": line.product_id.id})
                manual[1:].unlink()
            else:
                to_create.append(line._prepare_manual_demand(qty))
        if to_create:
            self.env["mrp.job.order.demand"].create(to_create)

    def _prepare_manual_demand(self, qty):
        return {
            "line_id": self.id,
            "source": "manual",
            "product_id": self.product_id.id,
            "product_qty": qty,
            "date": self.date_deadline
            or self.job_order_id.date_deadline
            or fields.Datetime.now(),
            "partner_id": self.job_order_id.partner_id.id,
        }

    @api.constrains("product_qty")
    def _check_qty(self):
        for line in self:
            if line.product_qty <= 0:
                raise ValidationError(
                    _(
                        "The quantity of %s must be positive.",
                        line.product_id.display_name,
                    )
                )
            if line.product_qty > MAX_QTY:
                raise ValidationError(
                    _(
                        "%(qty)s %(unit)s of %(product)s is not a realistic "
                        "quantity: check the number typed.",
                        qty=line.product_qty,
                        unit=line.product_uom_id.name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("product_uom_id", "product_id")
    def _check_uom(self):
        for line in self:
            if not uom_compatible(line.product_uom_id, line.product_id.uom_id):
                raise ValidationError(
                    _(
                        "Unit %(unit)s cannot measure %(product)s (its unit is "
                        "%(product_unit)s, which does not convert to it).",
                        unit=line.product_uom_id.name,
                        product=line.product_id.display_name,
                        product_unit=line.product_id.uom_id.name,
                    )
                )

    def _check_confirmable(self):
        for line in self:
            product = line.product_id
            if (
                float_compare(
                    line.product_qty,
                    0.0,
                    precision_rounding=line.product_uom_id.rounding,
                )
                <= 0
            ):
                raise UserError(
                    _("The quantity of %s must be positive.", product.display_name)
                )
            # sudo: a BOM of another company is unreadable to the user, and
            # saying so is the point of the check
            bom = line.bom_id.sudo()
            if not bom:
                raise UserError(
                    _(
                        "%s has no bill of materials: create one, or remove the line.",
                        product.display_name,
                    )
                )
            if not bom.active:
                raise UserError(
                    _("The bill of materials of %s is archived.", product.display_name)
                )
            if bom.company_id and bom.company_id != line.job_order_id.company_id:
                raise UserError(
                    _(
                        "The bill of materials of %s belongs to another company.",
                        product.display_name,
                    )
                )
            if bom.product_tmpl_id != product.product_tmpl_id or (
                bom.product_id and bom.product_id != product
            ):
                raise UserError(
                    _(
                        "Bill of materials %(bom)s does not make %(product)s.",
                        bom=bom.display_name,
                        product=product.display_name,
                    )
                )
            if bom.type != "normal":
                raise UserError(
                    _(
                        "Bill of materials %s is a kit: kits are not manufactured.",
                        bom.display_name,
                    )
                )
            if not uom_compatible(line.product_uom_id, product.uom_id):
                raise UserError(
                    _(
                        "Unit %(unit)s cannot measure %(product)s.",
                        unit=line.product_uom_id.name,
                        product=product.display_name,
                    )
                )
        # BOM structures of all the lines read at once, not line by line, and
        # only once every BOM is known to be readable and of the right company
        structures = line_structures(self)
        for line in self:
            line._check_untracked(structures)

    def _check_untracked(self, structures=None):
        """Job orders move goods without lots or serial numbers: refuse
        tracked products up front rather than fail in the middle of a move.
        ``structures``: from ``line_structures``, when many lines are checked."""
        for line in self:
            tracked = [
                p
                for p, _qty in components_for(line, line.product_qty, structures)
                if p.tracking != "none"
            ]
            if line.product_id.tracking != "none":
                tracked.insert(0, line.product_id)
            if tracked:
                raise UserError(
                    _(
                        "%s is tracked by lots or serial numbers, which job orders do "
                        "not handle: produce it with a manufacturing order.",
                        ", ".join(p.display_name for p in tracked),
                    )
                )

    # -- estimated cost ---------------------------------------------------------
    def _write_cost_estimates(self):
        # lines given the same estimate (same product, BOM and quantity)
        # are written together
        for values, lines in group_line_updates(
            self._prepare_cost_estimates().items()
        ).items():
            lines.write(dict(values))
        # labour without a line is shared by estimated labour
        self.job_order_id.line_ids._recompute_actual_costs()

    def _prepare_cost_estimates(self):
        """{line: estimated cost values}, component prices read once per company."""
        return costing.cost_estimates(self)

    def _prepare_cost_estimate(self, components, unit_costs, structures=None):
        currency = self.job_order_id.company_id.currency_id
        material = currency.round(
            sum(qty * unit_costs[product.id] for product, qty in components)
        )
        labour = currency.round(self._estimate_labour(structures))
        rate = (
            self.bom_id.overhead_rate
            or self.job_order_id.company_id.job_order_overhead_rate
        )
        overhead = currency.round(material * rate / 100.0)
        return {
            "cost_material_estimated": material,
            "cost_labour_estimated": labour,
            "cost_overhead_estimated": overhead,
            "cost_estimated": material + labour + overhead,
            "cost_overhead_rate": rate,
        }

    def _estimate_labour(self, structures=None):
        self.ensure_one()
        return costing.estimate_labour(self, structures)

    # -- actual cost ------------------------------------------------------------
    # What the actual cost depends on beyond the line's own fields is
    # recomputed explicitly (_recompute_actual_costs), not declared with
    # api.depends: the ORM would search for every such path of every record
    # created or written, whatever the value (a good part of the queries of
    # a large generation or backflush). The triggers:
    # - the line's shares of component moves (mrp.job.order.consumption),
    #   created by backflushes and reversals (_move_components), and their
    #   values when the moves are revalued later: stock.move.write;
    # - labour recorded on the job order without a line, shared by estimated
    #   labour: mrp.job.order.labour create/write/unlink, and the estimates
    #   (_write_cost_estimates) and lines (unlink) of the job order.
    @api.depends("labour_ids.cost", "cost_overhead_rate")
    def _compute_cost_actual(self):
        material = costing.actual_material(self)
        labour = costing.actual_labour(self)
        for line in self:
            currency = line.currency_id
            line.cost_material_actual = currency.round(material.get(line.id, 0.0))
            line.cost_labour_actual = currency.round(labour.get(line.id, 0.0))
            line.cost_overhead_actual = currency.round(
                line.cost_material_actual * line.cost_overhead_rate / 100.0
            )
            line.cost_actual = (
                line.cost_material_actual
                + line.cost_labour_actual
                + line.cost_overhead_actual
            )

    def _recompute_actual_costs(self):
        """What a change of a dependency does: mark the actual costs of the
        lines to compute, and what depends on them (variances, job order
        totals), then compute the lines' now."""
        lines = self.exists()
        if not lines:
            return
        for name in ACTUAL_FIELDS:
            self.env.add_to_compute(self._fields[name], lines)
        lines.modified(ACTUAL_FIELDS)
        lines._recompute_recordset(ACTUAL_FIELDS)

    def _labour_to_absorb(self, qty):
        """Recorded labour a receipt of ``qty`` (line UoM) carries into the
        finished goods (see services.costing.labour_to_absorb)."""
        self.ensure_one()
        return costing.labour_to_absorb(self, qty)
