"""Where demand comes from: sales order lines, forecasts, reordering rules and
warehouse needs, read set-wise (a few queries per source, none per line) and
turned into plain dicts the planner hands to the engine."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

# product types generation reads demand for (services are shown, not planned)
DEMAND_PRODUCT_TYPES = ("consu", "service")


def _to_date(value):
    if not value:
        return None
    if isinstance(value, str):
        return fields.Date.to_date(value[:10])
    return value.date() if isinstance(value, datetime) else value


def _end_of(day):
    """The last instant of a day, as the stock quantities' ``to_date`` wants."""
    return day and datetime.combine(_to_date(day), time.max)


class MrpJobOrderDemandSource(models.AbstractModel):
    _name = "mrp.job.order.demand.source"
    _description = "Job Order Demand Sources"

    @api.model
    def _collect(self, params):
        """(demands, already planned): the demand of the sources asked for,
        and how many demand records of them were considered but are already
        fully planned on job orders (not demand any more)."""
        demands = []
        planned = defaultdict(int)
        if params["use_sale"]:
            demands += self._demand_sale(params, planned)
        if params["use_forecast"]:
            demands += self._demand_forecast(params, planned)
        if params["use_min_stock"]:
            demands += self._demand_min_stock(params, demands, planned)
        if params["use_warehouse"]:
            demands += self._demand_warehouse(params, demands, planned)
        demands += self._demand_manual(params)
        return demands, sum(planned.values())

    @api.model
    def _demand_manual(self, params):
        """Quantities typed by the planner (product list, purchase order):
        (product_id, qty in product UoM, date, reference, warehouse_id)."""
        manual = params.get("manual") or ()
        products = self.env["product.product"].browse([entry[0] for entry in manual])
        demands = []
        for index, (
            (_product_id, qty, day, reference, warehouse_id),
            product,
        ) in enumerate(zip(manual, products, strict=True)):
            demands.append(
                self._demand(
                    ("manual", index),
                    "manual",
                    product,
                    qty,
                    _to_date(day),
                    warehouse_id=warehouse_id,
                    reference=reference or "",
                    record_id=None,
                )
            )
        return demands

    # -- common ---------------------------------------------------------------
    @api.model
    def _product_domain(self, params):
        domain = [("type", "in", DEMAND_PRODUCT_TYPES)]
        if params["product_ids"]:
            domain.append(("id", "in", params["product_ids"]))
        if params["categ_ids"]:
            domain.append(("categ_id", "child_of", params["categ_ids"]))
        return domain

    @api.model
    def _warehouses(self, params):
        Warehouse = self.env["stock.warehouse"]
        if params["warehouse_ids"]:
            return Warehouse.browse(params["warehouse_ids"])
        return Warehouse.search([("company_id", "=", params["company_id"])])

    @api.model
    def _pegged(self, field, ids):
        """Quantity already pegged to each source record by job orders that
        are not cancelled (product UoM)."""
        if not ids:
            return {}
        data = (
            self.env["mrp.job.order.demand"]
            .sudo()
            ._read_group(
                [(field, "in", list(ids)), ("state", "!=", "cancel")],
                [field],
                ["product_qty:sum"],
            )
        )
        return {record.id: qty for record, qty in data}

    @api.model
    def _in_horizon(self, day, params):
        date_to = _to_date(params["date_to"])
        return not (date_to and day and day > date_to)

    @staticmethod
    def _demand(key, source, product, qty, day, **values):
        demand = {
            "key": key,
            "source": source,
            "product_id": product.id,
            "qty": qty,
            "date": day,
            "priority": 0,
            "partner_id": None,
            "project_id": None,
            "sale_order_id": None,
            "warehouse_id": None,
            "reference": "",
            "period": None,
            "skip_reason": None,
            "net": True,
            "record_id": key[1] if isinstance(key[1], int) else None,
        }
        demand.update(values)
        return demand

    # -- sales ----------------------------------------------------------------
    @api.model
    def _sale_line_domain(self, params):
        domain = [
            ("order_id.company_id", "=", params["company_id"]),
            ("product_id.type", "in", DEMAND_PRODUCT_TYPES),
            ("display_type", "=", False),
        ]
        explicit = params["sale_line_ids"] or params["sale_order_ids"]
        if params["sale_line_ids"]:
            domain.append(("id", "in", params["sale_line_ids"]))
        if params["sale_order_ids"]:
            domain.append(("order_id", "in", params["sale_order_ids"]))
        if not explicit:
            # picked by hand, cancelled or locked orders are shown with the
            # reason they are not planned; otherwise they are just not demand
            domain += [("order_id.state", "=", "sale"), ("order_id.locked", "=", False)]
        if params["partner_ids"]:
            domain.append(("order_id.partner_id", "child_of", params["partner_ids"]))
        if params["product_ids"]:
            domain.append(("product_id", "in", params["product_ids"]))
        if params["categ_ids"]:
            domain.append(("product_id.categ_id", "child_of", params["categ_ids"]))
        if params["warehouse_ids"]:
            domain.append(("order_id.warehouse_id", "in", params["warehouse_ids"]))
        return domain

    @api.model
    def _sale_projects(self, lines):
        """{sale line id: analytic account id or None}: the project of each
        line. Odoo 19 has no project on the sales order without sale_project;
        what stands for it is the account of the analytic plan "Project" in
        the line's analytic distribution (sale_project puts its project's
        account there too). Several: the one with the largest share."""
        distributions = {line.id: line.analytic_distribution or {} for line in lines}
        account_ids = {
            int(part)
            for distribution in distributions.values()
            for key in distribution
            for part in key.split(",")
            if part.isdigit()
        }
        if not account_ids:
            return {}
        try:
            project_plan, _others = self.env["account.analytic.plan"]._get_all_plans()
        except UserError:
            return {}  # no project plan configured: no project
        projects = {
            account.id
            for account in self.env["account.analytic.account"]
            .sudo()
            .browse(sorted(account_ids))
            if account.exists() and account.root_plan_id == project_plan
        }
        result = {}
        for line_id, distribution in distributions.items():
            shares = defaultdict(float)
            for key, share in distribution.items():
                for part in key.split(","):
                    if part.isdigit() and int(part) in projects:
                        shares[int(part)] += share or 0.0
            if shares:
                result[line_id] = max(
                    sorted(shares), key=lambda account: shares[account]
                )
        return result

    _SALE_LINE_FIELDS = [
        "order_id",
        "product_id",
        "product_uom_id",
        "product_uom_qty",
        "qty_delivered",
        "customer_lead",
        "analytic_distribution",
    ]

    @api.model
    def _demand_sale(self, params, planned):
        # only the fields read below: a line has about a hundred, and a
        # background generation reads a hundred thousand lines
        lines = self.env["sale.order.line"].search_fetch(
            self._sale_line_domain(params),
            self._SALE_LINE_FIELDS,
            order="order_id, sequence, id",
        )
        pegged = self._pegged("sale_line_id", lines.ids)
        demands = []
        # what depends only on the order or the product is read once per
        # order and product (all of them at once), not once per line
        of_order = {}
        for order in lines.order_id:
            if order.state == "cancel":
                skip = "cancelled"
            elif order.state != "sale":
                skip = "not_confirmed"
            elif order.locked:
                skip = "locked"
            else:
                skip = None
            of_order[order.id] = (
                skip,
                order.date_order,
                dict(
                    priority=int(order.job_order_priority or 0),
                    partner_id=order.partner_id.id,
                    sale_order_id=order.id,
                    warehouse_id=order.warehouse_id.id,
                    reference=order.name,
                ),
            )
        of_product = {
            product.id: (
                product,
                product.uom_id,
                product.uom_id.rounding,
                product.job_order_produced,
            )
            for product in lines.product_id
        }
        projects = self._sale_projects(lines)
        for line in lines:
            order_skip, date_order, values = of_order[line.order_id.id]
            product, uom, rounding, produced = of_product[line.product_id.id]
            wanted = line.product_uom_id._compute_quantity(
                line.product_uom_qty - line.qty_delivered, uom, round=False
            )
            qty = float_round(
                wanted - pegged.get(line.id, 0.0), precision_rounding=rounding
            )
            day = _to_date(date_order + timedelta(days=line.customer_lead or 0.0))
            skip = order_skip
            if not skip and not produced:
                skip = "not_produced"
            if not self._in_horizon(day, params):
                continue
            if qty <= 0 and not skip:
                if float_round(wanted, precision_rounding=rounding) > 0:
                    planned["sale"] += 1  # still to deliver, but planned
                continue  # delivered or already planned: nothing new
            demands.append(
                self._demand(
                    ("sale", line.id),
                    "sale",
                    product,
                    max(qty, 0.0),
                    day,
                    skip_reason=skip,
                    project_id=projects.get(line.id),
                    **values,
                )
            )
        return demands

    # -- forecasts ------------------------------------------------------------
    @api.model
    def _demand_forecast(self, params, planned):
        date_from, date_to = _to_date(params["date_from"]), _to_date(params["date_to"])
        domain = [("company_id", "=", params["company_id"]), ("product_qty", ">", 0)]
        if date_to:
            domain.append(("date_from", "<=", date_to))
        if date_from:
            domain.append(("date_to", ">=", date_from))
        if params["product_ids"]:
            domain.append(("product_id", "in", params["product_ids"]))
        if params["categ_ids"]:
            domain.append(("product_id.categ_id", "child_of", params["categ_ids"]))
        estimates = self.env["stock.demand.estimate"].search(domain)
        warehouses = self._warehouses(params)
        pegged = self._pegged("estimate_id", estimates.ids)
        demands = []
        for estimate in estimates:
            warehouse = estimate.location_id.warehouse_id
            if warehouse not in warehouses:
                continue
            start, end = estimate.date_from, estimate.date_to
            part_start = max(start, date_from) if date_from else start
            part_end = min(end, date_to) if date_to else end
            rounding = estimate.product_id.uom_id.rounding
            wanted = estimate.get_quantity_by_date_range(part_start, part_end)
            qty = float_round(
                wanted - pegged.get(estimate.id, 0.0), precision_rounding=rounding
            )
            if qty <= 0:
                if (
                    pegged.get(estimate.id)
                    and float_round(wanted, precision_rounding=rounding) > 0
                ):
                    planned["forecast"] += 1
                continue
            demands.append(
                self._demand(
                    ("forecast", estimate.id),
                    "forecast",
                    estimate.product_id,
                    qty,
                    part_start,
                    warehouse_id=warehouse.id,
                    reference=estimate.display_name,
                    period=(part_start, part_end),
                )
            )
        return demands

    @api.model
    def _forecast_consumers(self, params, demands):
        """Sales quantities that consume forecasts although they are not
        demand of this run: already planned or delivered."""
        forecasts = [d for d in demands if d["source"] == "forecast"]
        if not forecasts:
            return []
        first = min(d["period"][0] for d in forecasts)
        last = max(d["period"][1] for d in forecasts)
        products = list({d["product_id"] for d in forecasts})
        in_run = {d["key"][1]: d["qty"] for d in demands if d["source"] == "sale"}
        lines = self.env["sale.order.line"].search(
            [
                ("product_id", "in", products),
                ("order_id.state", "=", "sale"),
                ("order_id.company_id", "=", params["company_id"]),
                (
                    "order_id.date_order",
                    ">=",
                    datetime.combine(first - timedelta(days=366), time.min),
                ),
            ]
        )
        consumers = []
        for line in lines:
            day = _to_date(
                line.order_id.date_order + timedelta(days=line.customer_lead or 0.0)
            )
            if not (first <= day <= last):
                continue
            qty = line.product_uom_id._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, round=False
            )
            qty -= in_run.get(line.id, 0.0)
            if qty > 0:
                consumers.append(
                    (line.product_id.id, line.order_id.warehouse_id.id, day, qty)
                )
        return consumers

    # -- stock projections (low stock and warehouse needs) ---------------------
    @api.model
    def _open_job_order_qty(self, products, warehouses):
        """Quantity still to produce on open job orders, product UoM."""
        lines = (
            self.env["mrp.job.order.line"]
            .sudo()
            .search(
                [
                    ("product_id", "in", products.ids),
                    ("warehouse_id", "in", warehouses.ids),
                    ("state", "in", ("draft", "confirmed", "in_progress")),
                ]
            )
        )
        result = defaultdict(float)
        for line in lines:
            result[(line.product_id.id, line.warehouse_id.id)] += (
                line.product_uom_id._compute_quantity(
                    line.qty_remaining, line.product_id.uom_id, round=False
                )
            )
        return result

    @api.model
    def _sale_qty_in_run(self, demands):
        """Sales demand of this run: Odoo's projection already subtracts its
        deliveries, and this run plans it, so it must not count twice."""
        result = defaultdict(float)
        for demand in demands:
            if demand["source"] == "sale" and not demand["skip_reason"]:
                result[(demand["product_id"], demand["warehouse_id"])] += demand["qty"]
        return result

    @api.model
    def _projected(self, products, date_to, **where):
        """{product id: projected quantity} at a location or warehouse up to
        the end of the horizon, for all ``products`` at once."""
        context = dict(where)
        if date_to:
            context["to_date"] = _end_of(date_to)
        return {
            product.id: product.virtual_available
            for product in products.with_context(**context)
        }

    @api.model
    def _demand_min_stock(self, params, demands, planned):
        domain = [
            ("company_id", "=", params["company_id"]),
            # the rules Odoo 19 makes by itself for its replenishment
            # report (manual, minimum and maximum 0) ask for nothing
            "|",
            ("trigger", "=", "auto"),
            ("product_max_qty", ">", 0),
        ]
        if params["warehouse_ids"]:
            domain.append(("warehouse_id", "in", params["warehouse_ids"]))
        if params["product_ids"]:
            domain.append(("product_id", "in", params["product_ids"]))
        if params["categ_ids"]:
            domain.append(("product_id.categ_id", "child_of", params["categ_ids"]))
        rules = self.env["stock.warehouse.orderpoint"].search(domain)
        if not rules:
            return []
        open_qty = self._open_job_order_qty(rules.product_id, rules.warehouse_id)
        in_run = self._sale_qty_in_run(demands)
        projected_at = {}
        for location in rules.location_id:
            projected_at[location.id] = self._projected(
                rules.filtered(lambda r, loc=location: r.location_id == loc).product_id,
                params["date_to"],
                location=location.id,
            )
        today = _to_date(fields.Date.context_today(self))
        result = []
        for rule in rules:
            product = rule.product_id
            key = (product.id, rule.warehouse_id.id)
            rounding = product.uom_id.rounding
            stock_projected = (
                projected_at[rule.location_id.id][product.id] + in_run[key]
            )
            projected = stock_projected + open_qty[key]
            if (
                float_round(
                    projected - rule.product_min_qty, precision_rounding=rounding
                )
                >= 0
            ):
                if (
                    float_round(
                        stock_projected - rule.product_min_qty,
                        precision_rounding=rounding,
                    )
                    < 0
                ):
                    planned["min_stock"] += 1  # low, but open job orders refill it
                continue
            # up to the maximum, rounded up to the rule's multiple (Odoo's own rule)
            need = rule._get_multiple_rounded_qty(rule.product_max_qty - projected)
            need = float_round(need, precision_rounding=rounding)
            if need <= 0:
                continue
            result.append(
                self._demand(
                    ("min_stock", rule.id),
                    "min_stock",
                    product,
                    need,
                    today,
                    warehouse_id=rule.warehouse_id.id,
                    reference=rule.name,
                    net=False,
                )
            )
        return result

    @api.model
    def _demand_warehouse(self, params, demands, planned):
        """Per warehouse and product: the projected shortfall within the
        horizon caused by outgoing moves that are not sales deliveries."""
        warehouses = self._warehouses(params)
        Move = self.env["stock.move"]
        domain = [
            ("state", "not in", ("draft", "done", "cancel")),
            ("company_id", "=", params["company_id"]),
            ("location_id.usage", "=", "internal"),
            ("location_id.warehouse_id", "in", warehouses.ids),
            ("sale_line_id", "=", False),
            ("job_order_id", "=", False),
        ]
        if params["date_to"]:
            domain.append(("date", "<=", _end_of(params["date_to"])))
        products = self.env["product.product"].search(self._product_domain(params))
        domain.append(("product_id", "in", products.ids))
        outgoing = defaultdict(float)
        for move in Move.search(domain):
            warehouse = move.location_id.warehouse_id
            if (
                move.location_dest_id.warehouse_id == warehouse
                and move.location_dest_id.usage == "internal"
            ):
                continue  # stays in the warehouse
            outgoing[(move.product_id, warehouse)] += move.product_qty
        if not outgoing:
            return []
        short_products = self.env["product.product"].union(*[p for p, _w in outgoing])
        open_qty = self._open_job_order_qty(short_products, warehouses)
        in_run = self._sale_qty_in_run(demands)
        projected_in = {}
        for warehouse in {w for _p, w in outgoing}:
            projected_in[warehouse.id] = self._projected(
                self.env["product.product"].union(
                    *[p for p, w in outgoing if w == warehouse]
                ),
                params["date_to"],
                warehouse_id=warehouse.id,
            )
        today = _to_date(fields.Date.context_today(self))
        result = []
        for (product, warehouse), qty_out in sorted(
            outgoing.items(), key=lambda i: (i[0][1].id, i[0][0].id)
        ):
            key = (product.id, warehouse.id)
            rounding = product.uom_id.rounding
            stock_projected = projected_in[warehouse.id][product.id] + in_run[key]
            projected = stock_projected + open_qty[key]
            shortfall = float_round(
                min(-projected, qty_out), precision_rounding=rounding
            )
            if shortfall <= 0:
                if (
                    float_round(
                        min(-stock_projected, qty_out), precision_rounding=rounding
                    )
                    > 0
                ):
                    planned["warehouse"] += 1  # short, but open job orders cover it
                continue
            result.append(
                self._demand(
                    ("warehouse", "%s-%s" % (warehouse.id, product.id)),
                    "warehouse",
                    product,
                    shortfall,
                    today,
                    warehouse_id=warehouse.id,
                    reference=warehouse.name,
                    net=False,
                )
            )
        return result
