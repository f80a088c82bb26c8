"""Estimated and actual cost of job orders by element (material, labour,
overhead): the calculations, as plain functions the models call (the fields
are in models/mrp_job_order_cost_mixin.py, mrp_job_order.py and
mrp_job_order_line.py). Kept apart so that the models stay declarations and
the arithmetic can be read, and checked, in one place.

Choices (see also README, "Cost calculation"):
- Estimated cost is frozen at confirmation: material = BOM explosion (the
  quantities transfers will move) x component cost on that day (standard or
  average price; for FIFO, the value of the next quantities out of the FIFO
  stack, as Odoo values them: product._run_fifo); labour = the operations of
  the line's BOM (bom.operation_ids) and, when the line explodes
  sub-assemblies, of the sub-assemblies' BOMs, costed like Odoo's own work
  orders: cycles = ceil(quantity / work center capacity for the product,
  the BOM quantity by default), minutes = setup + cleanup + cycles x cycle
  time x 100 / efficiency (mrp.routing.workcenter time_total);
  overhead = the BOM's rate, or the company's when the BOM has none, on
  material. The rate is kept on the line so actual overhead uses it too.
- Actual: material = the line's share of the value of the component moves
  of its backflushes and reversals (Odoo's valuation, stock.move.value; a
  move serves all the lines that use the component, shared by quantity),
  labour = hours recorded x hourly cost; hours recorded without a line are
  shared among the lines in proportion to their estimated labour.
- Finished goods valued at average or FIFO carry labour and overhead too:
  each receipt takes the overhead of the material it consumed and its share
  of the recorded labour not yet carried by earlier receipts; the receipt
  that completes a line takes all of it. At standard cost Odoo values
  receipts at the standard price whatever we pass: nothing is added there.
"""

import math
from collections import OrderedDict, defaultdict

from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round

from ..bridge.planning_bridge import collect_structure, components_for, line_structures
from ..planning.bom import BomCache, is_expandable

MAX_DEPTH = 100


# -- estimate -----------------------------------------------------------------
def cost_estimates(lines):
    """{line: estimated cost values} (line._prepare_cost_estimate of its
    components), component prices read once per company for all the lines."""
    result = OrderedDict()
    for company in lines.job_order_id.company_id:
        company_lines = lines.filtered(
            lambda line, company=company: line.job_order_id.company_id == company
        )
        # BOM structures of all the lines read at once, not line by line
        structures = line_structures(company_lines)
        needs = OrderedDict(
            (line, components_for(line, line.product_qty, structures))
            for line in company_lines
        )
        totals = defaultdict(float)
        for components in needs.values():
            for product, qty in components:
                totals[product] += qty
        unit_costs = component_unit_costs(lines.env, totals, company)
        for line, components in needs.items():
            result[line] = line._prepare_cost_estimate(
                components, unit_costs, structures
            )
    return result


def check_reestimable(orders):
    """Refuse re-estimating unless the user manages job orders and no order
    has started (the estimate is what the actual cost is judged by) or is
    cancelled; a draft one must be estimable (its lines confirmable)."""
    env = orders.env
    if not env.user.has_group("mrp_job_order.group_job_order_manager"):
        raise AccessError(env._("Only job order managers can re-estimate costs."))
    for order in orders:
        if order.state in ("in_progress", "done"):
            raise UserError(
                env._(
                    "Job order %s has started: its estimate stays as it was, to be "
                    "compared with the actual cost.",
                    order.name,
                )
            )
        if order.state == "cancel":
            raise UserError(env._("Job order %s is cancelled.", order.name))
        # a draft job order may not be estimable yet: say why in planner words
        order.line_ids._check_confirmable()


def component_unit_costs(env, totals, company):
    """{product id: unit cost (product UoM)} for {product: qty needed}: the
    product cost of the company (standard or average price); for FIFO, the
    value Odoo would give the next ``qty`` out of the FIFO stack (beyond it,
    at the last receipt's price), divided by ``qty``."""
    products = (
        env["product.product"]
        .browse([p.id for p in totals])
        .with_company(company)
        .sudo()
    )
    costs = {}
    for product in products:
        qty = totals[product]
        if product.cost_method == "fifo" and qty > 0:
            costs[product.id] = product._run_fifo(qty) / qty
        else:
            costs[product.id] = product.standard_price
    return costs


def estimate_labour(line, structures=None):
    """Estimated labour of ``line``: its operations' expected minutes x the
    work centers' hourly cost (``structures``: from ``line_structures``)."""
    return sum(
        operation_minutes(operation, product, qty)
        / 60.0
        * operation.workcenter_id.costs_hour
        for bom, product, qty in operation_quantities(line, structures)
        for operation in bom.operation_ids
        if not operation._skip_operation_line(product)
    )


def operation_minutes(operation, product, qty):
    """Odoo's expected duration of a work order of ``operation`` making
    ``qty`` (the BOM's UoM) of ``product`` (mrp.routing.workcenter
    time_total, mrp.workorder._get_duration_expected)."""
    workcenter = operation.workcenter_id
    bom = operation.bom_id
    capacity, setup, cleanup = workcenter._get_capacity(
        product, bom.product_uom_id, bom.product_qty or 1
    )
    cycles = math.ceil(float_round(qty / (capacity or 1.0), precision_digits=6))
    efficiency = (workcenter.time_efficiency or 100.0) / 100.0
    return setup + cleanup + cycles * operation.time_cycle / efficiency


def operation_quantities(line, structures=None):
    """[(mrp.bom, product, qty in the BOM's UoM)]: the line's BOM and, when
    the line explodes sub-assemblies, every sub-assembly BOM made inside it
    (quantities summed when a sub-assembly recurs). ``structures``: from
    ``line_structures``, when many lines are estimated."""
    env = line.env
    bom, product = line.bom_id, line.product_id
    if not bom:
        return []
    batches = OrderedDict(
        [
            (
                (bom.id, product.id),
                line.product_uom_id._compute_quantity(
                    line.product_qty, bom.product_uom_id, round=False
                )
                / bom.product_qty,
            )
        ]
    )
    if line.explode_subassemblies:
        structure = structures.get(line.id) if structures else None
        products, boms = structure or collect_structure(
            env, product, line.job_order_id.company_id, {product.id: bom}
        )
        cache = BomCache(products, boms)
        qty = line.product_uom_id._compute_quantity(
            line.product_qty, product.uom_id, round=False
        )
        todo = [(product.id, qty, 0)]
        while todo:
            product_id, qty, depth = todo.pop()
            if depth > MAX_DEPTH:
                raise UserError(
                    env._(
                        "The bills of materials of %s are nested too deep (a cycle?).",
                        product.display_name,
                    )
                )
            for component, unit_qty in cache.unit_components(product_id):
                if not is_expandable(products, component):
                    continue
                sub_bom = boms[products[component].bom_id]
                sub_qty = qty * unit_qty
                key = (sub_bom.id, component)
                batches[key] = batches.get(key, 0.0) + sub_qty / (
                    sub_bom.product_qty * sub_bom.uom_ratio
                )
                todo.append((component, sub_qty, depth + 1))
    Bom, Product = env["mrp.bom"], env["product.product"]
    result = []
    for (bom_id, product_id), count in batches.items():
        if count > 0:
            sub_bom = Bom.browse(bom_id)
            result.append(
                (sub_bom, Product.browse(product_id), count * sub_bom.product_qty)
            )
    return result


# -- actual -------------------------------------------------------------------
def actual_material(lines):
    """{line id: net value consumed}: the lines' shares of the component
    moves, negative for consumption, positive for reversals (new records,
    not yet in the database, have none)."""
    ids = [line_id for line_id in lines.ids if isinstance(line_id, int)]
    if not ids:
        return {}
    rows = (
        lines.env["mrp.job.order.consumption"]
        .sudo()
        ._read_group([("line_id", "in", ids)], ["line_id"], ["value:sum"])
    )
    return {line.id: -(value or 0.0) for line, value in rows}


def actual_labour(lines):
    """{line id: labour cost}: the entries recorded on each line, plus its
    share (see allocate) of those recorded on its job order without a line."""
    result = defaultdict(float)
    for order in lines.job_order_id:
        order_lines = order.line_ids
        shared = 0.0
        for entry in order.sudo().labour_ids:
            if entry.line_id and entry.line_id in order_lines:
                result[entry.line_id.id] += entry.cost
            else:
                shared += entry.cost
        if shared:
            for line, part in allocate(
                shared, order_lines, order.company_id.currency_id
            ):
                result[line.id] += part
    return result


def allocate(amount, lines, currency):
    """Share ``amount`` among ``lines`` by estimated labour (else by
    estimated cost, else equally); the last line takes the rounding rest so
    the shares add up to the amount exactly."""
    weights = lines.mapped("cost_labour_estimated")
    if not sum(weights):
        weights = lines.mapped("cost_estimated")
    if not sum(weights):
        weights = [1.0] * len(lines)
    total, shares, given = sum(weights), [], 0.0
    for index, line in enumerate(lines):
        if index == len(lines) - 1:
            part = currency.round(amount - given)
        else:
            part = currency.round(amount * weights[index] / total)
        given += part
        shares.append((line, part))
    return shares


# -- finished goods -----------------------------------------------------------
def finished_price_unit(line, qty, consumed):
    """Unit cost of the finished goods (product UoM) of a receipt of ``qty``
    (line UoM) from the value of the components consumed (``consumed``: the
    line's shares), as Odoo's own production does (see
    stock.move._get_value_from_production); at average or FIFO, plus the
    overhead of that material and the labour the receipt carries."""
    qty_product_uom = line.product_uom_id._compute_quantity(qty, line.product_id.uom_id)
    material = -sum(consumed.mapped("value"))
    price = material / qty_product_uom if qty_product_uom else 0.0
    if line.product_id.cost_method not in ("average", "fifo") or not qty_product_uom:
        return price
    overhead = material * line.cost_overhead_rate / 100.0
    return price + (overhead + line._labour_to_absorb(qty)) / qty_product_uom


def labour_to_absorb(line, qty):
    """Recorded labour a receipt of ``qty`` (line UoM) carries: its share of
    what earlier receipts did not carry (all of it when it completes the
    line). Only products valued at average or FIFO take it."""
    if line.product_id.cost_method not in ("average", "fifo"):
        return 0.0
    open_labour = line.cost_labour_actual - line.cost_labour_absorbed
    if open_labour <= 0 or line.qty_remaining <= 0:
        return 0.0
    return line.currency_id.round(open_labour * min(qty / line.qty_remaining, 1.0))


def labour_released(quantities):
    """{line: labour value} reversed goods ({line: qty}) give back, their
    share of the labour they carried (the next receipt takes it again)."""
    released = {}
    for line, qty in quantities.items():
        if line.cost_labour_absorbed and line.qty_produced > 0:
            released[line] = line.currency_id.round(
                line.cost_labour_absorbed * min(qty / line.qty_produced, 1.0)
            )
    return released
