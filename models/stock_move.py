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
        # the shares of job order lines follow the value of a component move
        # revalued after the backflush (e.g. by Odoo's FIFO vacuum), and so
        # does the actual cost of the lines
        if 'value' in vals:
            shares = self.filtered('job_order_id').sudo().mapped('job_order_consumption_ids')
            if shares:
                shares._resplit()
                shares.mapped('line_id')._recompute_actual_costs()
        return result
