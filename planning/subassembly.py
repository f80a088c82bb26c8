"""Job orders of their own for short sub-assemblies.

Products are planned by low-level code: a sub-assembly is only netted once
every line that may consume it (at any depth) is known, so a sub-assembly
shared by several parents, or used at several depths, is netted once
against what its direct demand left of its stock, and rounded once.

The shortage becomes a line flagged subassembly=True in the mono proposal
('mono', warehouse, product).  When the product also has direct demand in
mono mode, that demand keeps its own line (subassembly=False) in the same
proposal: pegging to demands and pegging to parent lines stay apart.
"""

from .keys import stable_key
from .netting import take
from .uom import ceil_steps


def plan_subassemblies(builder, cache, available, net_stock):
    """Add sub-assembly lines to `builder` for every line it holds.

    available: (product, warehouse) -> qty left after direct demand, updated.
    """
    by_product = {}
    for ref in builder.lines:
        by_product.setdefault(ref[1], []).append(builder.lines[ref])
    codes = cache.low_level_codes(list(by_product))
    requirements = {}
    order_keys = {}  # a line's (urgency, date, ref) never changes once known

    def service_order(entry):
        line = entry[0]
        found = order_keys.get(line.ref)
        if found is None:
            found = order_keys[line.ref] = (
                -line.priority,
                line.date,
                stable_key(line.ref),
            )
        return found

    for product_id in sorted(codes, key=lambda p: (codes[p], stable_key(p))):
        lines = by_product.get(product_id, [])
        needs = requirements.pop(product_id, {})
        for warehouse_id in sorted(needs, key=stable_key):
            parents = sorted(needs[warehouse_id], key=service_order)
            line = _shortage_line(
                builder, product_id, warehouse_id, parents, available, net_stock
            )
            if line is not None:
                lines.append(line)
        children = cache.children(product_id)
        if not children or not lines:
            continue
        subassemblies = [
            (child, unit_qty)
            for child, unit_qty in cache.unit_components(product_id)
            if child in children
        ]
        for line in lines:
            qty = builder.qty_of(line)
            warehouse_id = builder.warehouse_of[line.ref]
            for child, unit_qty in subassemblies:
                requirement = qty * unit_qty
                if requirement > 0:
                    requirements.setdefault(child, {}).setdefault(
                        warehouse_id, []
                    ).append((line, requirement))


def _shortage_line(builder, product_id, warehouse_id, parents, available, net_stock):
    """Net the total requirement of the parents (most urgent first) once,
    then split the rounded shortage over them: stock goes to the most urgent
    parent first, and cumulative rounding makes the parts add up to the
    rounded total."""
    rounding = builder.roundings[product_id]
    total = sum(requirement for _, requirement in parents)
    group = (product_id, warehouse_id)
    offered = available.get(group, 0.0) if net_stock else 0.0
    shortage = 0.0
    done_steps = 0
    shares = []
    for parent, requirement in parents:
        if offered > 0:
            taken, offered = take(requirement, offered, rounding)
            if taken == requirement:
                continue
            requirement -= taken
        shortage += requirement
        steps = ceil_steps(shortage, rounding, total) - done_steps
        if steps > 0:
            shares.append((parent, steps))
            done_steps += steps
    if net_stock:
        available[group] = offered
    if not shares:
        return None
    return builder.add_subassembly(product_id, warehouse_id, shares)
