"""Costs on the job order: estimated totals (sum of the lines), the
estimate at confirmation and on request, labour entries, and the labour and
overhead that finished goods carry into stock. The fields and the line side
are in mrp_job_order_cost.py."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import formatLang

from .mrp_job_order_cost import TOTAL_KEYS, _computed


class MrpJobOrderCost(models.Model):
    _name = 'mrp.job.order'
    _inherit = ['mrp.job.order', 'mrp.job.order.cost.mixin']

    cost_material_estimated = _computed('Estimated Material', '_compute_cost_estimated')
    cost_labour_estimated = _computed('Estimated Labour', '_compute_cost_estimated')
    cost_overhead_estimated = _computed('Estimated Overhead', '_compute_cost_estimated')
    cost_estimated = _computed('Estimated Cost', '_compute_cost_estimated',
                               help='Frozen at confirmation; a manager may re-estimate a job '
                                    'order that has not started.')
    cost_estimated_date = fields.Datetime('Estimated On', readonly=True, copy=False,
                                          help='When the component prices were read.')
    labour_ids = fields.One2many('mrp.job.order.labour', 'job_order_id', string='Labour',
                                 copy=False)
    labour_hours = fields.Float('Hours Worked', compute='_compute_labour_hours',
                                digits=(16, 2))

    @api.depends('line_ids.cost_material_estimated', 'line_ids.cost_labour_estimated',
                 'line_ids.cost_overhead_estimated', 'line_ids.cost_estimated')
    def _compute_cost_estimated(self):
        self._sum_line_costs('_estimated')

    @api.depends('line_ids.cost_material_actual', 'line_ids.cost_labour_actual',
                 'line_ids.cost_overhead_actual', 'line_ids.cost_actual')
    def _compute_cost_actual(self):
        self._sum_line_costs('_actual')

    def _sum_line_costs(self, suffix):
        for order in self:
            for key in TOTAL_KEYS:
                order[key + suffix] = sum(order.line_ids.mapped(key + suffix))

    @api.depends('labour_ids.hours')
    def _compute_labour_hours(self):
        for order in self:
            order.labour_hours = sum(order.labour_ids.mapped('hours'))

    @api.model
    def _default_type(self):
        company = self.env['res.company']._company_default_get('mrp.job.order')
        return company.job_order_type_id or super(MrpJobOrderCost, self)._default_type()

    # -- estimate -------------------------------------------------------------
    @api.multi
    def action_confirm(self):
        result = super(MrpJobOrderCost, self).action_confirm()
        self._estimate_costs()
        return result

    def _estimate_costs(self):
        self.mapped('line_ids')._write_cost_estimates()
        self.write({'cost_estimated_date': fields.Datetime.now()})

    @api.multi
    def action_reestimate(self):
        """Estimate again at today's prices and routings (managers only, not
        once started: the estimate is what the actual cost is judged by)."""
        if not self.env.user.has_group('mrp_job_order.group_job_order_manager'):
            raise AccessError(_('Only job order managers can re-estimate costs.'))
        for order in self:
            if order.state in ('in_progress', 'done'):
                raise UserError(_('Job order %s has started: its estimate stays as it was, to '
                                  'be compared with the actual cost.') % order.name)
            if order.state == 'cancel':
                raise UserError(_('Job order %s is cancelled.') % order.name)
            # a draft job order may not be estimable yet: say why in planner words
            order.line_ids._check_confirmable()
        before = {order.id: order.cost_estimated for order in self}
        self._estimate_costs()
        for order in self:
            order.message_post(body=_('Costs re-estimated at current prices: %s, was %s.') % (
                formatLang(self.env, order.cost_estimated, currency_obj=order.currency_id),
                formatLang(self.env, before[order.id], currency_obj=order.currency_id)))
        return True

    @api.multi
    def action_view_labour(self):
        self.ensure_one()
        action = self.env.ref('mrp_job_order.action_mrp_job_order_labour').read()[0]
        action['domain'] = [('job_order_id', '=', self.id)]
        action['context'] = {'default_job_order_id': self.id}
        return action

    # -- finished goods carry labour and overhead -------------------------------
    def _finished_price_unit(self, line, qty, consumed):
        price = super(MrpJobOrderCost, self)._finished_price_unit(line, qty, consumed)
        if line.product_id.cost_method not in ('average', 'fifo'):
            return price
        qty_product_uom = line.product_uom_id._compute_quantity(qty, line.product_id.uom_id)
        if not qty_product_uom:
            return price
        material = -sum(consumed.mapped('value'))
        overhead = material * line.cost_overhead_rate / 100.0
        return price + (overhead + line._labour_to_absorb(qty)) / qty_product_uom

    def _move_components(self, needs):
        shares = super(MrpJobOrderCost, self)._move_components(needs)
        self.env['mrp.job.order.line'].browse(list(shares))._recompute_actual_costs()
        return shares

    def _backflush_steps(self, steps, structures=None):
        # read before the receipts: _finished_price_unit sees the same state
        labour = [(line, line._labour_to_absorb(qty)) for line, qty, _w, _d in steps]
        result = super(MrpJobOrderCost, self)._backflush_steps(steps, structures)
        for line, value in labour:
            if value:
                line.cost_labour_absorbed += value
        return result

    @api.multi
    def _reverse(self, quantities):
        # reversed goods give back their share of the labour they carried;
        # the next receipt takes it again
        released = {}
        for line, qty in quantities.items():
            if line.cost_labour_absorbed and line.qty_produced > 0:
                released[line] = line.currency_id.round(
                    line.cost_labour_absorbed * min(qty / line.qty_produced, 1.0))
        result = super(MrpJobOrderCost, self)._reverse(quantities)
        for line, value in released.items():
            line.cost_labour_absorbed -= value
        return result
