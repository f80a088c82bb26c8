import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from .. import planning
from ..planning.keys import stable_key
from .mrp_job_order_demand import SKIP_REASONS, SOURCES

_logger = logging.getLogger(__name__)

STATES = [
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("warning", "Done with Errors"),
    ("failed", "Failed"),
]


class MrpJobOrderRun(models.Model):
    """Log of every generation, from the wizard or the schedule."""

    _name = "mrp.job.order.run"
    _description = "Job Order Generation Run"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    user_id = fields.Many2one(
        "res.users", string="Run By", readonly=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    profile_id = fields.Many2one(
        "mrp.job.order.profile", readonly=True, index=True, ondelete="set null"
    )
    date = fields.Datetime(readonly=True, default=fields.Datetime.now, index=True)
    duration = fields.Float("Duration (s)", readonly=True, digits=(16, 2))
    parameters = fields.Text(readonly=True)
    demand_count = fields.Integer(
        "Demand Considered",
        readonly=True,
        help="Demand records read from the sources, those already planned included.",
    )
    already_planned_count = fields.Integer(
        "Already Planned",
        readonly=True,
        help="Demand considered that job orders already cover: nothing new to plan for "
        "it.",
    )
    planned_count = fields.Integer("Demand Planned", readonly=True)
    created_ids = fields.Many2many(
        "mrp.job.order",
        "mrp_job_order_run_created_rel",
        "run_id",
        "job_order_id",
        readonly=True,
    )
    updated_ids = fields.Many2many(
        "mrp.job.order",
        "mrp_job_order_run_updated_rel",
        "run_id",
        "job_order_id",
        readonly=True,
    )
    created_count = fields.Integer(compute="_compute_counts")
    updated_count = fields.Integer(compute="_compute_counts")
    skipped_ids = fields.One2many("mrp.job.order.run.skip", "run_id", readonly=True)
    skipped_count = fields.Integer(readonly=True)
    errors = fields.Text(readonly=True)
    state = fields.Selection(STATES, readonly=True, default="done", index=True)
    # background generation (queue_job): planned once, written in chunks
    background = fields.Boolean(readonly=True, help="Run by the job queue, in chunks.")
    background_data = fields.Text(
        readonly=True,
        groups="base.group_system",
        help="Parameters of a background run, as the planner got them.",
    )
    chunk_ids = fields.One2many(
        "mrp.job.order.run.chunk", "run_id", string="Chunks", readonly=True
    )
    chunk_count = fields.Integer("Number of Chunks", compute="_compute_progress")
    chunk_done_count = fields.Integer("Chunks Written", compute="_compute_progress")
    progress = fields.Float(
        compute="_compute_progress", help="Chunks written, in percent."
    )
    job_order_count = fields.Integer(
        "Job Orders So Far",
        compute="_compute_progress",
        help="Job orders created by the chunks written so far.",
    )

    @api.depends("date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Generation of %s", run.date)

    @api.depends("created_ids", "updated_ids")
    def _compute_counts(self):
        for run in self:
            run.created_count = len(run.created_ids)
            run.updated_count = len(run.updated_ids)

    @api.depends("chunk_ids.state", "state")
    def _compute_progress(self):
        for run in self:
            chunks = run.chunk_ids
            done = chunks.filtered(lambda c: c.state == "done")
            run.chunk_count = len(chunks)
            run.chunk_done_count = len(done)
            run.job_order_count = (
                len(done.created_ids)
                if run.state == "in_progress"
                else len(run.created_ids)
            )
            if run.state != "in_progress":
                run.progress = 100.0
            else:
                run.progress = 100.0 * len(done) / len(chunks) if chunks else 0.0

    @api.model
    def _log(
        self,
        params,
        raw,
        result,
        created,
        updated,
        errors,
        duration,
        profile=None,
        already_planned=0,
    ):
        values = self._prepare_outcome(params, raw, result, errors, already_planned)
        values.update(
            {
                "company_id": params["company_id"],
                "profile_id": profile.id if profile else False,
                "duration": duration,
                "parameters": json.dumps(params, sort_keys=True, default=str),
                "created_ids": [fields.Command.set(created.ids)],
                "updated_ids": [fields.Command.set(updated.ids)],
            }
        )
        return self.create(values)

    @api.model
    def _prepare_outcome(self, params, raw, result, errors, already_planned):
        """What a plan tells the log: demand counted, skipped, errors."""
        by_key = {d["key"]: d for d in raw}
        skipped = [s for s in result.skipped if s.reason != "not_selected"]
        return {
            "demand_count": len(raw) + already_planned,
            "already_planned_count": already_planned,
            "planned_count": len(
                {key for line in result.iter_lines() for key, _qty in line.allocations}
            ),
            "skipped_count": len(skipped),
            "errors": "\n".join(errors) or False,
            "state": "warning" if errors else "done",
            "skipped_ids": [
                fields.Command.create(
                    {
                        "source": by_key[s.demand_key]["source"],
                        "reference": by_key[s.demand_key]["reference"],
                        "product_id": by_key[s.demand_key]["product_id"],
                        "product_qty": s.qty,
                        "reason": s.reason,
                    }
                )
                for s in skipped
            ],
        }

    def _nothing_planned_message(self):
        """Why a run created and updated nothing, in a planner's words."""
        self.ensure_one()
        if not self.demand_count:
            return self.env._("Nothing to plan: no demand found with these parameters.")
        if (
            self.already_planned_count
            and self.already_planned_count == self.demand_count
        ):
            return self.env._(
                "Nothing to plan: the %s demand line(s) considered are already planned "
                "on job orders.",
                self.demand_count,
            )
        return self.env._(
            "Nothing to plan: %(count)s demand line(s) considered, %(planned)s of them "
            "already planned on job orders, none of the others plannable. Preview to "
            "see why for each line.",
            count=self.demand_count,
            planned=self.already_planned_count,
        )

    def action_view_job_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order"
        )
        action["domain"] = [("id", "in", (self.created_ids | self.updated_ids).ids)]
        return action

    # -- background generation (queue_job) ----------------------------------
    # demand lines written per chunk (one transaction each); a system
    # parameter of the same name overrides it
    _CHUNK_SIZE = 500
    _CHANNEL = "root.mrp_job_order"

    @api.model
    def _enqueue(self, params, unselected=(), profile=None):
        """Create an in-progress run and queue its preparation; return the
        run. The preparation plans, then queues one job per chunk and a
        final one that closes the run and tells the planner."""
        run = self.sudo().create(
            {
                "company_id": params["company_id"],
                "profile_id": profile.id if profile else False,
                "user_id": self.env.user.id,
                "state": "in_progress",
                "background": True,
                "parameters": json.dumps(params, sort_keys=True, default=str),
                "background_data": json.dumps(
                    planning.encode(
                        {
                            "params": params,
                            "unselected": sorted(unselected, key=stable_key),
                        }
                    )
                ),
            }
        )
        run.with_user(self.env.user).with_delay(
            channel=self._CHANNEL,
            description=self.env._("Job order generation: plan %s", run.display_name),
        )._job_prepare()
        return run

    @api.model
    def _blocking_runs(self, company):
        """Background runs of ``company`` not ended and not failed."""
        return self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", "in_progress")]
        )

    @api.model
    def _check_no_background(self, company):
        running = self._blocking_runs(company)
        if running:
            run = running[-1]
            progress = (
                self.env._(
                    "%(done)s of %(total)s chunks written",
                    done=run.chunk_done_count,
                    total=run.chunk_count,
                )
                if run.chunk_count
                else self.env._("waiting to be planned")
            )
            raise UserError(
                self.env._(
                    "A background generation of %(company)s is running (%(run)s: "
                    "%(progress)s). Generate again when it has ended: the run log "
                    "shows its progress.",
                    company=company.display_name,
                    run=run.display_name,
                    progress=progress,
                )
            )

    def _background_params(self):
        data = planning.decode(json.loads(self.sudo().background_data))
        return data["params"], {tuple(key) for key in data["unselected"]}

    def _planner(self):
        company = self.company_id
        return (
            self.env["mrp.job.order.planner"]
            .with_company(company)
            .with_context(company_id=company.id)
        )

    def _job_prepare(self):
        """Plan the whole demand once (stock netted and demand grouped over
        all of it), then queue the chunks that write the proposals. Retried
        as a whole: nothing is written before the plan is complete."""
        self.ensure_one()
        run = self.sudo()
        if run.state != "in_progress" or run.chunk_ids:
            return "Nothing to do: this run is %s." % run.state
        earlier = self._blocking_runs(run.company_id).filtered(lambda r: r.id < run.id)
        if earlier:
            # generations of a company follow one another: wait for the older
            raise RetryableJobError(
                "Waits for %s." % earlier[-1].display_name,
                seconds=30,
                ignore_retry=True,
            )
        params, unselected = run._background_params()
        planner = self._planner()
        planner._lock(run.company_id)
        reduced, (raw, result, errors, already_planned) = planner._reduce_and_plan(
            params, unselected
        )
        values = self._prepare_outcome(params, raw, result, errors, already_planned)
        values.pop("state")
        values["updated_ids"] = [fields.Command.set(reduced.ids)]
        by_key = {d["key"]: d for d in raw}
        values["chunk_ids"] = [
            fields.Command.create(
                run.chunk_ids._prepare_chunk(
                    sequence, [result.proposals[index] for index in indexes], by_key
                )
            )
            for sequence, indexes in enumerate(
                planning.chunk_proposals(result.proposals, self._chunk_size()), 1
            )
        ]
        run.write(values)
        self._delay_chunks()
        return "%d chunk(s) queued." % len(run.chunk_ids)

    @api.model
    def _chunk_size(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mrp_job_order.generation_chunk_size")
        )
        return max(1, int(value)) if value else self._CHUNK_SIZE

    def _delay_chunks(self):
        """One job per chunk, then the job that closes the run. The close
        polls instead of depending on the chunks: chunks finishing together
        would race to wake a dependent job up."""
        run = self.sudo()
        user = self.env.user
        for chunk in run.chunk_ids:
            job = (
                chunk.with_user(user)
                .with_delay(
                    channel=self._CHANNEL,
                    description=self.env._(
                        "Job order generation: chunk %(n)s of %(total)s of %(run)s",
                        n=chunk.sequence,
                        total=len(run.chunk_ids),
                        run=run.display_name,
                    ),
                )
                ._job_run()
            )
            chunk.job_uuid = job.uuid
        run.with_user(user).with_delay(
            channel=self._CHANNEL,
            priority=20,
            description=self.env._("Job order generation: close %s", run.display_name),
        )._job_finish()

    def _job_finish(self):
        """Close the run once every chunk is written, and tell the planner;
        until then, try again a few seconds later."""
        self.ensure_one()
        run = self.sudo()
        if run.state != "in_progress":
            return "Nothing to do: this run is %s." % run.state
        chunks = run.chunk_ids
        waiting = chunks.filtered(lambda chunk: chunk.state != "done")
        if waiting:
            given_up = (
                self.env["queue.job"]
                .sudo()
                .search(
                    [
                        ("uuid", "in", waiting.mapped("job_uuid")),
                        ("state", "in", ("failed", "cancelled")),
                    ]
                )
            )
            if not given_up:
                raise RetryableJobError(
                    "%d of %d chunks written."
                    % (len(chunks) - len(waiting), len(chunks)),
                    seconds=5,
                    ignore_retry=True,
                )
            # the runner gave up on a job without calling it back (found dead
            # too many times, or cancelled by hand)
            run._job_failed(
                exc_name=given_up[0].exc_name or given_up[0].state,
                exc_message=given_up[0].exc_message or given_up[0].result,
            )
            return "The run failed."
        created = chunks.created_ids
        run.write(
            {
                "state": "warning" if run.errors else "done",
                "created_ids": [fields.Command.set(created.ids)],
                "updated_ids": [
                    fields.Command.set(
                        (run.updated_ids | chunks.updated_ids - created).ids
                    )
                ],
                "duration": (fields.Datetime.now() - run.date).total_seconds(),
            }
        )
        run._notify_end()
        return "%d job order(s) created." % len(created)

    def _job_failed(self, exc_name=None, exc_message=None, exc_info=None):
        """queue_job gave up on a job of this run: the run failed, and says why."""
        self.ensure_one()
        run = self.sudo()
        run.write(
            {
                "state": "failed",
                "errors": "\n".join(
                    filter(None, [run.errors, "%s: %s" % (exc_name, exc_message)])
                ),
            }
        )
        run._notify_end()

    def _notify_end(self):
        self.ensure_one()
        if self.state == "failed":
            kind, message = (
                "danger",
                self.env._(
                    "%(run)s failed: %(errors)s",
                    run=self.display_name,
                    errors=self.errors,
                ),
            )
        else:
            kind = "warning" if self.state == "warning" else "success"
            message = self.env._(
                "%(run)s: %(created)s job order(s) created, %(updated)s updated, "
                "%(skipped)s demand line(s) skipped.",
                run=self.display_name,
                created=len(self.created_ids),
                updated=len(self.updated_ids),
                skipped=self.skipped_count,
            )
        self.user_id._bus_send(
            "simple_notification",
            {
                "type": kind,
                "title": self.env._("Background generation ended"),
                "message": message,
                "sticky": kind != "success",
            },
        )


class MrpJobOrderRunSkip(models.Model):
    _name = "mrp.job.order.run.skip"
    _description = "Demand Not Planned by a Run"

    run_id = fields.Many2one(
        "mrp.job.order.run", required=True, ondelete="cascade", index=True
    )
    source = fields.Selection(SOURCES)
    reference = fields.Char()
    product_id = fields.Many2one("product.product")
    product_qty = fields.Float("Quantity", digits="Product Unit")
    reason = fields.Selection(SKIP_REASONS, string="Not Planned Because")


class MrpJobOrderRunLock(models.Model):
    """One row per company, locked and touched by every generation so that
    two generations never plan from the same snapshot (see the planner)."""

    _name = "mrp.job.order.run.lock"
    _description = "Job Order Generation Lock"

    company_id = fields.Many2one("res.company", required=True, index=True)

    _company_uniq = models.Constraint("unique(company_id)", "One lock per company.")

    @api.model
    def _acquire(self, company):
        cr = self.env.cr
        cr.execute(
            "SELECT id FROM mrp_job_order_run_lock WHERE company_id = %s", (company.id,)
        )
        row = cr.fetchone()
        if not row:
            # normally created with the company (see _create_missing)
            row = (self.sudo().create({"company_id": company.id}).id,)
        # FOR UPDATE waits for a concurrent generation; the UPDATE makes any
        # later FOR UPDATE from an older snapshot fail to serialise (retried)
        cr.execute(
            "SELECT id FROM mrp_job_order_run_lock WHERE id = %s FOR UPDATE", row
        )
        cr.execute(
            "UPDATE mrp_job_order_run_lock SET write_date = now() at time zone 'UTC' "
            "WHERE id = %s",
            row,
        )

    @api.model
    def _create_missing(self):
        """At install and with each new company: the lock row exists before
        two generations could race to create it."""
        companies = self.env["res.company"].sudo().search([])
        have = self.sudo().search([]).mapped("company_id")
        self.sudo().create([{"company_id": company.id} for company in companies - have])
        return True
