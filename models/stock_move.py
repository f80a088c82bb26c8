from odoo import api, fields, models


class StockMove(models.Model):
    _inherit = 'stock.move'

    job_order_id = fields.Many2one('mrp.job.order', index=True, readonly=True,
                                   string='Job Order')
    job_order_line_id = fields.Many2one('mrp.job.order.line', index=True, readonly=True,
                                        string='Job Order Line')
    job_order_finished = fields.Boolean(
        readonly=True, help='Finished goods of a job order (not a component).')
    job_order_consumption_ids = fields.One2many(
        'mrp.job.order.consumption', 'move_id', readonly=True,
        string='Job Order Line Shares',
        help='Components of a backflush or reverse: what each job order line took of the move.')

    @api.multi
    def write(self, vals):
        result = super(StockMove, self).write(vals)
        # the actual cost of job order lines follows the value of their moves
        # (see mrp.job.order.line._compute_cost_actual); job order flows
        # recompute it once at their end instead
        if 'value' in vals and not self.env.context.get('job_order_costs_deferred'):
            shares = self.sudo().mapped('job_order_consumption_ids')
            shares._resplit()
            lines = self.mapped('job_order_line_id') | shares.mapped('line_id')
            if lines:
                lines._recompute_actual_costs()
        return result
