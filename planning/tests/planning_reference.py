"""Brute-force reference of the planning rules, for the property tests.

Written for obviousness, not speed: exact Fractions, linear scans, plain
recursion.  It reads the same record classes as the engine (as containers
only: it calls nothing of the engine) with Fraction quantities.

Where an exact result sits within a hair of a boundary (a shortage exceeding
a whole number of steps by a millionth, stock short of a demand by a
millionth of a step) the float engine is allowed to decide the other way, so
the reference raises `Ambiguous` and the test discards the example.
"""

import math
from fractions import Fraction

TINY = Fraction(1, 10000)  # of a rounding step


class Ambiguous(Exception):
    pass


def _check_gap(gap, rounding):
    """An exact difference that floats could not tell apart from zero."""
    if gap != 0 and abs(gap) / rounding < TINY:
        raise Ambiguous()


def ceil_steps(qty, rounding):
    steps = qty / rounding
    whole = math.floor(steps)
    _check_gap(steps - whole, 1)
    return max(0, math.ceil(steps))


def sort_key(value):
    """None first, then the natural order: enough for the test data."""
    if value is None:
        return (0,)
    if isinstance(value, tuple):
        return (1, tuple(sort_key(v) for v in value))
    return (1, value)


def expandable(products, product_id):
    product = products[product_id]
    return product.bom_id is not None and product.kind != "service"


def per_unit(products, boms, product_id):
    """[(component, qty per unit of product)] line by line, not merged."""
    bom = boms[products[product_id].bom_id]
    made = bom.product_qty * bom.uom_ratio
    return [(line.product_id, line.qty * line.uom_ratio / made) for line in bom.lines]


def explode(product_id, qty, products, boms, explode_subassemblies=True):
    totals = {}

    def walk(current, amount):
        for component, unit in per_unit(products, boms, current):
            if explode_subassemblies and expandable(products, component):
                walk(component, amount * unit)
            else:
                totals[component] = totals.get(component, 0) + amount * unit

    walk(product_id, qty)
    result = {}
    for component, total in totals.items():
        rounding = products[component].rounding
        steps = ceil_steps(total, rounding)
        if steps:
            result[component] = steps * rounding
    return result


class Outcome:
    def __init__(self):
        # ref -> dict(qty, date, priority, allocations, parents, bom_id)
        self.lines = {}
        self.headers = {}  # proposal key -> [partner, project, sale_order] values seen
        self.skipped = {}  # demand key -> (reason, qty)
        self.covered = {}
        self.consumed = {}


# one function read top to bottom, rule after rule, as the docstring says:
# obviousness over structure in this test oracle
def reference_plan(  # noqa: C901
    demands, products, boms, params, stock, open_supply, consumers
):
    out = Outcome()
    live = []
    for d in demands:
        if d.skip_reason:
            out.skipped[d.key] = (d.skip_reason, d.qty)
        elif not d.selected:
            out.skipped[d.key] = ("not_selected", d.qty)
        elif products[d.product_id].kind == "service":
            out.skipped[d.key] = ("service", d.qty)
        elif products[d.product_id].bom_id is None:
            out.skipped[d.key] = ("no_bom", d.qty)
        else:
            live.append(d)
    left = dict((d.key, d.qty) for d in live)

    # forecasts, one sale after the other
    sales = []
    for d in demands:
        if d.source == "sale" and not d.skip_reason:
            sales.append([d.date, 0, d.key, d.product_id, d.warehouse_id, d.qty])
    for position, (product_id, warehouse_id, date, qty) in enumerate(consumers):
        sales.append([date, 1, position, product_id, warehouse_id, qty])
    sales.sort(key=lambda s: (s[0], s[1], sort_key(s[2])))
    forecasts = [d for d in live if d.source == "forecast"]
    forecasts.sort(key=lambda d: ((d.period or (d.date, d.date))[0], sort_key(d.key)))
    for f in forecasts:
        start, end = f.period or (f.date, f.date)
        rounding = products[f.product_id].rounding
        for sale in sales:
            if (sale[3], sale[4]) != (f.product_id, f.warehouse_id):
                continue
            if not start <= sale[0] <= end or sale[5] <= 0 or left[f.key] <= 0:
                continue
            _check_gap(sale[5] - left[f.key], rounding)
            taken = min(sale[5], left[f.key])
            sale[5] -= taken
            left[f.key] -= taken
            out.consumed[f.key] = out.consumed.get(f.key, 0) + taken
        if f.key in out.consumed and left[f.key] == 0:
            out.skipped[f.key] = ("consumed_by_sales", out.consumed[f.key])

    # stock, most urgent first
    available = {}
    for group in set(stock) | set(open_supply):
        available[group] = max(0, stock.get(group, 0) + open_supply.get(group, 0))
    todo = [d for d in live if d.key not in out.skipped]
    todo.sort(key=lambda d: (-d.priority, d.date, sort_key(d.key)))
    for d in todo:
        group = (d.product_id, d.warehouse_id)
        if (
            params.net_stock
            and d.net
            and available.get(group, 0) > 0
            and left[d.key] > 0
        ):
            _check_gap(available[group] - left[d.key], products[d.product_id].rounding)
            taken = min(available[group], left[d.key])
            available[group] -= taken
            left[d.key] -= taken
            out.covered[d.key] = taken
            if left[d.key] == 0:
                out.skipped[d.key] = ("covered_by_stock", taken)

    # rounding and grouping
    for d in todo:
        if d.key in out.skipped:
            continue
        rounding = products[d.product_id].rounding
        steps = ceil_steps(left[d.key], rounding)
        if steps == 0:
            out.skipped[d.key] = ("zero_qty", left[d.key])
            continue
        if params.mode == "mono":
            key = ("mono", d.warehouse_id, d.product_id)
        else:
            field = {
                "partner": "partner_id",
                "project": "project_id",
                "sale_order": "sale_order_id",
            }[params.group_by]
            key = ("multi", d.warehouse_id, params.group_by, getattr(d, field))
        ref = (key, d.product_id, False)
        line = out.lines.setdefault(
            ref,
            dict(
                qty=0,
                date=d.date,
                priority=d.priority,
                allocations=[],
                parents=[],
                bom_id=products[d.product_id].bom_id,
                warehouse=d.warehouse_id,
            ),
        )
        line["qty"] += steps * rounding
        line["date"] = min(line["date"], d.date)
        line["priority"] = max(line["priority"], d.priority)
        line["allocations"].append((d.key, steps * rounding))
        out.headers.setdefault(key, []).append(
            (d.partner_id, d.project_id, d.sale_order_id)
        )

    if not params.explode_subassemblies:
        _subassemblies(out, products, boms, params, available)
    return out


# (the same: the sub-assembly rules in one readable pass)
def _subassemblies(out, products, boms, params, available):  # noqa: C901
    # every expandable product reachable from the planned products
    reachable = set()

    def visit(product_id):
        if product_id in reachable:
            return
        reachable.add(product_id)
        for component, _ in per_unit(products, boms, product_id):
            if expandable(products, component):
                visit(component)

    for ref in list(out.lines):
        visit(ref[1])

    def level(product_id):
        parents = [
            p
            for p in reachable
            if any(
                c == product_id
                for c, _ in per_unit(products, boms, p)
                if expandable(products, c)
            )
        ]
        return max([level(p) + 1 for p in parents] or [0])

    needs = {}  # (product, warehouse) -> [(parent ref, requirement)]
    for product_id in sorted(reachable, key=lambda p: (level(p), p)):
        rounding = products[product_id].rounding
        for warehouse_id in sorted(
            set(w for (p, w) in needs if p == product_id), key=sort_key
        ):
            parents = needs[(product_id, warehouse_id)]
            parents.sort(
                key=lambda pr: (
                    -out.lines[pr[0]]["priority"],
                    out.lines[pr[0]]["date"],
                    sort_key(pr[0]),
                )
            )
            group = (product_id, warehouse_id)
            stock = available.get(group, 0) if params.net_stock else 0
            missing_total = 0
            shares = []
            done = 0
            for parent_ref, requirement in parents:
                if stock > 0:
                    _check_gap(stock - requirement, rounding)
                taken = min(stock, requirement)
                stock -= taken
                missing_total += requirement - taken
                steps = ceil_steps(missing_total, rounding) - done
                if steps > 0:
                    shares.append((parent_ref, steps * rounding))
                    done += steps
            available[group] = stock
            if shares:
                ref = (("mono", warehouse_id, product_id), product_id, True)
                out.lines[ref] = dict(
                    qty=done * rounding,
                    date=min(out.lines[p]["date"] for p, _ in shares),
                    priority=max(out.lines[p]["priority"] for p, _ in shares),
                    allocations=[],
                    parents=shares,
                    bom_id=products[product_id].bom_id,
                    warehouse=warehouse_id,
                )
        # explode every line of this product, one level
        for ref in sorted(out.lines, key=sort_key):
            if ref[1] != product_id:
                continue
            line = out.lines[ref]
            for component, unit in per_unit(products, boms, product_id):
                if expandable(products, component):
                    entries = needs.setdefault((component, line["warehouse"]), [])
                    for position, (parent, qty) in enumerate(entries):
                        if parent == ref:
                            entries[position] = (parent, qty + line["qty"] * unit)
                            break
                    else:
                        entries.append((ref, line["qty"] * unit))
