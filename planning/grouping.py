"""Grouping of net demand into job order proposals and their lines."""

from .keys import stable_key
from .model import Proposal, ProposalLine
from .uom import digits

_GROUP_FIELDS = {
    "partner": "partner_id",
    "project": "project_id",
    "sale_order": "sale_order_id",
}
_MIXED = object()
# a header whose partner, project and sales order all vary (a mono job order
# of a product many customers ordered): nothing more to compare
_ALL_MIXED = (_MIXED, _MIXED, _MIXED)


def proposal_key(demand, params):
    if params.mode == "mono":
        return ("mono", demand.warehouse_id, demand.product_id)
    value = getattr(demand, _GROUP_FIELDS[params.group_by])
    return ("multi", demand.warehouse_id, params.group_by, value)


class ProposalBuilder:
    """Collects lines while the plan is built.

    Line quantities are kept as whole rounding steps until finish(), so a
    line's qty is exactly the sum of its allocations' steps and float sums
    never drift by an ulp per added demand.
    """

    __slots__ = (
        "products",
        "proposals",
        "lines",
        "steps",
        "roundings",
        "headers",
        "warehouse_of",
        "_digits",
    )

    def __init__(self, products, roundings):
        self.products = products
        self.roundings = roundings
        self.proposals = {}
        self.lines = {}
        self.steps = {}
        self.headers = {}
        self.warehouse_of = {}
        self._digits = {}

    def to_qty(self, product_id, steps):
        # uom.to_qty with the digits looked up once per product: this runs
        # for every allocation of a plan
        found = self._digits.get(product_id)
        if found is None:
            found = self._digits[product_id] = digits(self.roundings[product_id])
        return round(steps * self.roundings[product_id], found)

    def _proposal(self, key, mode, warehouse_id):
        proposal = self.proposals.get(key)
        if proposal is None:
            proposal = Proposal(key, mode, warehouse_id, None, None, None, [])
            self.proposals[key] = proposal
            self.headers[key] = None
        return proposal

    def _line(self, key, mode, warehouse_id, product_id, subassembly, date, priority):
        ref = (key, product_id, subassembly)
        line = self.lines.get(ref)
        if line is None:
            proposal = self._proposal(key, mode, warehouse_id)
            line = ProposalLine(
                ref,
                product_id,
                self.products[product_id].bom_id,
                0.0,
                date,
                priority,
                [],
                subassembly,
                [],
            )
            proposal.lines.append(line)
            self.lines[ref] = line
            self.steps[ref] = 0
            self.warehouse_of[ref] = warehouse_id
        else:
            if date < line.date:
                line.date = date
            if priority > line.priority:
                line.priority = priority
        return line

    def add_demand(self, demand, steps, params):
        """Allocate `steps` rounding steps of a demand; demands must come most
        urgent first so that allocations are listed in service order."""
        key = proposal_key(demand, params)
        line = self._line(
            key,
            params.mode,
            demand.warehouse_id,
            demand.product_id,
            False,
            demand.date,
            demand.priority,
        )
        self.steps[line.ref] += steps
        line.allocations.append((demand.key, self.to_qty(demand.product_id, steps)))
        values = (demand.partner_id, demand.project_id, demand.sale_order_id)
        known = self.headers[key]
        if known is None:
            self.headers[key] = values
        elif known is not _ALL_MIXED and known != values:
            merged = tuple(
                old if old == new else _MIXED
                for old, new in zip(known, values, strict=True)
            )
            self.headers[key] = _ALL_MIXED if merged == _ALL_MIXED else merged
        return line

    def add_subassembly(self, product_id, warehouse_id, parents):
        """parents: [(parent line, steps)] in service order, steps > 0."""
        key = ("mono", warehouse_id, product_id)
        first = parents[0][0]
        line = self._line(
            key, "mono", warehouse_id, product_id, True, first.date, first.priority
        )
        for parent, steps in parents:
            if parent.date < line.date:
                line.date = parent.date
            if parent.priority > line.priority:
                line.priority = parent.priority
            self.steps[line.ref] += steps
            line.parents.append((parent.ref, self.to_qty(product_id, steps)))
        line.qty = self.qty_of(line)
        return line

    def qty_of(self, line):
        return self.to_qty(line.product_id, self.steps[line.ref])

    def finish(self):
        """Proposals in stable key order, lines in (product, flag) order."""
        result = []
        for key in sorted(self.proposals, key=stable_key):
            proposal = self.proposals[key]
            values = self.headers[key]
            if values is not None:
                proposal.partner_id, proposal.project_id, proposal.sale_order_id = [
                    None if value is _MIXED else value for value in values
                ]
            for line in proposal.lines:
                line.qty = self.qty_of(line)
            proposal.lines.sort(
                key=lambda line: (stable_key(line.product_id), line.subassembly)
            )
            result.append(proposal)
        return result
