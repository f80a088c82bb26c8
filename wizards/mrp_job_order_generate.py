import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.mrp_job_order import PRIORITIES
from ..models.mrp_job_order_demand import SKIP_REASONS, SOURCES


def _key_text(key):
    return json.dumps(list(key))


class MrpJobOrderGenerate(models.TransientModel):
    """Generate job orders from demand: preview, untick, generate."""

    _name = "mrp.job.order.generate"
    _description = "Generate Job Orders"
    _inherit = ["mrp.job.order.generate.params"]

    line_ids = fields.One2many(
        "mrp.job.order.generate.line", "wizard_id", string="Preview"
    )
    group_ids = fields.One2many(
        "mrp.job.order.generate.group", "wizard_id", string="Proposed Job Orders"
    )
    previewed = fields.Boolean(readonly=True)
    summary = fields.Text(readonly=True)
    run_id = fields.Many2one("mrp.job.order.run", readonly=True)
    manual_line_ids = fields.One2many(
        "mrp.job.order.generate.manual",
        "wizard_id",
        string="Quantities to Make",
        help="Quantities typed here are planned as manual demand, besides the sources.",
    )

    def _has_manual_demand(self):
        return bool(self.manual_line_ids)

    def _params_dict(self):
        values = super()._params_dict()
        for line in self.manual_line_ids:
            if line.product_qty < 0:
                raise UserError(
                    self.env._(
                        "The quantity to make of %s cannot be negative.",
                        line.product_id.display_name,
                    )
                )
        warehouse = self.warehouse_ids[:1] or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        values["manual"] = [
            (
                line.product_id.id,
                line.product_uom_id._compute_quantity(
                    line.product_qty, line.product_id.uom_id
                ),
                fields.Date.context_today(self),
                line.reference or "",
                warehouse.id,
            )
            for line in self.manual_line_ids
            if line.product_qty > 0
        ]
        return values

    def action_preview(self):
        """Fill the preview; nothing else is written. Reopens the wizard."""
        self.ensure_one()
        self._action_preview()
        return self._reopen()

    def _action_preview(self):
        self.ensure_one()
        self._check_params()
        unselected = self._unselected()
        raw, result, errors, already_planned = self.env["mrp.job.order.planner"]._plan(
            self._params_dict(), unselected
        )
        self.line_ids.unlink()
        self.group_ids.unlink()
        groups = self.env["mrp.job.order.generate.group"].create(
            [self._prepare_preview_group(proposal) for proposal in result.proposals]
        )
        self.write(
            {
                "line_ids": [
                    fields.Command.create(vals)
                    for vals in self._prepare_preview_lines(raw, result, groups)
                ],
                "previewed": True,
                "summary": self._summary(result, errors, already_planned),
            }
        )

    def _prepare_preview_group(self, proposal):
        return {
            "wizard_id": self.id,
            "name": self._proposal_label(proposal),
            "product_count": len({line.product_id for line in proposal.lines}),
            "warehouse_id": proposal.warehouse_id or False,
            "partner_id": proposal.partner_id or False,
        }

    def _unselected(self):
        return {
            self._parse_key(line.demand_key)
            for line in self.line_ids
            if not line.selected
        }

    @staticmethod
    def _parse_key(text):
        value = json.loads(text)
        return tuple(value)

    def _prepare_preview_lines(self, raw, result, groups):
        proposal_of = {}
        for proposal, group in zip(result.proposals, groups, strict=True):
            for line in proposal.lines:
                for key, qty in line.allocations:
                    proposal_of[key] = (group, qty)
        reasons = {s.demand_key: s for s in result.skipped}
        lines = []
        for demand in raw:
            key = demand["key"]
            skipped = reasons.get(key)
            planned = proposal_of.get(key)
            lines.append(
                {
                    "demand_key": _key_text(key),
                    "source": demand["source"],
                    "reference": demand["reference"],
                    "partner_id": demand["partner_id"] or False,
                    "product_id": demand["product_id"],
                    "product_qty": demand["qty"],
                    "planned_qty": planned[1] if planned else 0.0,
                    "date": demand["date"] or False,
                    "priority": str(min(int(demand["priority"] or 0), 3)),
                    "proposal": planned[0].name if planned else False,
                    "group_id": planned[0].id if planned else False,
                    "selected": not (skipped and skipped.reason == "not_selected"),
                    "reason": skipped.reason if skipped else False,
                    "sale_line_id": demand["record_id"]
                    if demand["source"] == "sale"
                    else False,
                }
            )
        return lines

    def _proposal_label(self, proposal):
        names = []
        if proposal.mode == "mono":
            product = self.env["product.product"].browse(proposal.lines[0].product_id)
            names.append(product.display_name)
        else:
            for model, value in (
                ("res.partner", proposal.partner_id),
                ("account.analytic.account", proposal.project_id),
                ("sale.order", proposal.sale_order_id),
            ):
                if value:
                    names.append(self.env[model].browse(value).display_name)
        warehouse = self.env["stock.warehouse"].browse(proposal.warehouse_id)
        mode = self.env._("Mono") if proposal.mode == "mono" else self.env._("Multi")
        return "%s: %s (%s)" % (
            mode,
            ", ".join(names) or self.env._("no grouping value"),
            warehouse.code or "",
        )

    def _summary(self, result, errors, already_planned=0):
        lines = sum(len(p.lines) for p in result.proposals)
        text = self.env._(
            "%(orders)s job order(s) with %(lines)s line(s) proposed; %(skipped)s "
            "demand line(s) not planned.",
            orders=len(result.proposals),
            lines=lines,
            skipped=len(result.skipped),
        )
        if already_planned:
            text += " " + self.env._(
                "%s demand line(s) already planned on job orders.", already_planned
            )
        if errors:
            text += "\n" + self.env._("Errors:") + "\n" + "\n".join(errors)
        return text

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Generate Job Orders"),
        }

    def action_generate(self):
        """Create or update job orders with pegging, and open them; more
        demand than the company's threshold goes to the background."""
        self.ensure_one()
        if self._demand_count() > self.company_id.job_order_background_threshold:
            return self.action_generate_background()
        run = self._action_generate()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order"
        )
        action["domain"] = [("id", "in", (run.created_ids | run.updated_ids).ids)]
        action["context"] = {}
        # the title of the list the planner lands on tells what happened,
        # and so does a toast, with the way to the run log
        action["name"] = action["display_name"] = self._run_summary(run)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if run.state == "warning" else "success",
                "title": self.env._("Job orders generated"),
                "message": self._run_summary(run, link=True),
                "links": [
                    {
                        "label": self.env._("run log"),
                        "url": "/odoo/action-mrp_job_order.action_mrp_job_order_run/%d"
                        % run.id,
                    }
                ],
                "next": action,
            },
        }

    def _action_generate(self):
        """Generate; return the run log. Refuses (writing nothing) when
        nothing is to plan."""
        self.ensure_one()
        unselected = self._checked_selection()
        run = self.env["mrp.job.order.planner"]._generate(
            self._params_dict(), unselected
        )
        if not run.created_ids and not run.updated_ids:
            # the refusal rolls the run log back with the rest: say why here
            raise UserError(run._nothing_planned_message())
        self.run_id = run
        return run

    def _demand_count(self):
        if self.previewed:
            return len(self.line_ids.filtered("selected"))
        return len(
            self.env["mrp.job.order.demand.source"]._collect(self._params_dict())[0]
        )

    def action_generate_background(self):
        """Queue the generation (planned once, written in chunks by the job
        queue); open its run log, which shows the progress."""
        self.ensure_one()
        run = self._action_generate_background()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order_run"
        )
        action.update(res_id=run.id, view_mode="form", views=[(False, "form")])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Generation queued"),
                "message": self.env._(
                    "The job orders are generated in the background; you will be "
                    "notified when it ends."
                ),
                "next": action,
            },
        }

    def _checked_selection(self):
        """The demand keys unticked in the preview, once the parameters are
        valid and something is left ticked."""
        self._check_params()
        unselected = self._unselected()
        if self.previewed and self.line_ids and len(unselected) == len(self.line_ids):
            raise UserError(
                self.env._(
                    "Every line of the preview is unticked: tick the demand to plan."
                )
            )
        return unselected

    def _action_generate_background(self):
        self.ensure_one()
        unselected = self._checked_selection()
        Run = self.env["mrp.job.order.run"]
        Run._check_no_background(self.company_id)
        run = Run._enqueue(self._params_dict(), unselected)
        self.run_id = run
        return run

    def _run_summary(self, run, link=False):
        """What a generation did; with ``link``, "%s" stands for the link
        to the run log (a toast's placeholder)."""
        values = {
            "created": len(run.created_ids),
            "updated": len(run.updated_ids),
            "skipped": run.skipped_count,
        }
        if link:
            return self.env._(
                "%(created)s job order(s) created, %(updated)s updated, %(skipped)s "
                "demand line(s) skipped — see the %%s",
                **values,
            )
        return self.env._(
            "%(created)s job order(s) created, %(updated)s updated, %(skipped)s demand "
            "line(s) skipped — see the run log",
            **values,
        )


class MrpJobOrderGenerateLine(models.TransientModel):
    _name = "mrp.job.order.generate.line"
    _description = "Generate Job Orders: Preview Line"
    _order = "selected desc, proposal, date, id"

    wizard_id = fields.Many2one(
        "mrp.job.order.generate", required=True, ondelete="cascade"
    )
    demand_key = fields.Char(required=True)
    selected = fields.Boolean(default=True, help="Untick to leave this demand out.")
    source = fields.Selection(SOURCES, readonly=True)
    reference = fields.Char("Document", readonly=True)
    sale_line_id = fields.Many2one("sale.order.line", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_qty = fields.Float(
        "Quantity",
        digits="Product Unit",
        readonly=True,
        help="Demand not planned yet, product unit.",
    )
    planned_qty = fields.Float(
        "To Plan",
        digits="Product Unit",
        readonly=True,
        help="What generation will put on job orders.",
    )
    date = fields.Date(readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    proposal = fields.Char("Proposed Job Order", readonly=True)
    group_id = fields.Many2one(
        "mrp.job.order.generate.group", readonly=True, ondelete="set null"
    )
    reason = fields.Selection(SKIP_REASONS, string="Not Planned Because", readonly=True)


class MrpJobOrderGenerateGroup(models.TransientModel):
    """A job order the preview proposes, with its totals; ticks or unticks
    all of its demand at once."""

    _name = "mrp.job.order.generate.group"
    _description = "Generate Job Orders: Proposed Job Order"
    _order = "id"

    wizard_id = fields.Many2one(
        "mrp.job.order.generate", required=True, ondelete="cascade"
    )
    name = fields.Char("Proposed Job Order", readonly=True)
    line_ids = fields.One2many("mrp.job.order.generate.line", "group_id", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_count = fields.Integer("Products", readonly=True)
    demand_count = fields.Integer("Demand Lines", compute="_compute_totals")
    planned_qty = fields.Float(
        "To Plan",
        digits="Product Unit",
        compute="_compute_totals",
        help="Total quantity of its selected demand, product units.",
    )
    selected = fields.Boolean(
        compute="_compute_totals", help="Every demand line of this job order is ticked."
    )

    @api.depends("line_ids.selected", "line_ids.planned_qty")
    def _compute_totals(self):
        for group in self:
            chosen = group.line_ids.filtered("selected")
            group.demand_count = len(chosen)
            group.planned_qty = sum(chosen.mapped("planned_qty"))
            group.selected = bool(group.line_ids) and len(chosen) == len(group.line_ids)

    def action_select(self):
        """Tick every demand line of these proposed job orders."""
        return self._set_selected(True)

    def action_unselect(self):
        """Untick every demand line of these proposed job orders; the next
        preview or the generation leaves them out."""
        return self._set_selected(False)

    def _set_selected(self, selected):
        self.line_ids.write({"selected": selected})
        return self.wizard_id[:1]._reopen()


class MrpJobOrderGenerateManual(models.TransientModel):
    """A quantity typed by the planner: planned as 'manual' demand."""

    _name = "mrp.job.order.generate.manual"
    _description = "Generate Job Orders: Quantity to Make"

    wizard_id = fields.Many2one(
        "mrp.job.order.generate", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one("product.product", required=True)
    product_qty = fields.Float("Quantity", digits="Product Unit", default=1.0)
    product_uom_id = fields.Many2one("uom.uom", string="Unit", required=True)
    reference = fields.Char(
        "Document", help="e.g. the purchase order made instead of bought."
    )
    purchase_line_id = fields.Many2one("purchase.order.line")

    @api.onchange("product_id")
    def _onchange_product_id(self):
        self.product_uom_id = self.product_id.uom_id
