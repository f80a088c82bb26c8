from odoo import api, fields, models

from .. import planning

# The enumerations of generation, defined once: the job order, its type, the
# company settings, the wizard, profiles, pegging and the run log use these
# lists; their codes are the planning engine's (checked below).
SOURCES = [
    ("sale", "Sales Order"),
    ("forecast", "Forecast"),
    ("min_stock", "Low Stock"),
    ("warehouse", "Warehouse Need"),
    ("subassembly", "Sub-assembly"),
    ("manual", "Manual"),
]
MODES = [("mono", "Mono-product"), ("multi", "Multi-product")]
GROUP_BYS = [
    ("partner", "Customer"),
    ("project", "Project"),
    ("sale_order", "Sales Order"),
]
# Why a demand is not planned: stored as a code, shown (and translated) as
# the label of the selection.
SKIP_REASONS = [
    ("not_selected", "Unticked in the preview."),
    ("service", "A service is not manufactured."),
    ("no_bom", "No bill of materials of this company makes this product."),
    ("no_bom_company", "The bill of materials belongs to another company."),
    ("covered_by_stock", "Served by stock on hand or by job orders already open."),
    (
        "consumed_by_sales",
        "Already ordered by customers (the forecast is consumed by sales orders).",
    ),
    ("zero_qty", "The quantity rounds to zero in the product unit."),
    ("cancelled", "The sales order is cancelled."),
    ("locked", "The sales order is locked."),
    ("not_confirmed", "The sales order is not confirmed."),
    ("not_produced", "The product is not produced via job orders (see its settings)."),
    ("already_planned", "The demand is already planned on a job order."),
    ("error", "The product could not be planned (see the errors of the run)."),
]

assert {code for code, _label in SOURCES} == set(planning.engine.SOURCES) | {
    "subassembly"
}
assert tuple(code for code, _label in MODES) == planning.engine.MODES
assert tuple(code for code, _label in GROUP_BYS) == planning.engine.GROUP_BYS
assert set(planning.MESSAGES) <= {code for code, _label in SKIP_REASONS}


class MrpJobOrderDemand(models.Model):
    """Pegging: which demand a job order line covers, and how much of it.

    The truth of what is planned: generation subtracts what is pegged here
    from every source before planning again."""

    _name = "mrp.job.order.demand"
    _description = "Job Order Demand (Pegging)"
    _order = "date, id"

    line_id = fields.Many2one(
        "mrp.job.order.line",
        required=True,
        ondelete="cascade",
        index=True,
        string="Job Order Line",
    )
    # the line's job order, set from the line (see _with_job_order); not a
    # related field through the line: that would search the pegging of every
    # job order line created, twice
    job_order_id = fields.Many2one(
        "mrp.job.order",
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="job_order_id.company_id", store=True)
    state = fields.Selection(related="job_order_id.state", store=True)
    source = fields.Selection(SOURCES, required=True, index=True)
    sale_line_id = fields.Many2one(
        "sale.order.line",
        index="btree_not_null",
        ondelete="restrict",
        string="Sales Order Line",
    )
    sale_order_id = fields.Many2one(
        related="sale_line_id.order_id", store=True, string="Sales Order"
    )
    estimate_id = fields.Many2one(
        "stock.demand.estimate",
        index="btree_not_null",
        ondelete="set null",
        string="Forecast",
    )
    orderpoint_id = fields.Many2one(
        "stock.warehouse.orderpoint",
        index="btree_not_null",
        ondelete="set null",
        string="Reordering Rule",
    )
    parent_line_id = fields.Many2one(
        "mrp.job.order.line",
        index="btree_not_null",
        ondelete="set null",
        help="For a sub-assembly: the job order line it goes into.",
    )
    warehouse_id = fields.Many2one("stock.warehouse", index=True)
    product_id = fields.Many2one("product.product", required=True, index=True)
    product_qty = fields.Float(
        "Quantity",
        digits="Product Unit",
        required=True,
        help="In the unit of the product.",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id")
    date = fields.Datetime(help="When the demand must be served.")
    partner_id = fields.Many2one("res.partner", string="Customer")
    excess_qty = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="Planned beyond what the demand still asks (e.g. the sales order line was "
        "decreased after planning).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # a line created with its pegging passes its job order along
        # (mrp.job.order.line.create): no need to read the line back
        lines = self.env["mrp.job.order.line"].browse(
            {
                vals["line_id"]
                for vals in vals_list
                if vals.get("line_id") and not vals.get("job_order_id")
            }
        )
        job_order_of = {line.id: line.job_order_id.id for line in lines}
        vals_list = [
            vals
            if vals.get("job_order_id") or not vals.get("line_id")
            else dict(vals, job_order_id=job_order_of[vals["line_id"]])
            for vals in vals_list
        ]
        return super().create(vals_list)

    def write(self, vals):
        return super().write(self._with_job_order(vals))

    @api.model
    def _with_job_order(self, vals):
        if vals.get("line_id"):
            line = self.env["mrp.job.order.line"].browse(vals["line_id"])
            vals = dict(vals, job_order_id=line.job_order_id.id)
        return vals

    @api.depends("source", "sale_line_id", "estimate_id", "orderpoint_id", "line_id")
    def _compute_display_name(self):
        labels = dict(self._fields["source"]._description_selection(self.env))
        for record in self:
            record.display_name = "%s: %s" % (
                labels.get(record.source, ""),
                record.sale_line_id.order_id.name
                or record.estimate_id.display_name
                or record.orderpoint_id.name
                or record.line_id.job_order_id.name
                or "",
            )
