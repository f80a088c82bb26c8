"""Buying the missing components of a job order: what is short, and how it
groups into purchase orders. Plain functions the model methods of
mrp.job.order call, kept apart so that the model stays a declaration and
the netting rules read in one place."""

from collections import OrderedDict

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..bridge.planning_bridge import components_for
from .stock_flow import available_qty, sum_needs


def component_shortages(order):
    """{product: qty (product UoM)} of the storable components of what is
    left to transfer on ``order`` that is neither available in its
    components location nor already ordered for it (purchase lines of the
    job order not cancelled), in the order of the lines."""
    needs = OrderedDict()
    for line in order.line_ids:
        rest = line.product_qty - line.qty_transferred
        if (
            float_compare(rest, 0.0, precision_rounding=line.product_uom_id.rounding)
            > 0
        ):
            sum_needs(components_for(line, rest), needs)
    ordered = OrderedDict()
    for po_line in order.env["purchase.order.line"].search(
        [("job_order_id", "=", order.id), ("state", "!=", "cancel")]
    ):
        ordered[po_line.product_id] = ordered.get(
            po_line.product_id, 0.0
        ) + po_line.product_uom_id._compute_quantity(
            po_line.product_qty, po_line.product_id.uom_id
        )
    shortages = OrderedDict()
    for product, qty in needs.items():
        if not product.is_storable:
            continue
        short = (
            qty
            - available_qty(product, order.location_src_id)
            - ordered.get(product, 0.0)
        )
        if float_compare(short, 0.0, precision_rounding=product.uom_id.rounding) > 0:
            shortages[product] = short
    return shortages


def check_purchasable(order, shortages):
    """Refuse buying when nothing is short (``shortages`` {product: qty}),
    or when a short component has no vendor to buy it from."""
    env = order.env
    if not shortages:
        raise UserError(
            env._(
                "Nothing to buy: the components of %s are available or already "
                "ordered.",
                order.name,
            )
        )
    no_vendor = [product for product in shortages if not product.seller_ids]
    if no_vendor:
        raise UserError(
            env._(
                "These components have no vendor: %s.\nSet a vendor on the "
                "product (Purchase tab) or buy them manually.",
                ", ".join(p.display_name for p in no_vendor),
            )
        )


def group_by_vendor(shortages):
    """{vendor: [(product, qty, supplier info)]}: one purchase order per
    main vendor (the product's first supplier info), in the order of
    ``shortages``. Every product must have a vendor (checked by the caller)."""
    by_vendor = OrderedDict()
    for product, qty in shortages.items():
        seller = product.seller_ids[0]
        by_vendor.setdefault(seller.partner_id, []).append((product, qty, seller))
    return by_vendor


def purchase_line_commands(order, items):
    """Purchase line create commands for ``items`` [(product, qty in its UoM,
    supplier info)], in the vendor's unit and at its price, tied to ``order``."""
    date = fields.Datetime.now()
    lines = []
    for product, qty, seller in items:
        uom = seller.product_uom_id or product.uom_id
        lines.append(
            (
                0,
                0,
                {
                    "product_id": product.id,
                    "name": product.display_name,
                    "product_qty": product.uom_id._compute_quantity(qty, uom),
                    "product_uom_id": uom.id,
                    "price_unit": seller.price,
                    "date_planned": date,
                    "job_order_id": order.id,
                },
            )
        )
    return lines
