"""Feeding the planning engine from ORM records.

Kept apart from the models so that generation, stock flows and costing build
the engine's inputs the same way, with batch reads only.
"""

from .. import planning


def uom_ratio(from_uom, to_uom):
    """How many ``to_uom`` one ``from_uom`` is (no rounding)."""
    if from_uom == to_uom:
        return 1.0
    return from_uom._compute_quantity(1.0, to_uom, round=False)


def product_kind(product):
    """The engine only tells apart what is never manufactured: services
    and combos (sold as a set of other products)."""
    return "service" if product.type in ("service", "combo") else "product"


def find_boms(env, products, company):
    """``{product id: BOM}`` for ``products`` by the rule of Odoo's
    ``mrp.bom._bom_find(products, company_id=...)`` (the first BOM of the
    variant or of its template by sequence, the company's or shared ones,
    only active ones), in one search for all of them, with the product ids
    rather than records as keys. Products without a BOM are left out."""
    if not products:
        return {}
    Bom = env["mrp.bom"]
    domain = [
        "|",
        ("product_id", "in", products.ids),
        "&",
        ("product_id", "=", False),
        ("product_tmpl_id", "in", products.mapped("product_tmpl_id").ids),
    ]
    company_id = company.id or env.context.get("company_id")
    if company_id:
        domain.append(("company_id", "in", [False, company_id]))
    by_variant, by_template = {}, {}
    # the search's order is _bom_find's (id last so that ties are stable):
    # each product takes the first BOM of its variant or template in it
    for position, bom in enumerate(
        Bom.search(domain, order="sequence, product_id, id")
    ):
        if bom.product_id:
            by_variant.setdefault(bom.product_id.id, (position, bom))
        else:
            by_template.setdefault(bom.product_tmpl_id.id, (position, bom))
    found = {}
    for product in products:
        candidates = [
            c
            for c in (
                by_variant.get(product.id),
                by_template.get(product.product_tmpl_id.id),
            )
            if c
        ]
        if candidates:
            found[product.id] = min(candidates, key=lambda c: c[0])[1]
    return found


def collect_structure(env, products, company, bom_by_product=None):
    """Engine ``Product`` and ``Bom`` dicts for ``products`` and every
    component reachable through their BOMs, level by level (one search per
    level, not per product).

    ``bom_by_product`` forces the BOM of some products (a job order line's
    own BOM); the others get the company's BOM found by Odoo's own rule.
    """
    engine_products, engine_boms, _shared = _collect(
        env, products, company, bom_by_product
    )
    return engine_products, engine_boms


def _collect(env, products, company, bom_by_product=None):
    """collect_structure, and whether a BOM was reached from two products
    (variants sharing a template BOM: its engine form depends on which)."""
    Bom = env["mrp.bom"]
    forced = dict(bom_by_product or {})
    engine_products, engine_boms = {}, {}
    shared = False
    todo = products
    while todo:
        todo = todo.filtered(lambda p: p.id not in engine_products)
        if not todo:
            break
        found = find_boms(env, todo.filtered(lambda p: p.id not in forced), company)
        boms = Bom.browse()
        for product in todo:
            bom = forced.get(product.id)
            if bom is None:
                bom = found.get(product.id, Bom)
            if bom and bom.type == "normal":
                boms |= bom
                if (
                    bom.id in engine_boms
                    and engine_boms[bom.id].product_id != product.id
                ):
                    shared = True
                engine_boms[bom.id] = _engine_bom(bom, product)
            engine_products[product.id] = planning.Product(
                product.id,
                rounding=product.uom_id.rounding,
                kind=product_kind(product),
                bom_id=bom.id if bom and bom.type == "normal" else None,
            )
        todo = boms.mapped("bom_line_ids.product_id")
    return engine_products, engine_boms, shared


def _engine_bom(bom, product):
    lines = [
        planning.BomLine(
            line.product_id.id,
            line.product_qty,
            uom_ratio(line.product_uom_id, line.product_id.uom_id),
        )
        for line in bom.bom_line_ids
        if not line._skip_bom_line(product)
    ]
    return planning.Bom(
        bom.id,
        product.id,
        product_qty=bom.product_qty,
        uom_ratio=uom_ratio(bom.product_uom_id, product.uom_id),
        lines=lines,
    )


def line_structures(lines):
    """``{line id: (products, boms)}``: the engine structure of each job
    order line as ``components_for`` would collect it, collected once for
    all the lines of a company whose own BOM is the one Odoo finds for
    their product (the usual case), and line by line for the others."""
    result = {}
    if not lines:
        return result
    env = lines.env
    for company in lines.mapped("job_order_id.company_id"):
        company_lines = lines.filtered(
            lambda line, company=company: line.job_order_id.company_id == company
        )
        products, boms, shared = _collect(
            env, company_lines.mapped("product_id"), company
        )
        for line in company_lines:
            product = line.product_id
            own = line.bom_id if line.bom_id and line.bom_id.type == "normal" else None
            entry = products.get(product.id)
            same = (
                not shared
                and entry is not None
                and entry.bom_id == (own.id if own else None)
                and (own is None or boms[own.id].product_id == product.id)
            )
            result[line.id] = (
                (products, boms)
                if same
                else collect_structure(env, product, company, {product.id: line.bom_id})
            )
    return result


def components_for(line, qty, structures=None):
    """Components (``{product: qty in its UoM}``) to make ``qty`` of a job
    order line, in the line's UoM, following the line's explosion option.
    ``structures``: from ``line_structures``, when many lines are exploded."""
    env = line.env
    product = line.product_id
    qty_product_uom = line.product_uom_id._compute_quantity(
        qty, product.uom_id, round=False
    )
    structure = structures.get(line.id) if structures else None
    if structure is None:
        structure = collect_structure(
            env, product, line.job_order_id.company_id, {product.id: line.bom_id}
        )
    products, boms = structure
    try:
        needs = planning.explode(
            product.id,
            qty_product_uom,
            products,
            boms,
            explode_subassemblies=line.explode_subassemblies,
        )
    except planning.PlanningError as error:
        from odoo.exceptions import UserError  # noqa: PLC0415 (the engine has no odoo)

        raise UserError(str(error)) from error
    ids = [pid for pid in sorted(needs) if needs[pid] > 0]
    # one prefetch set for all the components: their stock, units and costs
    # are then read in one query each, not one per component
    Product = env["product.product"]
    return [(Product.browse(pid).with_prefetch(ids), needs[pid]) for pid in ids]
