"""Forecast consumption and stock netting.

Both hand a limited quantity (sales already ordered, stock on hand) to the
demands that may use it, in a fixed order, so the outcome never depends on
the order the caller listed things in.  A leftover that is only float noise
is treated as nothing on both sides: a forecast 'almost' consumed is
consumed, a demand 'almost' covered is covered.
"""

import bisect
import operator

from .keys import stable_key
from .model import PlanningError
from .uom import is_noise

# sales by (date, 0 for a demand / 1 for a consumer, key); forecasts by
# (period start, key)
_SALE_ORDER = operator.itemgetter(0, 1, 2)
_FORECAST_ORDER = operator.itemgetter(0, 1)


def take(wanted, offered, rounding):
    """(taken, offered left) when offered is handed to something wanting
    `wanted`; noise-level remainders collapse to exact completion."""
    if is_noise(wanted - offered, rounding, max(wanted, offered)):
        left = offered - wanted
        if is_noise(left, rounding, offered):
            left = 0.0
        return wanted, left
    return offered, 0.0


def consume_forecasts(demands, active, remaining, roundings, consumers, sort_keys=None):
    """Reduce the active forecasts by the sales of their period.

    Sales that consume: every 'sale' demand the caller did not discard with a
    skip_reason (one the planner merely unticked is still ordered), plus
    `consumers` = (product_id, warehouse_id, date, qty) for sales outside
    `demands`.  Forecasts take, in (period start, key) order, what is left of
    the sales dated inside their period, earliest sale first.  Returns
    {demand index: consumed qty}; `remaining` is updated. `sort_keys`:
    stable_key of the demands' keys by index where already known (None
    elsewhere), so that the caller and this function rank each key once.
    """
    if sort_keys is None:
        sort_keys = [None] * len(demands)
    forecasts = _active_forecasts(demands, active, sort_keys)
    if not forecasts:
        return {}
    sales = _consuming_sales(demands, consumers, forecasts, sort_keys)
    consumed = {}
    for group in sorted(forecasts, key=stable_key):
        if group not in sales:
            continue
        rounding = roundings[group[0]]
        group_sales = sorted(sales[group], key=_SALE_ORDER)
        dates = [sale[0] for sale in group_sales]
        left = [sale[3] for sale in group_sales]
        for date_from, _, date_to, index in sorted(
            forecasts[group], key=_FORECAST_ORDER
        ):
            wanted = remaining[index]
            if is_noise(wanted, rounding):
                continue  # nothing to consume: reported as zero_qty later
            original = wanted
            for position in range(
                bisect.bisect_left(dates, date_from),
                bisect.bisect_right(dates, date_to),
            ):
                if left[position] <= 0:
                    continue
                taken, left[position] = take(wanted, left[position], rounding)
                if taken == wanted:
                    wanted = 0.0
                    break
                wanted -= taken
            if wanted < original:
                consumed[index] = original - wanted
                remaining[index] = wanted
    return consumed


def _active_forecasts(demands, active, sort_keys):
    """(product_id, warehouse_id) -> [(period start, key, period end, index)]
    of the active forecasts."""
    forecasts = {}
    for index in active:
        demand = demands[index]
        if demand.source == "forecast":
            period = demand.period or (demand.date, demand.date)
            if period[1] < period[0]:
                raise PlanningError(
                    "Forecast %r has a period ending before it starts." % (demand.key,)
                )
            forecasts.setdefault((demand.product_id, demand.warehouse_id), []).append(
                (
                    period[0],
                    sort_keys[index] or stable_key(demand.key),
                    period[1],
                    index,
                )
            )
    return forecasts


def _consuming_sales(demands, consumers, forecasts, sort_keys):
    """(product_id, warehouse_id) -> [(date, 0 or 1, key or position, qty)]:
    the sales (demands first, then `consumers`) of the groups `forecasts`
    has; a consumer of negative quantity is refused."""
    sales = {}
    for index, demand in enumerate(demands):
        if demand.source == "sale" and demand.skip_reason is None:
            group = (demand.product_id, demand.warehouse_id)
            if group in forecasts and demand.qty > 0:
                sales.setdefault(group, []).append(
                    (
                        demand.date,
                        0,
                        sort_keys[index] or stable_key(demand.key),
                        float(demand.qty),
                    )
                )
    for position, consumer in enumerate(consumers):
        product_id, warehouse_id, date, qty = consumer
        if qty < 0:
            raise PlanningError(
                "Sales quantity %r of product %r consuming "
                "forecasts is negative." % (qty, product_id)
            )
        group = (product_id, warehouse_id)
        if group in forecasts and qty > 0:
            sales.setdefault(group, []).append((date, 1, position, float(qty)))
    return sales


def net_against_stock(demands, order, remaining, roundings, available):
    """Give `available` ((product, warehouse) -> qty, updated in place) to
    the demands in `order` (most urgent first) that may be netted.  Returns
    {index: covered}."""
    covered = {}
    for index in order:
        wanted = remaining[index]
        demand = demands[index]
        if not demand.net:
            continue
        rounding = roundings[demand.product_id]
        if is_noise(wanted, rounding, float(demand.qty)):
            continue  # nothing to cover: reported as zero_qty later
        group = (demand.product_id, demand.warehouse_id)
        offered = available.get(group, 0.0)
        if offered <= 0:
            continue
        taken, available[group] = take(wanted, offered, rounding)
        covered[index] = taken
        remaining[index] = 0.0 if taken == wanted else wanted - taken
    return covered
