"""Shares of job order lines in the component moves of a backflush.

A backflush consumes each component in one move for all the lines that use
it (and a reverse brings it back the same way): a few dozen moves for a
large multi job order instead of one per line and component, each of which
costs Odoo 11 about eighty queries. What each line consumed, and its part of
the move's value, is kept here; the actual material cost of a line is the
sum of its shares (see mrp.job.order.line._compute_cost_actual).
"""
from collections import OrderedDict

from odoo import api, fields, models
from odoo.addons import decimal_precision as dp


class MrpJobOrderConsumption(models.Model):
    _name = 'mrp.job.order.consumption'
    _description = 'Job Order Line Share of a Component Move'
    _order = 'move_id, id'

    move_id = fields.Many2one('stock.move', required=True, index=True, readonly=True,
                              ondelete='cascade', string='Stock Move')
    line_id = fields.Many2one('mrp.job.order.line', required=True, index=True, readonly=True,
                              ondelete='cascade', string='Job Order Line')
    # plain fields set at creation, not related ones: nothing here changes
    # once written, and related fields would cost searches on every move
    job_order_id = fields.Many2one('mrp.job.order', index=True, readonly=True,
                                   string='Job Order')
    company_id = fields.Many2one('res.company', index=True, readonly=True)
    product_id = fields.Many2one('product.product', required=True, readonly=True)
    product_qty = fields.Float('Quantity', digits=dp.get_precision('Product Unit of Measure'),
                               readonly=True, help='In the unit of the product.')
    value = fields.Float(
        readonly=True, digits=0,
        help="The line's part of the value of the move, in proportion to the quantity: "
             'negative for components consumed, positive for components brought back.')

    @api.model
    def _create_shares(self, move, shares):
        """``shares``: [(job order line, qty in the product's UoM)] of one
        done move; the values split the move's value exactly."""
        records = self.browse()
        for (line, qty), value in zip(shares, self._split(move, [qty for _l, qty in shares])):
            records |= self.create({
                'move_id': move.id, 'line_id': line.id, 'job_order_id': move.job_order_id.id,
                'company_id': move.company_id.id, 'product_id': move.product_id.id,
                'product_qty': qty, 'value': value})
        return records

    @api.model
    def _split(self, move, quantities):
        """The move's value in proportion to ``quantities``; the last share
        takes the rest, so they add up to it exactly (lines round their
        totals, as they did the values of their own moves)."""
        total_qty = sum(quantities)
        values, given = [], 0.0
        for index, qty in enumerate(quantities):
            if index == len(quantities) - 1:
                value = move.value - given
            else:
                value = move.value * qty / total_qty if total_qty else 0.0
            given += value
            values.append(value)
        return values

    @api.multi
    def _resplit(self):
        """After the value of their moves changed (FIFO vacuum, revaluation);
        ``self``: every share of those moves (stock.move.write passes them)."""
        by_move = OrderedDict()
        for share in self:
            by_move[share.move_id] = by_move.get(share.move_id, self.browse()) | share
        for move, shares in by_move.items():
            for share, value in zip(shares, self._split(move, shares.mapped('product_qty'))):
                if share.value != value:
                    share.value = value

    @api.model
    def _migrate_line_moves(self):
        """Component moves of a single line (made before 11.0.1.1.0) become
        one share each; lines recomputed. Run by the migration; harmless
        when repeated (moves with shares are skipped)."""
        moves = self.env['stock.move'].search([
            ('job_order_line_id', '!=', False), ('job_order_finished', '=', False),
            ('state', '=', 'done'), ('job_order_consumption_ids', '=', False), '|',
            ('location_id.usage', '=', 'production'),
            ('location_dest_id.usage', '=', 'production')])
        for move in moves:
            self._create_shares(move, [(move.job_order_line_id, move.product_qty)])
        moves.mapped('job_order_line_id')._recompute_actual_costs()
        return moves
