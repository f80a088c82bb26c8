"""Stock flows of job orders (transfer to WIP, backflush, reverse, return of
WIP components, disassembly): the procedural part, as plain functions the
model methods of mrp.job.order call.

Kept out of the model so that the model file stays a readable declaration
of fields and steps, while the bookkeeping (which component goes where, in
which quantity, at which value) lives here. Every plan function checks and
computes only; the model methods write, after every check passed, so that a
refusal leaves the database as it was.

Odoo 19: a move is completed by setting its ``quantity`` (its move lines)
and ``picked``, then ``_action_done``; its value is on the move itself
(stock_account's ``value``, set when it is done: positive, whichever the
direction). The shares of job order lines (mrp.job.order.consumption) keep
the sign of the old convention: negative for components consumed.
"""

from collections import defaultdict

from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..bridge.planning_bridge import components_for, line_structures


def sum_needs(pairs, needs=None):
    """Add ``pairs`` [(product, qty)] to ``needs`` {product: qty} (a new
    dict if None): a component several lines use is moved and checked once."""
    needs = needs if needs is not None else {}
    for product, qty in pairs:
        needs[product] = needs.get(product, 0.0) + qty
    return needs


def available_qty(product, location):
    """On-hand quantity of ``product`` in ``location`` (and its children)."""
    return product.with_context(location=location.id).qty_available


def stock_shortages(needs, location):
    """[(product, qty needed, qty available)] for the storable products of
    ``needs`` {product: qty} short in ``location``: all of them at once, so
    that the refusal names every shortage, not the first one."""
    missing = []
    for product, qty in needs.items():
        if not product.is_storable:
            continue
        available = available_qty(product, location)
        if (
            float_compare(available, qty, precision_rounding=product.uom_id.rounding)
            < 0
        ):
            missing.append((product, qty, available))
    return missing


def check_stock(env, needs, location):
    """Refuse a flow whose components (``needs`` {product: qty}) are short
    in ``location``, naming every shortage."""
    missing = [
        env._(
            "%(product)s: %(qty)s %(uom)s needed, %(available)s available",
            product=product.display_name,
            qty=qty,
            uom=product.uom_id.name,
            available=available,
        )
        for product, qty, available in stock_shortages(needs, location)
    ]
    if missing:
        raise UserError(
            env._(
                "Not enough components in %(location)s:\n%(missing)s\nReceive or buy "
                "them first (button Purchase Missing), or use a job order type that "
                "allows transfers without stock.",
                location=location.display_name,
                missing="\n".join(missing),
            )
        )


def describe(pairs):
    """'qty unit product, ...' of ``pairs`` [(line, qty)], for the chatter."""
    return ", ".join(
        "%s %s %s" % (qty, line.product_uom_id.name, line.product_id.display_name)
        for line, qty in pairs
    )


def state_from_lines(lines):
    """The state a started job order's quantities give: done when every
    line is fully produced, in progress once anything moved."""
    if lines and all(line.qty_remaining <= 0 for line in lines):
        return "done"
    if any(line.qty_transferred or line.qty_produced for line in lines):
        return "in_progress"
    return "confirmed"


def move_values(order, product, qty, uom, location, location_dest, line, picking=None):
    """Values of a job order's stock move (``line``: the job order line it
    serves, if one; ``picking``: the transfer it belongs to, if one): made
    to stock, never merged, tied to the job order for its valuation."""
    return {
        "product_id": product.id,
        "product_uom_qty": qty,
        "product_uom": uom.id,
        "location_id": location.id,
        "location_dest_id": location_dest.id,
        "company_id": order.company_id.id,
        "origin": order.name,
        "job_order_id": order.id,
        "job_order_line_id": line.id if line else False,
        "picking_id": picking.id if picking else False,
        "picking_type_id": picking.picking_type_id.id if picking else False,
        "warehouse_id": order.warehouse_id.id,
        "procure_method": "make_to_stock",
    }


def picking_values(order, location, location_dest):
    """Values of a job order's internal transfer (to or back from WIP)."""
    return {
        "picking_type_id": order.warehouse_id.int_type_id.id,
        "location_id": location.id,
        "location_dest_id": location_dest.id,
        "origin": order.name,
        "job_order_id": order.id,
        "company_id": order.company_id.id,
        "partner_id": order.partner_id.id,
    }


def production_locations(order, products):
    """{product id: its production location}, the property read for all the
    products at once (in the job order's company), instead of once per move."""
    result, fallback = {}, None
    for product in products.with_company(order.company_id):
        location = product.property_stock_production
        if not location:
            if fallback is None:
                fallback = order.env["stock.location"].search(
                    [
                        ("usage", "=", "production"),
                        ("company_id", "in", (order.company_id.id, False)),
                    ],
                    limit=1,
                )
            if not fallback:
                raise UserError(
                    order.env._(
                        "No production location found for %s.", product.display_name
                    )
                )
            location = fallback
        result[product.id] = location
    return result


def complete_moves(env, vals_list):
    """Create, confirm and complete moves at once (the goods moved).
    Components are reserved where they are; what is missing (a type that
    allows transfers without stock) is taken all the same, the stock going
    negative, as Odoo's own production does."""
    Move = env["stock.move"]
    if not vals_list:
        return Move
    moves = Move.create(vals_list)
    # no merging: each move stays tied to its job order line
    moves = moves._action_confirm(merge=False)
    moves._action_assign()
    # what reservation did not find is written in one write per quantity,
    # not one per move
    short = {}
    for move in moves:
        if move.product_uom.compare(move.quantity, move.product_uom_qty) != 0:
            short[move.product_uom_qty] = short.get(move.product_uom_qty, Move) | move
    for qty, group in short.items():
        group.quantity = qty
    moves.picked = True
    # a picking's moves are completed together: nothing left for a backorder
    moves._action_done(cancel_backorder=True)
    return moves


def group_line_updates(updates):
    """{values: lines} from ``updates`` [(line, vals)]: lines given equal
    values are written together (one write, one recomputation of what
    depends on them, instead of one per line)."""
    groups = {}
    for line, vals in updates:
        key = tuple(sorted(vals.items()))
        groups[key] = groups.get(key, line.browse()) | line
    return groups


def plan_components(plan):
    """{product: qty} of all the components of a transfer ``plan``
    [(line, qty, components)]: one move per component, a pick list."""
    needs = {}
    for _line, _qty, components in plan:
        sum_needs(components, needs)
    return needs


# -- transfer ----------------------------------------------------------------
def transfer_plan(order, quantities):
    """[(line, qty, components)] to transfer to WIP: ``quantities`` {line id:
    qty in the line's UoM} where given, else what is left to transfer.
    Refuses more than is left, or a negative quantity, before anything moves."""
    env = order.env
    plan = []
    # BOM structures of all the lines read at once, not line by line
    structures = line_structures(order.line_ids)
    for line in order.line_ids:
        rest = line.product_qty - line.qty_transferred
        qty = quantities.get(line.id, rest)
        rounding = line.product_uom_id.rounding
        if float_compare(qty, rest, precision_rounding=rounding) > 0:
            raise UserError(
                env._(
                    "Cannot transfer %(qty)s %(uom)s of %(product)s: only %(rest)s are "
                    "left to transfer.",
                    qty=qty,
                    uom=line.product_uom_id.name,
                    product=line.product_id.display_name,
                    rest=rest,
                )
            )
        if float_compare(qty, 0.0, precision_rounding=rounding) < 0:
            raise UserError(env._("The quantity to transfer must be positive."))
        if float_is_zero(qty, precision_rounding=rounding):
            continue
        plan.append((line, qty, components_for(line, qty, structures)))
    return plan


def transfer_plans(orders, quantities):
    """[(order, plan)] of a transfer of ``orders`` (see transfer_plan),
    every order checked (something to transfer, components in stock unless
    its type allows going negative) before any moves."""
    plans = []
    for order in orders:
        plan = order._transfer_plan(quantities)
        if not plan:
            raise UserError(
                order.env._(
                    "Nothing to transfer on job order %s: every "
                    "component is already in WIP.",
                    order.name,
                )
            )
        if not order.type_id.allow_transfer_without_stock:
            order._check_stock(plan_components(plan), order.location_src_id)
        plans.append((order, plan))
    return plans


def wip_plan(order):
    """[(line, qty, components)] still in WIP (transferred, not produced):
    what a cancellation returns to the components location."""
    structures = line_structures(order.line_ids)
    plan = []
    for line in order.line_ids:
        in_wip = line.qty_transferred - line.qty_produced
        if (
            float_compare(in_wip, 0.0, precision_rounding=line.product_uom_id.rounding)
            > 0
        ):
            plan.append((line, in_wip, components_for(line, in_wip, structures)))
    return plan


# -- backflush -----------------------------------------------------------------
def backflush_plan(order, quantities):
    """Split each backflushed quantity ({line: qty}) into the part whose
    components are in WIP and the part taken from the components location.
    Returns (steps [(line, qty, from WIP, from stock)], BOM structures,
    {product: qty} needed from stock); refuses what cannot be done."""
    env = order.env
    steps = []
    direct_needs = {}
    # BOM structures of all the lines read at once, not line by line
    structures = line_structures(env["mrp.job.order.line"].concat(*quantities))
    for line, qty in quantities.items():
        rounding = line.product_uom_id.rounding
        if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(
                env._(
                    "The quantity to backflush must be positive (%(product)s: "
                    "%(qty)s).",
                    product=line.product_id.display_name,
                    qty=qty,
                )
            )
        if float_compare(qty, line.qty_remaining, precision_rounding=rounding) > 0:
            raise UserError(
                env._(
                    "Cannot backflush %(qty)s %(uom)s of %(product)s: only %(rest)s "
                    "remain to produce on %(order)s.",
                    qty=qty,
                    uom=line.product_uom_id.name,
                    product=line.product_id.display_name,
                    rest=line.qty_remaining,
                    order=order.name,
                )
            )
        in_wip = max(line.qty_transferred - line.qty_produced, 0.0)
        from_wip = min(qty, in_wip)
        direct = qty - from_wip
        if float_compare(direct, 0.0, precision_rounding=rounding) > 0:
            if not order.type_id.allow_backflush_from_stock:
                raise UserError(
                    env._(
                        "Only %(qty)s %(uom)s of %(product)s have their components in "
                        "WIP; transfer the rest first (type %(type)s does not take "
                        "components from stock at backflush).",
                        qty=from_wip,
                        uom=line.product_uom_id.name,
                        product=line.product_id.display_name,
                        type=order.type_id.name,
                    )
                )
            sum_needs(components_for(line, direct, structures), direct_needs)
        else:
            direct = 0.0
        steps.append((line, qty, from_wip, direct))
    return steps, structures, direct_needs


def backflush_needs(order, steps, structures, productions):
    """[(line, product, qty, from, to)]: the components the ``steps``
    consume, from WIP for the transferred part and from the components
    location for the rest, into each product's production location."""
    needs = []
    for line, _qty, from_wip, direct in steps:
        production = productions[line.product_id.id]
        for location, part in (
            (order.location_wip_id, from_wip),
            (order.location_src_id, direct),
        ):
            if float_is_zero(part, precision_rounding=line.product_uom_id.rounding):
                continue
            needs.extend(
                (line, product, component_qty, location, production)
                for product, component_qty in components_for(line, part, structures)
            )
    return needs


def check_reverse_quantities(order, quantities):
    """Refuse reversing ({line: qty}) a non-positive quantity or more than
    was produced, before anything moves."""
    env = order.env
    for line, qty in quantities.items():
        rounding = line.product_uom_id.rounding
        if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(
                env._(
                    "The quantity to reverse must be positive (%(product)s: %(qty)s).",
                    product=line.product_id.display_name,
                    qty=qty,
                )
            )
        if float_compare(qty, line.qty_produced, precision_rounding=rounding) > 0:
            raise UserError(
                env._(
                    "Cannot reverse %(qty)s %(uom)s of %(product)s: only %(produced)s "
                    "were produced.",
                    qty=qty,
                    uom=line.product_uom_id.name,
                    product=line.product_id.display_name,
                    produced=line.qty_produced,
                )
            )


def finished_needs(quantities):
    """{product: qty in its UoM} of the finished goods of ``quantities``
    {line: qty in the line's UoM}, to check they are in stock."""
    finished = {}
    for line, qty in quantities.items():
        product_qty = line.product_uom_id._compute_quantity(qty, line.product_id.uom_id)
        sum_needs([(line.product_id, product_qty)], finished)
    return finished


def unbuild_moves(order, quantities, components_dest, productions):
    """The opposite moves of a backflush of ``quantities`` {line: qty}:
    (finished goods move values, back to production; component needs
    [(line, product, qty, production, ``components_dest``)])."""
    structures = line_structures(order.env["mrp.job.order.line"].concat(*quantities))
    outs, needs = [], []
    for line, qty in quantities.items():
        production = productions[line.product_id.id]
        out = order._prepare_move(
            line.product_id,
            qty,
            line.product_uom_id,
            order.location_dest_id,
            production,
            line,
        )
        out["job_order_finished"] = True
        outs.append(out)
        needs.extend(
            (line, product, component_qty, production, components_dest)
            for product, component_qty in components_for(line, qty, structures)
        )
    return outs, needs


# -- component moves and the lines' shares of them -------------------------------
def group_needs(needs):
    """{(product id, from id, to id): (product, from, to, [(line, qty)])}
    from ``needs`` [(line, product, qty, from, to)]: one move per product and
    locations for all the lines (a few dozen moves for a large job order,
    not one per line and component), each line's part kept for its share."""
    groups = {}
    for line, product, qty, location, location_dest in needs:
        key = (product.id, location.id, location_dest.id)
        groups.setdefault(key, (product, location, location_dest, []))[3].append(
            (line, qty)
        )
    return groups


def component_move_values(order, groups):
    """Move values of the component ``groups`` (see group_needs); components
    brought back from production are worth what they were consumed at."""
    returned = [group for group in groups.values() if group[1].usage == "production"]
    prices = consumed_unit_values(order.env, returned) if returned else {}
    vals_list = []
    for product, location, location_dest, parts in groups.values():
        vals = order._prepare_move(
            product,
            sum(qty for _l, qty in parts),
            product.uom_id,
            location,
            location_dest,
            None,
        )
        if location.usage == "production":
            vals["price_unit"] = returned_price_unit(order, product, parts, prices)
        vals_list.append(vals)
    return vals_list


def create_shares(env, moves, groups):
    """Each line's share of the component ``moves`` (mrp.job.order.consumption,
    with its part of the value); returns {line id: its shares}."""
    Consumption = env["mrp.job.order.consumption"]
    created = Consumption._create_shares_batch(
        [
            (
                move,
                groups[
                    (move.product_id.id, move.location_id.id, move.location_dest_id.id)
                ][3],
            )
            for move in moves
        ]
    )
    shares = defaultdict(lambda: Consumption)
    for share in created:
        shares[share.line_id.id] |= share
    return shares


def consumed_unit_values(env, groups):
    """{(line id, product id): unit value (product UoM) at which the line
    consumed the product, net of what earlier reversals brought back}, for
    the lines and products of ``groups`` (as in group_needs), read from their
    shares at once."""
    line_ids = {line.id for _p, _l, _d, parts in groups for line, _qty in parts}
    product_ids = {group[0].id for group in groups}
    shares = (
        env["mrp.job.order.consumption"]
        .sudo()
        .search(
            [("line_id", "in", list(line_ids)), ("product_id", "in", list(product_ids))]
        )
    )
    totals = defaultdict(lambda: [0.0, 0.0])
    for share in shares:
        total = totals[(share.line_id.id, share.product_id.id)]
        consumed = share.move_id.location_dest_id.usage == "production"
        total[0] -= share.value
        total[1] += share.product_qty if consumed else -share.product_qty
    return {
        key: value / qty
        for key, (value, qty) in totals.items()
        if float_compare(qty, 0.0, precision_digits=6) > 0
    }


def returned_price_unit(order, product, parts, prices):
    """Unit value of ``parts`` ([(line, qty)]) of ``product`` brought back
    from production: each line's consumption value, else the product's cost
    (a disassembly)."""
    total_qty = sum(qty for _line, qty in parts)
    if not total_qty:
        return 0.0
    cost = product.with_company(order.company_id).standard_price
    value = sum(qty * prices.get((line.id, product.id), cost) for line, qty in parts)
    return value / total_qty


def bom_components(lines):
    """The component products of ``lines`` (for the scrap form's choice)."""
    components = lines.env["product.product"]
    for line in lines:
        for product, _qty in components_for(line, line.product_qty):
            components |= product
    return components
