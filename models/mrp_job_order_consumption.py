"""Shares of job order lines in the component moves of a backflush.

A backflush consumes each component in one move for all the lines that use
it (and a reverse brings it back the same way): a few dozen moves for a
large multi job order instead of one per line and component. What each line
consumed, and its part of the move's value, is kept here; the actual
material cost of a line is the sum of its shares (see
mrp.job.order.line._compute_cost_actual).

Odoo 19 keeps the value on the move (stock_account's ``stock.move.value``),
positive whichever the direction; a share is signed: negative for
components consumed (an outgoing, valued move), positive for components
brought back (an incoming one).
"""

from odoo import api, fields, models


class MrpJobOrderConsumption(models.Model):
    _name = "mrp.job.order.consumption"
    _description = "Job Order Line Share of a Component Move"
    _order = "move_id, id"

    move_id = fields.Many2one(
        "stock.move",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        string="Stock Move",
    )
    line_id = fields.Many2one(
        "mrp.job.order.line",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        string="Job Order Line",
    )
    # plain fields set at creation, not related ones: nothing here changes
    # once written, and related fields would cost searches on every move
    job_order_id = fields.Many2one("mrp.job.order", index=True, readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    product_qty = fields.Float(
        "Quantity",
        digits="Product Unit",
        readonly=True,
        help="In the unit of the product.",
    )
    value = fields.Float(
        readonly=True,
        digits=0,
        help="The line's part of the value of the move, in proportion to the quantity: "
        "negative for components consumed, positive for components brought back.",
    )

    @api.model
    def _signed_value(self, move):
        """The move's value with the sign of a share: Odoo 19 values
        outgoing and incoming moves alike, positively."""
        if move.is_out or (move.state != "done" and move._is_out()):
            return -move.value
        return move.value

    @api.model
    def _create_shares(self, move, shares):
        """``shares``: [(job order line, qty in the product's UoM)] of one
        done move; the values split the move's value exactly."""
        return self._create_shares_batch([(move, shares)])

    @api.model
    def _create_shares_batch(self, moves_shares):
        """``moves_shares``: [(move, [(line, qty)])]; every share created in
        one ``create``."""
        vals_list = []
        for move, shares in moves_shares:
            values = self._split(move, [qty for _line, qty in shares])
            vals_list.extend(
                {
                    "move_id": move.id,
                    "line_id": line.id,
                    "job_order_id": move.job_order_id.id,
                    "company_id": move.company_id.id,
                    "product_id": move.product_id.id,
                    "product_qty": qty,
                    "value": value,
                }
                for (line, qty), value in zip(shares, values, strict=True)
            )
        return self.create(vals_list)

    @api.model
    def _split(self, move, quantities):
        """The move's (signed) value in proportion to ``quantities``; the
        last share takes the rest, so they add up to it exactly (lines round
        their totals, as they did the values of their own moves)."""
        total_value = self._signed_value(move)
        total_qty = sum(quantities)
        values, given = [], 0.0
        for index, qty in enumerate(quantities):
            if index == len(quantities) - 1:
                value = total_value - given
            else:
                value = total_value * qty / total_qty if total_qty else 0.0
            given += value
            values.append(value)
        return values

    def _resplit(self):
        """After the value of their moves changed (a correction of Odoo's
        valuation, a manual adjustment); ``self``: every share of those moves
        (stock.move.write passes them)."""
        for move, shares in self.grouped("move_id").items():
            for share, value in zip(
                shares, self._split(move, shares.mapped("product_qty")), strict=True
            ):
                if share.value != value:
                    share.value = value
        return True
