"""Coverage of demand: every demand line (confirmed sales order lines of
products made here, forecasts, and the low stock and warehouse needs that
generation planned) with what is planned, transferred, produced and
delivered for it.

A read-only SQL view (``_table_query``: computed when read, nothing to
refresh, no table to migrate): one query reads thousands of lines, and
the list, pivot and graph group and filter it in the database. Quantities
are in the product's unit. The pegging (mrp.job.order.demand) is the truth
of what is planned; a job order line's transferred and produced quantities
are shared among the demand it covers in pegging proportion.

Low stock and warehouse needs are projections of stock, not documents:
they become demand when generation finds them, so this list shows the part
planned for them; what is short now is what the generation wizard's preview
proposes (sources "Low Stock" and "Warehouse Needs")."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .mrp_job_order import PRIORITIES
from .mrp_job_order_demand import SOURCES

COVERAGE_STATES = [
    ("uncovered", "Not Planned"),
    ("partial", "Partially Planned"),
    ("planned", "Planned"),
    ("in_progress", "In Production"),
    ("done", "Done"),
]
# ids of the view: the source's record id times 4 plus the source's rank
SOURCE_RANK = {"sale": 0, "forecast": 1, "min_stock": 2, "warehouse": 3}

# (PostgreSQL's LEAST and GREATEST ignore NULLs: every quantity is COALESCEd)
# what is pegged, with each pegging's share of its line's transferred and
# produced quantities (not cancelled job orders)
_PEGGING = """
    SELECT d.source, d.sale_line_id, d.estimate_id, d.orderpoint_id, d.warehouse_id,
           d.product_id, d.date, d.id, d.company_id,
           d.product_qty AS planned,
           CASE WHEN l.product_qty > 0
                THEN d.product_qty
                     * LEAST(COALESCE(l.qty_transferred, 0.0) / l.product_qty, 1.0)
                ELSE 0.0 END AS transferred,
           CASE WHEN l.product_qty > 0
                THEN d.product_qty
                     * LEAST(COALESCE(l.qty_produced, 0.0) / l.product_qty, 1.0)
                ELSE 0.0 END AS produced
      FROM mrp_job_order_demand d
      JOIN mrp_job_order_line l ON l.id = d.line_id
     WHERE d.state != 'cancel'
"""

_SUMS = """SUM(planned) AS planned, SUM(transferred) AS transferred,
           SUM(produced) AS produced, MIN(date) AS date"""

_SALE = """
    SELECT sol.id * 4 AS id, 'sale' AS source, so.name AS reference,
           so.id AS sale_order_id, sol.id AS sale_line_id,
           NULL::integer AS estimate_id, NULL::integer AS orderpoint_id,
           so.partner_id AS partner_id, sol.product_id AS product_id,
           so.warehouse_id AS warehouse_id, so.company_id AS company_id,
           so.job_order_priority AS priority,
           (so.date_order + sol.customer_lead * interval '1 day')::date AS date,
           COALESCE(sol.product_uom_qty, 0.0) * lu.factor / pu.factor AS qty_ordered,
           COALESCE(p.planned, 0.0) AS qty_planned,
           COALESCE(p.transferred, 0.0) AS qty_transferred,
           COALESCE(p.produced, 0.0) AS qty_produced,
           COALESCE(sol.qty_delivered, 0.0) * lu.factor / pu.factor AS qty_delivered
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN uom_uom lu ON lu.id = sol.product_uom_id
      JOIN uom_uom pu ON pu.id = pt.uom_id
      LEFT JOIN (SELECT sale_line_id, %(sums)s FROM pegging
                  WHERE sale_line_id IS NOT NULL GROUP BY sale_line_id) p
             ON p.sale_line_id = sol.id
     WHERE so.state = 'sale' AND sol.display_type IS NULL AND pt.type = 'consu'
       AND (p.sale_line_id IS NOT NULL
            OR (pt.job_order_produced AND EXISTS (
                SELECT 1 FROM mrp_bom b
                 WHERE b.product_tmpl_id = pt.id AND b.active AND b.type = 'normal'
                   AND (b.product_id IS NULL OR b.product_id = pp.id))))
"""

_FORECAST = """
    SELECT e.id * 4 + 1, 'forecast', e.date_from::text || ' / ' || e.date_to::text,
           NULL, NULL, e.id, NULL, NULL, e.product_id, loc.warehouse_id, e.company_id,
           '0', e.date_from, e.product_qty,
           COALESCE(p.planned, 0.0), COALESCE(p.transferred, 0.0),
           COALESCE(p.produced, 0.0),
           0.0
      FROM stock_demand_estimate e
      JOIN stock_location loc ON loc.id = e.location_id
      LEFT JOIN (SELECT estimate_id, %(sums)s FROM pegging
                  WHERE estimate_id IS NOT NULL GROUP BY estimate_id) p
             ON p.estimate_id = e.id
     WHERE e.active AND e.product_qty > 0
"""

_MIN_STOCK = """
    SELECT op.id * 4 + 2, 'min_stock', op.name, NULL, NULL, NULL, op.id, NULL,
           op.product_id, op.warehouse_id, op.company_id, '0', p.date::date, p.planned,
           p.planned, p.transferred, p.produced, 0.0
      FROM stock_warehouse_orderpoint op
      JOIN (SELECT orderpoint_id, %(sums)s FROM pegging
             WHERE source = 'min_stock' AND orderpoint_id IS NOT NULL
             GROUP BY orderpoint_id) p ON p.orderpoint_id = op.id
"""

_WAREHOUSE = """
    SELECT p.first_id * 4 + 3, 'warehouse', wh.name, NULL, NULL, NULL, NULL, NULL,
           p.product_id, p.warehouse_id, p.company_id, '0', p.date::date, p.planned,
           p.planned, p.transferred, p.produced, 0.0
      FROM (SELECT warehouse_id, product_id, company_id, MIN(id) AS first_id, %(sums)s
              FROM pegging WHERE source = 'warehouse' AND warehouse_id IS NOT NULL
             GROUP BY warehouse_id, product_id, company_id) p
      JOIN stock_warehouse wh ON wh.id = p.warehouse_id
"""

# the derived columns, once for every source
_OUTER = """
    SELECT demand.*, %(uncovered)s AS qty_uncovered,
           LEAST(100.0, 100.0 * GREATEST(qty_produced, qty_delivered)
                 / NULLIF(qty_ordered, 0.0)) AS progress,
           CASE WHEN GREATEST(qty_produced, qty_delivered) >= qty_ordered - 0.000001
                     THEN 'done'
                WHEN %(uncovered)s > 0.000001 AND qty_planned <= 0.000001
                     THEN 'uncovered'
                WHEN %(uncovered)s > 0.000001 THEN 'partial'
                WHEN qty_transferred > 0 OR qty_produced > 0 THEN 'in_progress'
                ELSE 'planned' END AS coverage_state,
           (date < CURRENT_DATE
            AND GREATEST(qty_produced, qty_delivered)
                < qty_ordered - 0.000001) AS is_late
      FROM (%(union)s) demand
"""
_UNCOVERED = "GREATEST(qty_ordered - qty_delivered - qty_planned, 0.0)"


class MrpJobOrderCoverage(models.Model):
    _name = "mrp.job.order.coverage"
    _description = "Job Order Coverage of Demand"
    _auto = False
    _order = "date, id"
    _rec_name = "reference"
    # what the query reads: written before the view is read (the ORM
    # flushes these fields first)
    _depends = {
        "mrp.job.order.demand": [
            "source",
            "sale_line_id",
            "estimate_id",
            "orderpoint_id",
            "warehouse_id",
            "product_id",
            "date",
            "company_id",
            "product_qty",
            "state",
            "line_id",
        ],
        "mrp.job.order.line": ["product_qty", "qty_transferred", "qty_produced"],
        "sale.order.line": [
            "order_id",
            "product_id",
            "product_uom_id",
            "product_uom_qty",
            "qty_delivered",
            "customer_lead",
            "display_type",
        ],
        "sale.order": [
            "name",
            "partner_id",
            "warehouse_id",
            "company_id",
            "job_order_priority",
            "date_order",
            "state",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["type", "uom_id", "job_order_produced"],
        "uom.uom": ["factor"],
        "mrp.bom": ["product_tmpl_id", "product_id", "active", "type"],
        "stock.demand.estimate": [
            "date_from",
            "date_to",
            "product_id",
            "location_id",
            "company_id",
            "product_qty",
            "active",
        ],
        "stock.location": ["warehouse_id"],
        "stock.warehouse.orderpoint": [
            "name",
            "product_id",
            "warehouse_id",
            "company_id",
        ],
        "stock.warehouse": ["name"],
    }

    source = fields.Selection(SOURCES, readonly=True)
    reference = fields.Char("Document", readonly=True)
    sale_order_id = fields.Many2one("sale.order", "Sales Order", readonly=True)
    sale_line_id = fields.Many2one("sale.order.line", "Sales Order Line", readonly=True)
    estimate_id = fields.Many2one("stock.demand.estimate", "Forecast", readonly=True)
    orderpoint_id = fields.Many2one(
        "stock.warehouse.orderpoint", "Reordering Rule", readonly=True
    )
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    date = fields.Date("Due", readonly=True, help="When the demand must be served.")
    qty_ordered = fields.Float(
        "Ordered",
        digits="Product Unit",
        readonly=True,
        help="What the demand asks (forecast quantity, sales order "
        "quantity, or what generation found short).",
    )
    qty_planned = fields.Float(
        "Planned",
        digits="Product Unit",
        readonly=True,
        help="Pegged on job orders not cancelled.",
    )
    qty_transferred = fields.Float(
        "Transferred",
        digits="Product Unit",
        readonly=True,
        help="Planned quantity whose components were issued.",
    )
    qty_produced = fields.Float("Produced", digits="Product Unit", readonly=True)
    qty_delivered = fields.Float("Delivered", digits="Product Unit", readonly=True)
    qty_uncovered = fields.Float(
        "To Plan",
        digits="Product Unit",
        readonly=True,
        help="Neither delivered nor planned.",
    )
    progress = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Produced (or delivered) over ordered, in percent.",
    )
    coverage_state = fields.Selection(COVERAGE_STATES, "Coverage", readonly=True)
    is_late = fields.Boolean(
        "Late",
        readonly=True,
        help="Due date passed, not produced or delivered in full.",
    )
    job_order_ids = fields.Many2many(
        "mrp.job.order", compute="_compute_job_orders", string="Job Orders"
    )

    @property
    def _table_query(self):
        union = " UNION ALL ".join(
            part % {"sums": _SUMS}
            for part in (_SALE, _FORECAST, _MIN_STOCK, _WAREHOUSE)
        )
        return "WITH pegging AS (%s) %s" % (
            _PEGGING,
            _OUTER % {"uncovered": _UNCOVERED, "union": union},
        )

    def _pegging_domain(self):
        """The pegging of this demand line."""
        self.ensure_one()
        if self.source == "sale":
            return [("sale_line_id", "=", self.sale_line_id.id)]
        if self.source == "forecast":
            return [("estimate_id", "=", self.estimate_id.id)]
        if self.source == "min_stock":
            return [
                ("source", "=", "min_stock"),
                ("orderpoint_id", "=", self.orderpoint_id.id),
            ]
        return [
            ("source", "=", "warehouse"),
            ("warehouse_id", "=", self.warehouse_id.id),
            ("product_id", "=", self.product_id.id),
        ]

    @api.depends("source")
    def _compute_job_orders(self):
        Demand = self.env["mrp.job.order.demand"]
        for record in self:
            record.job_order_ids = Demand.search(
                record._pegging_domain() + [("state", "!=", "cancel")]
            ).job_order_id

    # -- plan the selected lines -------------------------------------------------
    def action_plan(self):
        """The generation wizard on the selected demand lines not planned in
        full, previewed with those lines ticked: the planner reviews and
        generates."""
        return self._action_plan()._reopen()

    def _action_plan(self):
        """The previewed generation wizard for these lines."""
        to_plan = self.filtered(lambda r: r.qty_uncovered > 0)
        if not to_plan:
            raise UserError(
                self.env._(
                    "Nothing to plan: the selected demand is planned or delivered in "
                    "full."
                )
            )
        if len(to_plan.company_id) > 1:
            raise UserError(self.env._("Select demand of one company at a time."))
        sources = set(to_plan.mapped("source"))
        sale_lines = to_plan.sale_line_id
        if sale_lines:
            sale_lines.order_id._check_plannable()
        wizard = self.env["mrp.job.order.generate"].create(
            to_plan._prepare_plan_values(sources, sale_lines)
        )
        wizard._action_preview()
        wanted = {record._demand_key() for record in to_plan}
        others = wizard.line_ids.filtered(
            lambda line: wizard._parse_key(line.demand_key) not in wanted
        )
        if others:
            # demand the filters could not leave out (e.g. another forecast of
            # the same product): unticked, and the preview made again without it
            others.selected = False
            wizard._action_preview()
        return wizard

    def _prepare_plan_values(self, sources, sale_lines):
        return {
            "company_id": self.company_id.id,
            "use_sale": "sale" in sources,
            "use_forecast": "forecast" in sources,
            "use_min_stock": "min_stock" in sources,
            "use_warehouse": "warehouse" in sources,
            "sale_order_ids": [fields.Command.set(sale_lines.order_id.ids)],
            "sale_line_ids": [fields.Command.set(sale_lines.ids)],
            "product_ids": [fields.Command.set(self.product_id.ids)],
            "warehouse_ids": [fields.Command.set(self.warehouse_id.ids)],
            # the selected demand whatever its date: no horizon
            "date_from": False,
            "date_to": False,
        }

    def _demand_key(self):
        """The key generation gives this demand (see mrp.job.order.demand.source)."""
        self.ensure_one()
        record = {
            "sale": self.sale_line_id,
            "forecast": self.estimate_id,
            "min_stock": self.orderpoint_id,
        }.get(self.source)
        if record is not None:
            return (self.source, record.id)
        return (self.source, "%s-%s" % (self.warehouse_id.id, self.product_id.id))
