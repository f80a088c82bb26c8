"""plan(): demand in, job order proposals out.

Steps, in this order (each one only sees what the previous ones left):
 1. skips decided without computation (caller's reason, unticked, service,
    no BOM);
 2. forecasts reduced by the sales of their period;
 3. netting against stock + open supply, most urgent demand first;
 4. rounding of what is left up to the product's UoM rounding;
 5. grouping into mono / multi proposals;
 6. optionally, job orders of their own for short sub-assemblies.
"""

import contextlib
import gc

from .bom import BomCache, get_bom, get_product
from .grouping import ProposalBuilder
from .keys import stable_key
from .model import Params, PlanningError, Result, Skipped
from .netting import consume_forecasts, net_against_stock
from .subassembly import plan_subassemblies
from .uom import ceil_steps, check_rounding

SOURCES = ("sale", "forecast", "min_stock", "warehouse", "manual")
MODES = ("mono", "multi")
GROUP_BYS = ("partner", "project", "sale_order")

MESSAGES = {
    "not_selected": "Not selected by the planner.",
    "service": "Services are not manufactured.",
    "no_bom": "The product has no usable bill of materials.",
    "consumed_by_sales": (
        "The forecast is already ordered by sales orders of its period."
    ),
    "covered_by_stock": "Available stock and open job orders cover the whole quantity.",
    "zero_qty": "The quantity to produce rounds to zero.",
    "cancelled": "The order line is cancelled.",
    "no_bom_company": "The bill of materials belongs to another company.",
    "already_planned": "The demand is already planned on a job order.",
    "error": "The product could not be planned: see the errors of the run.",
}


def skip_message(reason):
    return MESSAGES.get(reason) or "Skipped: %s." % (reason,)


def _check_params(params):
    if params.mode not in MODES:
        raise PlanningError(
            "Unknown job order mode %r (expected mono or multi)." % (params.mode,)
        )
    if params.mode == "multi" and params.group_by not in GROUP_BYS:
        raise PlanningError(
            "Unknown grouping %r (expected partner, project or "
            "sale_order)." % (params.group_by,)
        )


def _check_demands(demands):
    seen = set()
    for demand in demands:
        if demand.key in seen:
            raise PlanningError("Demand %r is given twice." % (demand.key,))
        seen.add(demand.key)
        if demand.source not in SOURCES:
            raise PlanningError(
                "Demand %r has an unknown source %r." % (demand.key, demand.source)
            )
        if not isinstance(demand.priority, int):
            raise PlanningError(
                "Demand %r has priority %r: an integer 0..3 is "
                "expected (convert Odoo's selection strings)."
                % (demand.key, demand.priority)
            )
        if demand.qty is None or demand.qty < 0:
            raise PlanningError(
                "Demand %r has a negative quantity (%r)." % (demand.key, demand.qty)
            )


def _available(stock, open_supply):
    """stock + open supply per (product, warehouse).  Negative on-hand
    quantities exist in Odoo (quants gone below zero): they reduce what open
    supply brings, but the total never becomes a debt the demand must pay."""
    stock = stock or {}
    open_supply = open_supply or {}
    available = {}
    for source in (stock, open_supply):
        for group in source:
            if group not in available:
                total = float(stock.get(group, 0.0)) + float(
                    open_supply.get(group, 0.0)
                )
                available[group] = total if total > 0 else 0.0
    return available


def _first_skip(demand, products, boms):
    if demand.skip_reason:
        return demand.skip_reason
    if not demand.selected:
        return "not_selected"
    product = get_product(products, demand.product_id)
    if product.kind == "service":
        return "service"
    if get_bom(product, boms) is None:
        return "no_bom"
    return None


@contextlib.contextmanager
def _collector_paused():
    """A plan allocates hundreds of thousands of small tuples while a large
    heap is alive, and the cyclic garbage collector then rescans that heap
    over and over: a third of the run time on 100,000 lines.  Planning
    creates no reference cycles, so collection simply waits for the end.
    Only the call that paused it resumes it, so concurrent plans in other
    threads cannot leave it off."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def plan(
    demands,
    products,
    boms,
    params=None,
    stock=None,
    open_supply=None,
    forecast_consumers=(),
):
    """Plan `demands`; see the module docstring and Result for the output.

    Demands discarded with a skip_reason or unticked are not checked against
    `products`, so the caller may pass them without loading their product.
    """
    with _collector_paused():
        return _plan(
            demands, products, boms, params, stock, open_supply, forecast_consumers
        )


def _plan(demands, products, boms, params, stock, open_supply, forecast_consumers):
    params = params or Params()
    _check_params(params)
    demands = list(demands)
    _check_demands(demands)
    final = [None] * len(demands)  # (reason, qty) of skipped demands
    remaining = [float(demand.qty) for demand in demands]
    roundings = {}
    active = []
    for index, demand in enumerate(demands):
        reason = _first_skip(demand, products, boms)
        if reason:
            final[index] = (reason, remaining[index])
            continue
        active.append(index)
        if demand.product_id not in roundings:
            roundings[demand.product_id] = check_rounding(
                products[demand.product_id].rounding, demand.product_id
            )

    # each active demand's key ranked once, for the forecasts and the order
    sort_keys = [None] * len(demands)
    for index in active:
        sort_keys[index] = stable_key(demands[index].key)
    consumed = consume_forecasts(
        demands, active, remaining, roundings, list(forecast_consumers), sort_keys
    )
    for index in consumed:
        if remaining[index] == 0:
            final[index] = ("consumed_by_sales", consumed[index])

    order = sorted(
        (index for index in active if final[index] is None),
        key=lambda i: (-demands[i].priority, demands[i].date, sort_keys[i]),
    )
    available = {}
    covered = {}
    if params.net_stock:
        available = _available(stock, open_supply)
        covered = net_against_stock(demands, order, remaining, roundings, available)
        for index in covered:
            if remaining[index] == 0:
                final[index] = ("covered_by_stock", covered[index])

    builder = ProposalBuilder(products, roundings)
    for index in order:
        if final[index] is not None:
            continue
        demand = demands[index]
        steps = ceil_steps(
            remaining[index], roundings[demand.product_id], float(demand.qty)
        )
        if steps == 0:
            final[index] = ("zero_qty", remaining[index])
            continue
        builder.add_demand(demand, steps, params)

    if not params.explode_subassemblies and builder.lines:
        cache = BomCache(products, boms)
        _add_roundings(roundings, products, cache, builder)
        plan_subassemblies(builder, cache, available, params.net_stock)

    skipped = [
        Skipped(demands[i].key, final[i][0], final[i][1], skip_message(final[i][0]))
        for i in range(len(demands))
        if final[i] is not None
    ]
    return Result(
        builder.finish(),
        skipped,
        [(demands[i].key, covered[i]) for i in sorted(covered)],
        [(demands[i].key, consumed[i]) for i in sorted(consumed)],
    )


def _add_roundings(roundings, products, cache, builder):
    for product_id in cache.postorder(
        sorted(set(ref[1] for ref in builder.lines), key=stable_key)
    ):
        if product_id not in roundings:
            roundings[product_id] = check_rounding(
                products[product_id].rounding, product_id
            )
