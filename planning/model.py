"""Plain data records exchanged with the planning engine.

They are ordinary slotted classes (compact, and no dependency on what the
Python of a given Odoo release offers).  Records compare by
value (handy in tests) and are deliberately unhashable because the engine
fills some of them in place while it builds a plan.
"""


class PlanningError(Exception):
    """The input cannot be planned consistently (unknown product, BOM cycle,
    negative quantity, ...).  The message is meant for the planner."""


class _Record:
    __slots__ = ()

    def _values(self):
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other):
        return type(self) is type(other) and self._values() == other._values()

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None

    def __repr__(self):
        return "%s(%s)" % (
            type(self).__name__,
            ", ".join("%s=%r" % (name, getattr(self, name)) for name in self.__slots__),
        )


class Product(_Record):
    """rounding: rounding of the product's UoM; bom_id: the usable BOM making
    it in the planned company, None when it is bought or cannot be made."""

    __slots__ = ("id", "rounding", "kind", "bom_id")

    def __init__(self, id, rounding=0.01, kind="product", bom_id=None):
        self.id = id
        self.rounding = rounding
        self.kind = kind
        self.bom_id = bom_id


class BomLine(_Record):
    """qty * uom_ratio is the quantity in the component's product UoM needed
    per Bom.product_qty of the BOM."""

    __slots__ = ("product_id", "qty", "uom_ratio")

    def __init__(self, product_id, qty, uom_ratio=1.0):
        self.product_id = product_id
        self.qty = qty
        self.uom_ratio = uom_ratio


class Bom(_Record):
    """Makes product_qty units of the BOM's UoM, i.e. product_qty * uom_ratio
    units of the product's UoM.  product_id and rounding are informational:
    the engine reaches a BOM through Product.bom_id (so one template BOM may
    serve several variants) and rounds only final quantities, in the UoM of
    the product they are expressed in."""

    __slots__ = ("id", "product_id", "product_qty", "uom_ratio", "lines", "rounding")

    def __init__(
        self, id, product_id, product_qty=1.0, uom_ratio=1.0, lines=(), rounding=None
    ):
        self.id = id
        self.product_id = product_id
        self.product_qty = product_qty
        self.uom_ratio = uom_ratio
        self.lines = tuple(lines)
        self.rounding = rounding


class Demand(_Record):
    """Something to produce.  qty is in the product's UoM; period is the
    inclusive (date_from, date_to) of a forecast; skip_reason is a code the
    caller already decided on (reported as is); selected=False means the
    planner unticked it.  net=False: the quantity was already computed
    against projected stock (reordering rules, warehouse shortfalls), so it
    takes nothing from stock or open supply, which would count them twice."""

    __slots__ = (
        "key",
        "source",
        "product_id",
        "qty",
        "date",
        "priority",
        "partner_id",
        "project_id",
        "sale_order_id",
        "warehouse_id",
        "reference",
        "period",
        "skip_reason",
        "selected",
        "net",
    )

    def __init__(
        self,
        key,
        source,
        product_id,
        qty,
        date,
        priority=0,
        partner_id=None,
        project_id=None,
        sale_order_id=None,
        warehouse_id=None,
        reference="",
        period=None,
        skip_reason=None,
        selected=True,
        net=True,
    ):
        self.key = key
        self.source = source
        self.product_id = product_id
        self.qty = qty
        self.date = date
        self.priority = priority
        self.partner_id = partner_id
        self.project_id = project_id
        self.sale_order_id = sale_order_id
        self.warehouse_id = warehouse_id
        self.reference = reference
        self.period = period
        self.skip_reason = skip_reason
        self.selected = selected
        self.net = net


class Params(_Record):
    __slots__ = ("mode", "group_by", "net_stock", "explode_subassemblies")

    def __init__(
        self,
        mode="mono",
        group_by="partner",
        net_stock=True,
        explode_subassemblies=True,
    ):
        self.mode = mode
        self.group_by = group_by
        self.net_stock = net_stock
        self.explode_subassemblies = explode_subassemblies


class ProposalLine(_Record):
    """One product to make.  ref = (proposal key, product_id, subassembly).
    allocations: (demand_key, qty) pegging direct demand; parents:
    (parent_line_ref, qty) pegging a sub-assembly to the lines consuming it.
    The quantities of either list add up to qty."""

    __slots__ = (
        "ref",
        "product_id",
        "bom_id",
        "qty",
        "date",
        "priority",
        "allocations",
        "subassembly",
        "parents",
    )

    def __init__(
        self,
        ref,
        product_id,
        bom_id,
        qty,
        date,
        priority,
        allocations,
        subassembly=False,
        parents=(),
    ):
        self.ref = ref
        self.product_id = product_id
        self.bom_id = bom_id
        self.qty = qty
        self.date = date
        self.priority = priority
        self.allocations = allocations
        self.subassembly = subassembly
        self.parents = parents


class Proposal(_Record):
    """A job order to create (or to merge into an open one with the same
    key).  partner_id / project_id / sale_order_id hold the value shared by
    every demand allocated in it, None when they differ or there is none."""

    __slots__ = (
        "key",
        "mode",
        "warehouse_id",
        "partner_id",
        "project_id",
        "sale_order_id",
        "lines",
    )

    def __init__(
        self, key, mode, warehouse_id, partner_id, project_id, sale_order_id, lines
    ):
        self.key = key
        self.mode = mode
        self.warehouse_id = warehouse_id
        self.partner_id = partner_id
        self.project_id = project_id
        self.sale_order_id = sale_order_id
        self.lines = lines


class Skipped(_Record):
    __slots__ = ("demand_key", "reason", "qty", "message")

    def __init__(self, demand_key, reason, qty, message):
        self.demand_key = demand_key
        self.reason = reason
        self.qty = qty
        self.message = message


class Result(_Record):
    """covered / consumed list every (demand_key, qty) netted against stock
    and open supply / consumed by sales orders, partial or full.  A demand
    ends either in exactly one line's allocations or in exactly one Skipped;
    for every demand:
        qty == consumed + covered + (allocated, or skipped qty when the
               reason is neither 'covered_by_stock' nor 'consumed_by_sales')
    up to the rounding up of the allocated quantity."""

    __slots__ = ("proposals", "skipped", "covered", "consumed")

    def __init__(self, proposals, skipped, covered, consumed=()):
        self.proposals = proposals
        self.skipped = skipped
        self.covered = covered
        self.consumed = consumed

    def iter_lines(self):
        for proposal in self.proposals:
            yield from proposal.lines
