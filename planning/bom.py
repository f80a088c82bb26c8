"""BOM access, explosion and low-level codes.

A product is *expandable* (a sub-assembly when it appears as a component)
when it has a usable BOM and is not a service: services are never
manufactured even if someone attached a BOM to them.
"""

from .keys import stable_key
from .model import PlanningError
from .uom import ceil_steps, check_rounding, to_qty


def get_product(products, product_id):
    product = products.get(product_id)
    if product is None:
        raise PlanningError(
            "Unknown product %r: it is not among the products "
            "given to the planning engine." % (product_id,)
        )
    return product


def get_bom(product, boms):
    if product.bom_id is None:
        return None
    bom = boms.get(product.bom_id)
    if bom is None:
        raise PlanningError(
            "Product %r refers to BOM %r, which is not among "
            "the BOMs given to the planning engine." % (product.id, product.bom_id)
        )
    return bom


def is_expandable(products, product_id):
    product = get_product(products, product_id)
    return product.bom_id is not None and product.kind != "service"


class BomCache:
    """Per-unit component quantities, computed once per product for a run.

    The cache lives for one plan()/explode() call only: BOMs may change
    between calls and the engine keeps no global state.
    """

    __slots__ = ("products", "boms", "_units", "_children")

    def __init__(self, products, boms):
        self.products = products
        self.boms = boms
        self._units = {}
        self._children = {}

    def unit_components(self, product_id):
        """[(component_id, qty in its UoM per product UoM unit)], one entry
        per component (several BOM lines of one component are summed), in
        BOM line order."""
        units = self._units.get(product_id)
        if units is not None:
            return units
        product = get_product(self.products, product_id)
        bom = get_bom(product, self.boms)
        if bom is None:
            raise PlanningError("Product %r has no bill of materials." % (product_id,))
        output = float(bom.product_qty) * float(bom.uom_ratio)
        if not output > 0:
            raise PlanningError(
                "BOM %r makes a non-positive quantity (%r x %r)."
                % (bom.id, bom.product_qty, bom.uom_ratio)
            )
        totals = {}
        order = []
        for line in bom.lines:
            qty = float(line.qty)
            ratio = float(line.uom_ratio)
            if qty < 0 or not ratio > 0:
                raise PlanningError(
                    "BOM %r has a negative quantity or a non-positive UoM "
                    "ratio for component %r." % (bom.id, line.product_id)
                )
            if line.product_id not in totals:
                totals[line.product_id] = 0.0
                order.append(line.product_id)
            totals[line.product_id] += qty * ratio / output
        units = [(component, totals[component]) for component in order]
        self._units[product_id] = units
        return units

    def children(self, product_id):
        """Sub-assembly components of an expandable product."""
        found = self._children.get(product_id)
        if found is None:
            found = [
                component
                for component, _ in self.unit_components(product_id)
                if is_expandable(self.products, component)
            ]
            self._children[product_id] = found
        return found

    def postorder(self, roots):
        """Expandable products reachable from roots, each after all of its
        sub-assemblies.  Iterative so that deep structures do not hit the
        recursion limit; raises PlanningError on a cycle."""
        state = {}
        order = []
        for root in sorted(set(roots), key=stable_key):
            if root in state or not is_expandable(self.products, root):
                continue
            state[root] = 1
            path = [root]
            stack = [iter(self.children(root))]
            while stack:
                for child in stack[-1]:
                    seen = state.get(child)
                    if seen == 1:
                        cycle = path[path.index(child) :] + [child]
                        raise PlanningError(
                            "BOM cycle: %s."
                            % " -> ".join("product %r" % (p,) for p in cycle)
                        )
                    if seen is None:
                        state[child] = 1
                        path.append(child)
                        stack.append(iter(self.children(child)))
                        break
                else:
                    stack.pop()
                    done = path.pop()
                    state[done] = 2
                    order.append(done)
        return order

    def low_level_codes(self, roots):
        """product -> deepest level at which it occurs below the roots
        (0 = never a component).  A product is only planned once every
        product that may consume it has been."""
        order = self.postorder(roots)
        codes = dict.fromkeys(order, 0)
        for product_id in reversed(order):
            below = codes[product_id] + 1
            for child in self.children(product_id):
                if codes[child] < below:
                    codes[child] = below
        return codes


def explode(product_id, qty, products, boms, explode_subassemblies=True):
    """Components (id -> qty in the component's UoM) needed to make qty of
    product_id (its UoM), each rounded up once to its own UoM rounding.

    With explode_subassemblies, sub-assemblies are replaced by their own
    components at every depth; otherwise they are returned as items.
    Components whose quantity is zero are left out.
    """
    qty = float(qty)
    if qty < 0:
        raise PlanningError(
            "Cannot explode a negative quantity (%r) of product %r." % (qty, product_id)
        )
    cache = BomCache(products, boms)
    if explode_subassemblies:
        per_unit = _full_unit_components(cache, product_id)
    else:
        per_unit = cache.unit_components(product_id)
    result = {}
    for component, unit_qty in per_unit:
        rounding = check_rounding(get_product(products, component).rounding, component)
        needed = qty * unit_qty
        steps = ceil_steps(needed, rounding, needed)
        if steps:
            result[component] = to_qty(steps, rounding)
    return result


def _full_unit_components(cache, product_id):
    """Leaf components per unit of product_id through all levels.

    Totals per sub-assembly are built children first (postorder), so a
    sub-assembly shared by several branches is computed once.  The root is
    handled apart so that a service carrying a BOM can still be exploded.
    """
    full = {}
    if is_expandable(cache.products, product_id):
        roots = [product_id]  # a cycle through the root is named from it
    else:
        roots = cache.children(product_id)
    for current in cache.postorder(roots):
        full[current] = _combine(cache.unit_components(current), full)
    if product_id in full:
        return full[product_id]
    return _combine(cache.unit_components(product_id), full)


def _combine(units, full):
    totals = {}
    order = []
    for component, unit_qty in units:
        if component in full:
            parts = [(leaf, unit_qty * leaf_qty) for leaf, leaf_qty in full[component]]
        else:
            parts = [(component, unit_qty)]
        for leaf, leaf_qty in parts:
            if leaf not in totals:
                totals[leaf] = 0.0
                order.append(leaf)
            totals[leaf] += leaf_qty
    return [(leaf, totals[leaf]) for leaf in order]
