"""Estimated and actual cost of job orders by element (material, labour,
overhead), per line and per job order (the sum of its lines).

Choices (see also README, "Cost calculation"):
- Estimated cost is frozen at confirmation: material = BOM explosion (the
  quantities transfers will move) x component cost on that day (standard or
  average price; for FIFO, the cost of the next quantities out of the FIFO
  layers); labour = the routing operations of the line's BOM and, when the
  line explodes sub-assemblies, of the sub-assemblies' BOMs, costed like
  Odoo's own work orders: cycles = ceil(BOM batches / work center capacity),
  minutes = setup + cleanup + cycles x cycle time x 100 / efficiency;
  overhead = the BOM's rate, or the company's when the BOM has none, on
  material. The rate is kept on the line so actual overhead uses it too.
- Actual: material = the line's share of the value of the component moves
  of its backflushes and reversals (Odoo's valuation; a move serves all the
  lines that use the component, shared by quantity), labour = hours
  recorded x hourly cost; hours recorded without a line are shared among
  the lines in proportion to their estimated labour.
- Finished goods valued at average or FIFO carry labour and overhead too:
  each receipt takes the overhead of the material it consumed and its share
  of the recorded labour not yet carried by earlier receipts; the receipt
  that completes a line takes all of it. At standard cost Odoo values
  receipts at the standard price whatever we pass: nothing is added there.
"""
import math
from collections import OrderedDict, defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..planning.bom import BomCache, is_expandable
from .planning_bridge import collect_structure, components_for

ELEMENTS = ('material', 'labour', 'overhead')
TOTAL_KEYS = [('cost_%s' % e) for e in ELEMENTS] + ['cost']
MAX_DEPTH = 100


def _money(string, **kwargs):
    return fields.Monetary(string, readonly=True, copy=False, **kwargs)


def _computed(string, method, **kwargs):
    return _money(string, compute=method, store=True, **kwargs)


def _pct(string, **kwargs):
    # an average of percentages is only indicative in pivots, but better than a sum
    return fields.Float(string, group_operator='avg', compute='_compute_cost_variance',
                        store=True, **kwargs)


class MrpJobOrderCostMixin(models.AbstractModel):
    """Actual cost and variance fields shared by job orders and their lines;
    each model brings its own ``_compute_cost_actual``."""
    _name = 'mrp.job.order.cost.mixin'
    _description = 'Job Order Cost Fields'

    # computed, not related: an abstract model has no company_id to relate to
    currency_id = fields.Many2one('res.currency', compute='_compute_currency_id')
    cost_material_estimated = _money('Estimated Material')
    cost_labour_estimated = _money('Estimated Labour')
    cost_overhead_estimated = _money('Estimated Overhead')
    cost_estimated = _money('Estimated Cost')
    cost_material_actual = _computed('Actual Material', '_compute_cost_actual')
    cost_labour_actual = _computed('Actual Labour', '_compute_cost_actual')
    cost_overhead_actual = _computed('Actual Overhead', '_compute_cost_actual')
    cost_actual = _computed('Actual Cost', '_compute_cost_actual')
    cost_material_variance = _computed('Material Variance', '_compute_cost_variance')
    cost_labour_variance = _computed('Labour Variance', '_compute_cost_variance')
    cost_overhead_variance = _computed('Overhead Variance', '_compute_cost_variance')
    cost_variance = _computed('Variance', '_compute_cost_variance',
                              help='Actual minus estimated cost: positive when it cost more.')
    cost_material_variance_pct = _pct('Material Variance (%)')
    cost_labour_variance_pct = _pct('Labour Variance (%)')
    cost_overhead_variance_pct = _pct('Overhead Variance (%)')
    cost_variance_pct = _pct('Variance (%)', help='Variance over estimated cost, in percent.')

    def _compute_currency_id(self):
        for record in self:
            record.currency_id = record.company_id.currency_id or \
                self.env.user.company_id.currency_id

    @api.depends('cost_material_estimated', 'cost_labour_estimated', 'cost_overhead_estimated',
                 'cost_estimated', 'cost_material_actual', 'cost_labour_actual',
                 'cost_overhead_actual', 'cost_actual')
    def _compute_cost_variance(self):
        for record in self:
            for key in TOTAL_KEYS:
                estimated = record[key + '_estimated']
                variance = record[key + '_actual'] - estimated
                record[key + '_variance'] = variance
                record[key + '_variance_pct'] = 100.0 * variance / estimated if estimated else 0.0


class MrpJobOrderLineCost(models.Model):
    _name = 'mrp.job.order.line'
    _inherit = ['mrp.job.order.line', 'mrp.job.order.cost.mixin']

    cost_overhead_rate = fields.Float(
        'Overhead Rate (%)', readonly=True, copy=False, digits=(16, 4),
        help='Rate of the estimate (the BOM\'s, else the company\'s), used for the actual '
             'overhead too.')
    cost_labour_absorbed = _money(
        'Labour in Finished Goods',
        help='Recorded labour carried into the value of the finished goods received so far.')
    labour_ids = fields.One2many('mrp.job.order.labour', 'line_id', string='Labour')

    @api.model
    def create(self, vals):
        line = super(MrpJobOrderLineCost, self).create(vals)
        # a line added to a confirmed job order gets its estimate when added
        if line.job_order_id.state in ('confirmed', 'in_progress'):
            line._check_confirmable()
            line._write_cost_estimates()
        return line

    # -- estimate -------------------------------------------------------------
    def _write_cost_estimates(self):
        for line, values in self._prepare_cost_estimates().items():
            line.write(values)
        # labour without a line is shared by estimated labour
        self.mapped('job_order_id.line_ids')._recompute_actual_costs()

    @api.multi
    def unlink(self):
        orders = self.mapped('job_order_id')
        result = super(MrpJobOrderLineCost, self).unlink()
        orders.exists().mapped('line_ids')._recompute_actual_costs()
        return result

    def _prepare_cost_estimates(self):
        """{line: estimated cost values}, component prices read once per company."""
        result = OrderedDict()
        for company in self.mapped('job_order_id.company_id'):
            lines = self.filtered(lambda l: l.job_order_id.company_id == company)
            needs = OrderedDict((line, components_for(line, line.product_qty)) for line in lines)
            totals = defaultdict(float)
            for components in needs.values():
                for product, qty in components:
                    totals[product] += qty
            unit_costs = self._component_unit_costs(totals, company)
            for line, components in needs.items():
                result[line] = line._prepare_cost_estimate(components, unit_costs)
        return result

    def _prepare_cost_estimate(self, components, unit_costs):
        currency = self.job_order_id.company_id.currency_id
        material = currency.round(sum(qty * unit_costs[product.id]
                                      for product, qty in components))
        labour = currency.round(self._estimate_labour())
        rate = self.bom_id.overhead_rate or self.job_order_id.company_id.job_order_overhead_rate
        overhead = currency.round(material * rate / 100.0)
        return {
            'cost_material_estimated': material,
            'cost_labour_estimated': labour,
            'cost_overhead_estimated': overhead,
            'cost_estimated': material + labour + overhead,
            'cost_overhead_rate': rate,
        }

    @api.model
    def _component_unit_costs(self, totals, company):
        """{product id: unit cost (product UoM)} for {product: qty needed}."""
        products = self.env['product.product'].browse([p.id for p in totals]).with_context(
            force_company=company.id)
        fifo = products.filtered(lambda p: p.cost_method == 'fifo')
        layers = defaultdict(list)
        if fifo:
            # one search for every FIFO component; oldest layers first, as _run_fifo takes them
            Move = self.env['stock.move'].sudo()
            domain = [('product_id', 'in', fifo.ids), ('remaining_qty', '>', 0.0)] + \
                Move._get_in_base_domain(company_id=company.id)
            for move in Move.search(domain, order='date, id'):
                layers[move.product_id.id].append((move.remaining_qty, move.remaining_value))
        costs = {}
        for product in products:
            qty = totals[product]
            if product.id in layers and qty > 0:
                costs[product.id] = self._fifo_value(layers[product.id], qty,
                                                     product.standard_price) / qty
            else:
                costs[product.id] = product.standard_price
        return costs

    @staticmethod
    def _fifo_value(layers, qty, fallback_price):
        """Value of ``qty`` taken from FIFO ``layers`` [(qty, value)]; beyond
        them, at the last layer's price like Odoo values negative stock."""
        value, left, price = 0.0, qty, fallback_price
        for layer_qty, layer_value in layers:
            price = layer_value / layer_qty
            taken = min(layer_qty, left)
            value += taken * price
            left -= taken
            if left <= 0:
                return value
        return value + left * price

    def _estimate_labour(self):
        self.ensure_one()
        return sum(self._operation_minutes(operation, batches) / 60.0
                   * operation.workcenter_id.costs_hour
                   for bom, batches in self._routing_batches()
                   for operation in bom.routing_id.operation_ids)

    @staticmethod
    def _operation_minutes(operation, batches):
        """Odoo's expected duration of a work order (mrp.production)."""
        workcenter = operation.workcenter_id
        cycles = math.ceil(float_round(batches / (workcenter.capacity or 1.0),
                                       precision_digits=6))
        efficiency = (workcenter.time_efficiency or 100.0) / 100.0
        return workcenter.time_start + workcenter.time_stop + \
            cycles * operation.time_cycle / efficiency

    def _routing_batches(self):
        """[(mrp.bom, batches)]: the line's BOM and, when the line explodes
        sub-assemblies, every sub-assembly BOM made inside it; batches are
        multiples of the BOM quantity (summed when a sub-assembly recurs)."""
        bom, product = self.bom_id, self.product_id
        if not bom:
            return []
        qty_bom = self.product_uom_id._compute_quantity(self.product_qty, bom.product_uom_id,
                                                        round=False)
        batches = OrderedDict([(bom.id, qty_bom / bom.product_qty)])
        if self.explode_subassemblies:
            products, boms = collect_structure(self.env, product, self.job_order_id.company_id,
                                               {product.id: bom})
            cache = BomCache(products, boms)
            qty = self.product_uom_id._compute_quantity(self.product_qty, product.uom_id,
                                                        round=False)
            todo = [(product.id, qty, 0)]
            while todo:
                product_id, qty, depth = todo.pop()
                if depth > MAX_DEPTH:
                    raise UserError(_('The bills of materials of %s are nested too deep (a '
                                      'cycle?).') % product.display_name)
                for component, unit_qty in cache.unit_components(product_id):
                    if not is_expandable(products, component):
                        continue
                    sub_bom = boms[products[component].bom_id]
                    sub_qty = qty * unit_qty
                    batches[sub_bom.id] = batches.get(sub_bom.id, 0.0) + \
                        sub_qty / (sub_bom.product_qty * sub_bom.uom_ratio)
                    todo.append((component, sub_qty, depth + 1))
        Bom = self.env['mrp.bom']
        return [(Bom.browse(bom_id), qty) for bom_id, qty in batches.items() if qty > 0]

    # -- actual -----------------------------------------------------------------
    # What the actual cost depends on beyond the line's own fields is
    # recomputed explicitly (_recompute_actual_costs), not declared with
    # api.depends: Odoo 11 runs searches for every such path of every record
    # created or written, whatever the value (about 5 queries per job order
    # line created by a generation, a quarter of the queries of a large
    # backflush). The triggers:
    # - the line's shares of component moves (mrp.job.order.consumption),
    #   created by backflushes and reversals (_move_components), and their
    #   values when the moves are revalued later (FIFO vacuum):
    #   stock.move.write;
    # - labour recorded on the job order without a line, shared by estimated
    #   labour: mrp.job.order.labour create/write/unlink, and the estimates
    #   (_write_cost_estimates) and lines (unlink) of the job order.
    @api.depends('labour_ids.cost', 'cost_overhead_rate')
    def _compute_cost_actual(self):
        material = self._actual_material()
        labour = self._actual_labour()
        for line in self:
            currency = line.currency_id
            line.cost_material_actual = currency.round(material.get(line.id, 0.0))
            line.cost_labour_actual = currency.round(labour.get(line.id, 0.0))
            line.cost_overhead_actual = currency.round(
                line.cost_material_actual * line.cost_overhead_rate / 100.0)
            line.cost_actual = line.cost_material_actual + line.cost_labour_actual + \
                line.cost_overhead_actual

    def _recompute_actual_costs(self):
        # what modified() does for a dependency: forget the cached values,
        # mark them to recompute; then recompute (and the job order totals)
        if not self:
            return
        names = ['cost_material_actual', 'cost_labour_actual', 'cost_overhead_actual',
                 'cost_actual']
        self.invalidate_cache(names, self.ids)
        for name in names:
            self.env.add_todo(self._fields[name], self)
        self.recompute()

    def _actual_material(self):
        """{line id: net value consumed}: the line's shares of the component
        moves, negative for consumption, positive for reversals."""
        ids = [line_id for line_id in self.ids if isinstance(line_id, int)]
        if not ids:
            return {}
        rows = self.env['mrp.job.order.consumption'].sudo().read_group(
            [('line_id', 'in', ids)], ['line_id', 'value'], ['line_id'])
        return {row['line_id'][0]: -(row['value'] or 0.0) for row in rows}

    def _actual_labour(self):
        result = defaultdict(float)
        for order in self.mapped('job_order_id'):
            lines = order.line_ids
            shared = 0.0
            for entry in order.sudo().labour_ids:
                if entry.line_id and entry.line_id in lines:
                    result[entry.line_id.id] += entry.cost
                else:
                    shared += entry.cost
            if shared:
                for line, part in self._allocate(shared, lines, order.company_id.currency_id):
                    result[line.id] += part
        return result

    @staticmethod
    def _allocate(amount, lines, currency):
        """Share ``amount`` among ``lines`` by estimated labour (else by
        estimated cost, else equally); the last line takes the rounding rest
        so the shares add up to the amount exactly."""
        weights = lines.mapped('cost_labour_estimated')
        if not sum(weights):
            weights = lines.mapped('cost_estimated')
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

    # -- finished goods -------------------------------------------------------
    def _labour_to_absorb(self, qty):
        """Recorded labour a receipt of ``qty`` (line UoM) carries: its share
        of what earlier receipts did not carry (all of it when it completes
        the line). Only products valued at average or FIFO take it."""
        self.ensure_one()
        if self.product_id.cost_method not in ('average', 'fifo'):
            return 0.0
        open_labour = self.cost_labour_actual - self.cost_labour_absorbed
        if open_labour <= 0 or self.qty_remaining <= 0:
            return 0.0
        return self.currency_id.round(open_labour * min(qty / self.qty_remaining, 1.0))
