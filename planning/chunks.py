"""Cut a plan into chunks that can be written independently.

Background generation plans once (so that stock is netted and demand is
grouped over the whole demand) and writes the proposals in chunks, each its
own transaction.  A chunk must be writable alone: proposals whose lines peg
each other (a sub-assembly and the lines consuming it) travel together, and
a chunk holds the proposals of one warehouse only.
"""

from .keys import stable_key


def _units(proposals):
    """Lists of proposal indexes linked by sub-assembly pegging."""
    parent = list(range(len(proposals)))

    def root(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner = {}
    for index, proposal in enumerate(proposals):
        for line in proposal.lines:
            owner[line.ref] = index
    for index, proposal in enumerate(proposals):
        for line in proposal.lines:
            for parent_ref, _qty in line.parents:
                other = owner.get(parent_ref)
                if other is not None:
                    parent[root(index)] = root(other)
    units = {}
    for index in range(len(proposals)):
        units.setdefault(root(index), []).append(index)
    return list(units.values())


def _weight(proposal):
    """Demand lines a proposal writes pegging for (at least 1)."""
    return max(1, sum(len(line.allocations) for line in proposal.lines))


def chunk_proposals(proposals, max_demand):
    """Indexes of ``proposals`` per chunk, in a stable order: one warehouse
    per chunk, at most ``max_demand`` demand lines per chunk unless one unit
    of linked proposals alone is larger (a unit is never split)."""
    if max_demand < 1:
        raise ValueError("max_demand must be at least 1")
    by_warehouse = {}
    for unit in _units(proposals):
        warehouse = proposals[unit[0]].warehouse_id
        by_warehouse.setdefault(warehouse, []).append(unit)
    chunks = []
    for warehouse in sorted(by_warehouse, key=stable_key):
        current, weight = [], 0
        for unit in sorted(by_warehouse[warehouse]):
            unit_weight = sum(_weight(proposals[index]) for index in unit)
            if current and weight + unit_weight > max_demand:
                chunks.append(sorted(current))
                current, weight = [], 0
            current += unit
            weight += unit_weight
        if current:
            chunks.append(sorted(current))
    return chunks
