"""What each contender does, inside an Odoo environment (see run.py).

Every contender runs on its own copy of the template database, in a process
of its own, as the superuser.  ``Meter`` times a phase, counts the queries of
the cursor and records the peak resident memory of the process.
"""

import collections
import cProfile
import os
import pstats
import re
import resource
import sys
import time

from console import report_logger  # bench/console.py (bench/ is on sys.path)

# the query counts of a profiled phase, on stdout beside pstats' output
PROFILE_REPORT = report_logger("bench.profile")
CONTEXT = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# the add-on as this checkout and as Odoo imports it (a link to it)
ADDON = tuple(
    os.path.join(path, "")
    for path in (
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        os.environ.get("ADDON_DIR", "/nonexistent"),
    )
)
NUMBERS = re.compile(r"\b\d+\b|'[^']*'")


class QueryCounter:
    """Queries counted statement by statement while profiling (bench only):
    Odoo's cursor ``execute`` wrapped for the duration of one phase, each
    query filed under its statement (numbers and strings blanked), the
    add-on's function that led to it, and the nearest function of an Odoo
    add-on (stock, mrp...) or ORM method below it."""

    def __init__(self):
        self.by_site = collections.Counter()
        self.by_statement = collections.Counter()
        self.time_by_site = collections.Counter()

    def __enter__(self):
        from odoo import sql_db

        self.cursor_class = sql_db.Cursor
        self.original = original = sql_db.Cursor.execute
        counter = self

        def execute(cursor, query, params=None, log_exceptions=True):
            began = time.perf_counter()
            try:
                return original(cursor, query, params, log_exceptions)
            finally:
                counter.record(query, time.perf_counter() - began)

        sql_db.Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        self.cursor_class.execute = self.original

    def record(self, query, elapsed):
        text = getattr(query, "code", None) or str(query)
        statement = NUMBERS.sub("?", " ".join(text.split()))[:110]
        ours, odoo = "-", "-"
        frame = sys._getframe(2)
        while frame:
            path = frame.f_code.co_filename
            root = next((r for r in ADDON if path.startswith(r)), None)
            if root:
                if "/bench/" not in path:
                    ours = "%s:%s" % (path[len(root) :], frame.f_code.co_name)
                break
            if odoo == "-" and "/addons/" in path:
                odoo = "%s:%s" % ("/".join(path.split("/")[-3:]), frame.f_code.co_name)
            frame = frame.f_back
        self.by_site[(ours, odoo)] += 1
        self.time_by_site[(ours, odoo)] += elapsed
        self.by_statement[statement] += 1

    def report(self, top=30):
        lines = ["queries by site (add-on function <- nearest Odoo add-on function):"]
        for (ours, odoo), count in self.by_site.most_common(top):
            lines.append(
                "%7d %7.2f s  %s  <-  %s"
                % (count, self.time_by_site[(ours, odoo)], ours, odoo)
            )
        lines.append("queries by statement:")
        for statement, count in self.by_statement.most_common(top):
            lines.append("%7d  %s" % (count, statement))
        return "\n".join(lines)


class Meter:
    def __init__(self, env, profile=None):
        self.env = env
        self.phases = []
        self.profile = profile

    def run(self, label, function, units, commit=True):
        """Time ``function()`` (and the commit), count its queries; ``units``
        is how many demand lines (or lines) it served, or a callable that
        tells from the function's result."""
        cr = self.env.cr
        profiler = cProfile.Profile() if self.profile else None
        counter = QueryCounter() if self.profile else None
        queries = cr.sql_log_count
        if counter:
            counter.__enter__()
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        try:
            result = function()
            if commit:
                # the phase's work made durable inside its timing, as a
                # user's request would be (bench only)
                cr.commit()  # pylint: disable=invalid-commit
        finally:
            if profiler:
                profiler.disable()
            if counter:
                counter.__exit__()
        elapsed = time.perf_counter() - began
        count = units(result) if callable(units) else units
        phase = {
            "label": label,
            "seconds": elapsed,
            "queries": cr.sql_log_count - queries,
            "units": count,
            "peak_mb": peak_mb(),
        }
        self.phases.append(phase)
        if profiler:
            path = "%s-%s.prof" % (self.profile, label.replace(" ", "_"))
            profiler.dump_stats(path)
            stats = pstats.Stats(path)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
            with open(path[: -len(".prof")] + "-queries.txt", "w") as handle:
                handle.write(counter.report() + "\n")
            PROFILE_REPORT.info(counter.report())
        return result


# -- helpers ------------------------------------------------------------------
def first_orders(env, lines):
    """Sales orders of the generated data, by id, until ``lines`` lines."""
    orders = env["sale.order"].search(
        [("partner_id.name", "like", "Bench Customer")], order="id"
    )
    chosen, total = [], 0
    for order in orders:
        if total >= lines:
            break
        chosen.append(order.id)
        total += len(order.order_line)
    return env["sale.order"].browse(chosen), total


def bench_products(env, prefix):
    return env["product.product"].search(
        [("default_code", "=like", prefix + "%")], order="id"
    )


# -- this add-on ----------------------------------------------------------------
def generation(env, meter, lines, mode, transfer=False, total=None):
    env = env(context=dict(env.context, **CONTEXT))
    orders, count = first_orders(env, lines)
    # always restricted to the generated orders (the demo data has a few
    # confirmed orders of its own), which is also how N < L is chosen
    params = {
        "use_sale": True,
        "mode": mode,
        "group_by": "partner",
        "sale_order_ids": [(6, 0, orders.ids)],
    }

    def generate():
        wizard = env["mrp.job.order.generate"].create(params)
        # in this request (action_generate queues more demand than the
        # company's threshold: bench/background.py measures that path)
        wizard._action_generate()
        return wizard.run_id

    run = meter.run("generate %s" % mode, generate, lambda r: r.demand_count)
    result = {
        "demand": run.demand_count,
        "planned": run.planned_count,
        "job_orders": len(run.created_ids),
        "job_order_lines": len(run.created_ids.mapped("line_ids")),
    }
    if transfer:
        job_orders = run.created_ids

        def transfer_all():
            job_orders.action_confirm()
            job_orders.action_transfer()
            return job_orders

        meter.run("confirm + transfer", transfer_all, run.demand_count)
        result["moves"] = env["stock.move"].search_count(
            [("job_order_id", "in", job_orders.ids)]
        )
    return result


def multi_flow(env, meter, lines=100, qty=5.0):
    """A multi job order of ``lines`` products: transfer, then backflush of all."""
    env = env(context=dict(env.context, **CONTEXT))
    products = bench_products(env, "BF")[:lines]
    order = env["mrp.job.order"].create(
        {
            "mode": "multi",
            "partner_id": env["res.partner"]
            .search([("name", "like", "Bench Customer")], limit=1)
            .id,
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": p.id,
                        "product_qty": qty,
                        "product_uom_id": p.uom_id.id,
                    },
                )
                for p in products
            ],
        }
    )
    order.action_confirm()
    env.cr.commit()

    def transfer():
        return order.action_transfer()

    def backflush():
        wizard = (
            env["mrp.job.order.backflush"]
            .with_context(default_job_order_id=order.id)
            .create({})
        )
        wizard.action_validate()
        return order

    meter.run("transfer", transfer, len(products))
    meter.run("backflush", backflush, len(products))
    assert order.state == "done", order.state
    return {
        "lines": len(products),
        "state": order.state,
        "moves": env["stock.move"].search_count([("job_order_id", "=", order.id)]),
    }


# -- Odoo's own manufacturing orders -------------------------------------------
def mrp_productions(env, meter, lines=100, qty=5.0):
    """The same products and quantities through manufacturing orders:
    reserve, produce, mark done."""
    env = env(context=dict(env.context, **CONTEXT))
    products = bench_products(env, "BF")[:lines]
    Production = env["mrp.production"]
    boms = env["mrp.bom"]._bom_find(products)
    # created and confirmed before the measure, as Odoo 11 created them
    # confirmed (its components' moves made)
    productions = Production.create(
        [
            {
                "product_id": product.id,
                "product_qty": qty,
                "product_uom_id": product.uom_id.id,
                "bom_id": boms[product].id,
            }
            for product in products
        ]
    )
    productions.action_confirm()
    env.cr.commit()

    def produce():
        productions.action_assign()
        for production in productions:
            # Odoo 19 sets the quantities itself for an untracked product
            # (what the 11.0 produce wizard did), no consumption warning
            result = production.with_context(skip_redirection=True).button_mark_done()
            assert result is True, result
        return productions

    meter.run("produce and mark done", produce, len(products))
    states = set(productions.mapped("state"))
    assert states == {"done"}, states
    return {
        "lines": len(products),
        "moves": len(productions.move_raw_ids) + len(productions.move_finished_ids),
    }


def odoo_mto(env, meter, lines=200):
    """Odoo's own path: products on Make To Order + Manufacture, the sample
    orders confirmed again; procurement creates the manufacturing orders."""
    env = env(context=dict(env.context, **CONTEXT))
    mto = env.ref("stock.route_warehouse0_mto")
    mto.active = True
    manufacture = env.ref("mrp.route_warehouse0_manufacture")
    made = bench_products(env, "BF") | bench_products(env, "BS")
    made.mapped("product_tmpl_id").write(
        {"route_ids": [(6, 0, [mto.id, manufacture.id])]}
    )
    orders, count = first_orders(env, lines)
    orders.action_cancel()
    orders.action_draft()
    productions_before = env["mrp.production"].search([]).ids
    env.cr.commit()

    def confirm():
        # one by one, as a salesperson confirms them (and as in the 11.0 bench)
        for order in orders:
            order.action_confirm()
        return orders

    meter.run("confirm (MTO + manufacture)", confirm, count)
    productions = env["mrp.production"].search([("id", "not in", productions_before)])
    return {
        "demand": count,
        "manufacturing_orders": len(productions),
        "moves": len(productions.mapped("move_raw_ids")),
    }


# -- OCA mrp_multi_level --------------------------------------------------------
def oca_setup(env):
    """Every product of the data in the warehouse's MRP area (mrp_multi_level
    19.0 has no forecasts of its own: the demand is the sales orders'
    deliveries)."""
    env = env(context=dict(env.context, **CONTEXT))
    area = env.ref("mrp_multi_level.mrp_area_stock_wh0")
    products = (
        bench_products(env, "BF")
        | bench_products(env, "BS")
        | bench_products(env, "BR")
    )
    existing = (
        env["product.mrp.area"]
        .search([("mrp_area_id", "=", area.id)])
        .mapped("product_id")
    )
    env["product.mrp.area"].create(
        [
            {"mrp_area_id": area.id, "product_id": product.id}
            for product in products - existing
        ]
    )
    env.cr.commit()
    return area


def oca_multi_level(env, meter, lines):
    env = env(context=dict(env.context, **CONTEXT))
    area = oca_setup(env)
    demand = env["stock.move"].search_count(
        [("sale_line_id", "!=", False), ("state", "not in", ("done", "cancel"))]
    )

    def run():
        wizard = env["mrp.multi.level"].create({"mrp_area_ids": [(6, 0, area.ids)]})
        wizard.run_mrp_multi_level()
        return wizard

    meter.run("run_mrp_multi_level", run, demand)
    return {
        "demand": demand,
        "planned_orders": env["mrp.planned.order"].search_count([]),
        "mrp_moves": env["mrp.move"].search_count([]),
    }


# -- Odoo's Replenishment report ------------------------------------------------
def odoo_replenishment(env, meter):
    """Odoo's other path for the same shortfall: the Replenishment report
    (Inventory > Operations > Replenishment) computes a manual reordering
    rule for every product whose forecast goes negative, then "Order" on
    all of them; made products on the Manufacture route, so ordering makes
    manufacturing orders. The demand is every open sales line of the data
    (the report always looks at all of it)."""
    env = env(context=dict(env.context, **CONTEXT))
    manufacture = env.ref("mrp.route_warehouse0_manufacture")
    made = bench_products(env, "BF") | bench_products(env, "BS")
    made.mapped("product_tmpl_id").write({"route_ids": [(6, 0, [manufacture.id])]})
    demand = env["stock.move"].search_count(
        [("sale_line_id", "!=", False), ("state", "not in", ("done", "cancel"))]
    )
    Orderpoint = env["stock.warehouse.orderpoint"]
    productions_before = env["mrp.production"].search([]).ids
    env.cr.commit()

    def report():
        Orderpoint.action_open_orderpoints()
        return Orderpoint.search(
            [("product_id", "in", made.ids), ("qty_to_order", ">", 0)]
        )

    orderpoints = meter.run("replenishment report", report, demand)

    def order():
        orderpoints.action_replenish()
        return orderpoints

    meter.run("order (action_replenish)", order, demand)
    productions = env["mrp.production"].search([("id", "not in", productions_before)])
    return {
        "demand": demand,
        "orderpoints": len(orderpoints),
        "manufacturing_orders": len(productions),
        "qty": sum(productions.mapped("product_qty")),
    }
