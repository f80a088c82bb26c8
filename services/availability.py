"""What blocks a job order: are the components of what is left to issue on
hand in its components location, which are missing and how many, and when
the purchase orders already placed for them are expected.

Plain functions the computed fields of mrp.job.order and mrp.job.order.line
call. The netting is a planner's view, not a reservation: within a job
order the lines take the stock in their order; other job orders are not
subtracted (as Odoo's own component status of a manufacturing order, it
tells what this order needs, not who gets the stock first)."""

from collections import OrderedDict, defaultdict

from odoo.tools import float_compare, float_is_zero
from odoo.tools.misc import format_date, formatLang

from ..bridge.planning_bridge import components_for, line_structures
from .stock_flow import sum_needs

OPEN_STATES = ("draft", "confirmed", "in_progress")
AVAILABILITY = [
    ("available", "Available"),
    ("partial", "Partially Available"),
    ("unavailable", "Not Available"),
    ("none", "Nothing to Issue"),
]
# purchase lines still to receive
OPEN_PURCHASE_STATES = ("draft", "sent", "to approve", "purchase")


def _remaining_needs(line, structures):
    """[(product, qty in its UoM)] of the storable components still to
    issue for ``line`` (its quantity not yet transferred); ``structures``
    from ``line_structures``."""
    rest = line.product_qty - line.qty_transferred
    if (
        float_compare(
            rest, 0.0, precision_rounding=line.product_uom_id.rounding or 0.001
        )
        <= 0
        or not line.bom_id
    ):
        return []
    return [
        (product, qty)
        for product, qty in components_for(line, rest, structures)
        if product.is_storable
    ]


def _on_hand(products, location):
    """{product id: on-hand quantity in ``location``}, all products at once."""
    if not products:
        return {}
    return {
        product.id: product.qty_available
        for product in products.with_context(location=location.id)
    }


def on_order(env, products, company):
    """{product id: [(expected date, qty still to receive in the product's
    UoM, purchase order name)]} of the purchase lines of ``products`` in
    ``company`` still to receive, earliest first."""
    if not products:
        return {}
    # sudo: a shop-floor user may not read purchases; the dates are what he needs
    lines = (
        env["purchase.order.line"]
        .sudo()
        .search(
            [
                ("product_id", "in", products.ids),
                ("company_id", "=", company.id),
                ("state", "in", OPEN_PURCHASE_STATES),
                ("display_type", "=", False),
            ],
            order="date_planned, id",
        )
    )
    result = defaultdict(list)
    for line in lines:
        rest = line.product_uom_id._compute_quantity(
            line.product_qty - line.qty_received, line.product_id.uom_id, round=False
        )
        if (
            float_compare(rest, 0.0, precision_rounding=line.product_id.uom_id.rounding)
            > 0
        ):
            result[line.product_id.id].append(
                (line.date_planned, rest, line.order_id.name)
            )
    return result


def expected(product, missing, purchases):
    """(date, purchase order names) when ``missing`` of ``product`` will be
    in, from ``purchases`` (see ``on_order``): the date of the purchase that
    completes the quantity, or None when what is on order is not enough."""
    total, names = 0.0, []
    for day, qty, name in purchases:
        total += qty
        names.append(name)
        if (
            float_compare(total, missing, precision_rounding=product.uom_id.rounding)
            >= 0
        ):
            return day, names
    return None, names


def availability(orders):
    """{order id: order status} and {line id: line status} of ``orders``.

    A status is a dict: ``state`` ('available', 'partial', 'unavailable' or
    'none' when nothing is left to issue), ``missing`` [(product, qty
    missing, qty needed)] and ``expected`` (the latest expected date of the
    missing components bought, or None; with the purchase orders' names)."""
    by_order, by_line = {}, {}
    # the BOM structures of all the open lines at once (a list of job orders
    # reads them in a few queries, not per line)
    structures = line_structures(
        orders.filtered(lambda o: o.state in OPEN_STATES).line_ids.filtered("bom_id")
    )
    for order in orders:
        lines = order.line_ids
        if order.state not in OPEN_STATES or not order.location_src_id:
            by_order[order.id] = _status("none", [])
            for line in lines:
                by_line[line.id] = _status("none", [])
            continue
        needs_of = {line.id: _remaining_needs(line, structures) for line in lines}
        all_products = order.env["product.product"].union(
            *[product for needs in needs_of.values() for product, _qty in needs]
        )
        left = defaultdict(float, _on_hand(all_products, order.location_src_id))
        order_needs = OrderedDict()
        order_missing = OrderedDict()
        for line in lines:
            missing = []
            for product, qty in needs_of[line.id]:
                taken = min(max(left[product.id], 0.0), qty)
                left[product.id] -= taken
                short = qty - taken
                if not float_is_zero(short, precision_rounding=product.uom_id.rounding):
                    missing.append((product, short, qty))
                    order_missing[product] = order_missing.get(product, 0.0) + short
            sum_needs(needs_of[line.id], order_needs)
            by_line[line.id] = _status(_state(needs_of[line.id], missing), missing)
        missing = [
            (product, qty, order_needs[product])
            for product, qty in order_missing.items()
        ]
        by_order[order.id] = _status(
            _state(list(order_needs.items()), missing), missing
        )
    _add_expected_dates(orders, by_order, by_line)
    return by_order, by_line


def _status(state, missing):
    return {"state": state, "missing": missing, "expected": None, "dates": {}}


NO_STATUS = _status("none", [])


def _state(needs, missing):
    if not needs:
        return "none"
    if not missing:
        return "available"
    # nothing of any component on hand: not available at all
    if all(
        float_compare(short, needed, precision_rounding=product.uom_id.rounding) >= 0
        for product, short, needed in missing
    ) and len(missing) == len(needs):
        return "unavailable"
    return "partial"


def _add_expected_dates(orders, by_order, by_line):
    Product = orders.env["product.product"]
    for company in orders.company_id:
        statuses = [
            status
            for order in orders.filtered(
                lambda o, company=company: o.company_id == company
            )
            for status in [by_order[order.id]]
            + [by_line[line.id] for line in order.line_ids]
        ]
        products = Product.union(
            *[
                product
                for status in statuses
                for product, _short, _needed in status["missing"]
            ]
        )
        purchases = on_order(orders.env, products, company)
        for status in statuses:
            days = []
            for product, short, _needed in status["missing"]:
                day, names = expected(product, short, purchases.get(product.id, []))
                status["dates"][product.id] = (day, names)
                days.append(day)
            if days and all(days):
                # every missing component is on order: ready when the last arrives
                status["expected"] = max(days)


def field_values(env, status):
    """The values of the availability fields of a job order or a line."""
    return {
        "components_availability": status["state"],
        "components_missing": describe(env, status) or False,
        "components_expected_date": status["expected"] or False,
    }


def describe(env, status):
    """The missing components of a status, one per line, in the user's
    words, each with the purchase orders placed for it and when they are
    expected."""
    lines = []
    for product, short, _needed in status["missing"]:
        text = env._(
            "%(product)s: %(qty)s %(unit)s missing",
            product=product.display_name,
            qty=formatLang(env, short, dp="Product Unit"),
            unit=product.uom_id.name,
        )
        day, names = status["dates"].get(product.id, (None, []))
        if day:
            text += " " + env._(
                "(expected %(date)s, %(orders)s)",
                date=format_date(env, day),
                orders=", ".join(names),
            )
        elif names:
            text += " " + env._("(not enough on order: %s)", ", ".join(names))
        lines.append(text)
    return "\n".join(lines)
