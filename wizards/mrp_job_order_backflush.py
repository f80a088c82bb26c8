from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class MrpJobOrderBackflush(models.TransientModel):
    """Backflush (or, with ``reverse``, undo) quantities of a job order."""

    _name = "mrp.job.order.backflush"
    _description = "Backflush Job Order"

    job_order_id = fields.Many2one("mrp.job.order", required=True, readonly=True)
    reverse = fields.Boolean(
        readonly=True, help="Undo produced quantities instead of producing."
    )
    line_ids = fields.One2many(
        "mrp.job.order.backflush.line", "wizard_id", string="Lines"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["mrp.job.order"].browse(
            values.get("job_order_id") or self.env.context.get("default_job_order_id")
        )
        if order and "line_ids" in fields_list:
            reverse = values.get("reverse", self.env.context.get("default_reverse"))
            values["line_ids"] = [
                fields.Command.create(self._prepare_line(line, reverse))
                for line in order.line_ids
                if (line.qty_produced if reverse else line.qty_remaining) > 0
            ]
        return values

    @api.model
    def _prepare_line(self, line, reverse):
        # related values too: the client does not compute them for lines
        # that come from default_get
        return {
            "job_order_line_id": line.id,
            "product_id": line.product_id.id,
            "product_uom_id": line.product_uom_id.id,
            "qty_remaining": line.qty_remaining,
            "qty_produced": line.qty_produced,
            "qty_in_wip": max(line.qty_transferred - line.qty_produced, 0.0),
            "qty_to_produce": line.qty_produced if reverse else line.qty_remaining,
        }

    def action_validate(self):
        self._action_validate()
        return {"type": "ir.actions.act_window_close"}

    def _action_validate(self):
        self.ensure_one()
        self.job_order_id._check_own_lines(self.line_ids.job_order_line_id)
        quantities = {}
        for wizard_line in self.line_ids:
            line = wizard_line.job_order_line_id
            if float_is_zero(
                wizard_line.qty_to_produce,
                precision_rounding=line.product_uom_id.rounding,
            ):
                continue
            quantities[line] = quantities.get(line, 0.0) + wizard_line.qty_to_produce
        if not quantities:
            raise UserError(self.env._("Enter a quantity on at least one line."))
        if self.reverse:
            return self.job_order_id._reverse(quantities)
        return self.job_order_id._backflush(quantities)


class MrpJobOrderBackflushLine(models.TransientModel):
    _name = "mrp.job.order.backflush.line"
    _description = "Backflush Job Order Line"

    wizard_id = fields.Many2one(
        "mrp.job.order.backflush", required=True, ondelete="cascade"
    )
    job_order_line_id = fields.Many2one(
        "mrp.job.order.line", required=True, string="Line"
    )
    product_id = fields.Many2one(related="job_order_line_id.product_id")
    product_uom_id = fields.Many2one(related="job_order_line_id.product_uom_id")
    qty_remaining = fields.Float(related="job_order_line_id.qty_remaining")
    qty_produced = fields.Float(related="job_order_line_id.qty_produced")
    qty_in_wip = fields.Float(
        "In WIP",
        compute="_compute_qty_in_wip",
        digits="Product Unit",
        help="Quantity whose components wait in WIP.",
    )
    qty_to_produce = fields.Float(
        "Quantity",
        digits="Product Unit",
        help="Quantity to produce (or to reverse), in the line unit.",
    )

    @api.depends("job_order_line_id")
    def _compute_qty_in_wip(self):
        for line in self:
            job_line = line.job_order_line_id
            line.qty_in_wip = max(job_line.qty_transferred - job_line.qty_produced, 0.0)
