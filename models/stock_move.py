from odoo import api, fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    job_order_id = fields.Many2one(
        "mrp.job.order", index="btree_not_null", readonly=True
    )
    job_order_line_id = fields.Many2one(
        "mrp.job.order.line",
        index="btree_not_null",
        readonly=True,
    )
    job_order_finished = fields.Boolean(
        readonly=True, help="Finished goods of a job order (not a component)."
    )
    job_order_consumption_ids = fields.One2many(
        "mrp.job.order.consumption",
        "move_id",
        readonly=True,
        string="Job Order Line Shares",
        help="Components of a backflush or reverse: what each job order line took of "
        "the move.",
    )

    @api.depends("job_order_id.name")
    def _compute_reference(self):
        # moves of a backflush have no picking: they read as their job order
        res = super()._compute_reference()
        for move in self:
            if not move.reference and move.job_order_id.name:
                move.reference = move.job_order_id.name
        return res

    def _get_value_from_production(self, quantity, at_date=None):
        """What a job order receives from production is worth its unit
        price: finished goods what the backflush put in it (components,
        labour and overhead), as the finished goods of a manufacturing order
        are in mrp_account; components brought back by a reverse what they
        were consumed at."""
        self.ensure_one()
        if not (
            self.job_order_id
            and self.location_id.usage == "production"
            and self._is_in()
        ):
            return super()._get_value_from_production(quantity, at_date)
        value = quantity * self.price_unit
        return {
            "value": value,
            "quantity": quantity,
            "description": self.env._(
                "%(value)s for %(quantity)s %(unit)s from job order %(order)s",
                value=self.company_currency_id.format(value),
                quantity=quantity,
                unit=self.product_id.uom_id.name,
                order=self.job_order_id.display_name,
            ),
        }

    def write(self, vals):
        result = super().write(vals)
        # the shares of job order lines follow the value of a component move
        # revalued after the backflush (a correction of the valuation, a
        # manual adjustment), and so does the actual cost of the lines
        if "value" in vals:
            shares = self.filtered("job_order_id").sudo().job_order_consumption_ids
            if shares:
                shares._resplit()
                shares.line_id._recompute_actual_costs()
        return result
