import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class MrpJobOrderProfile(models.Model):
    """A saved set of generation parameters; the scheduled action runs every
    active profile."""

    _name = "mrp.job.order.profile"
    _description = "Job Order Generation Profile"
    _inherit = ["mrp.job.order.generate.params", "mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    run_ids = fields.One2many("mrp.job.order.run", "profile_id", string="Runs")
    last_run_id = fields.Many2one("mrp.job.order.run", compute="_compute_last_run")
    last_run_date = fields.Datetime(compute="_compute_last_run", string="Last Run On")

    def _compute_last_run(self):
        last = {}
        if self.ids:
            for profile, run_id in self.env["mrp.job.order.run"]._read_group(
                [("profile_id", "in", self.ids)], ["profile_id"], ["id:max"]
            ):
                last[profile.id] = run_id
        Run = self.env["mrp.job.order.run"]
        for profile in self:
            profile.last_run_id = Run.browse(last.get(profile.id))
            profile.last_run_date = profile.last_run_id.date

    @api.constrains(
        "use_sale",
        "use_forecast",
        "use_min_stock",
        "use_warehouse",
        "date_from",
        "date_to",
        "type_id",
        "company_id",
    )
    def _check_profile(self):
        try:
            self._check_params()
        except UserError as error:
            # a constraint must speak as a validation error, same words
            raise ValidationError(error.args[0]) from error

    def run(self):
        """Generate with these profiles' parameters, each as its company.
        Returns the ids of the run logs written (one per profile)."""
        return self._run().ids

    def _run(self):
        runs = self.env["mrp.job.order.run"]
        for profile in self:
            profile._check_params()
            company = profile.company_id
            planner = (
                self.env["mrp.job.order.planner"]
                .with_company(company)
                .with_context(company_id=company.id)
            )
            runs |= planner._generate(profile._params_dict(), profile=profile)
        return runs

    def action_run(self):
        runs = self._run()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_job_order.action_mrp_job_order_run"
        )
        action["domain"] = [("id", "in", runs.ids)]
        return action

    def _enqueue(self):
        """Queue a background generation of each profile, as its company;
        returns the run logs (in progress)."""
        runs = self.env["mrp.job.order.run"]
        for profile in self:
            profile._check_params()
            runs |= runs.with_company(profile.company_id)._enqueue(
                profile._params_dict(), profile=profile
            )
        return runs

    @api.model
    def _cron_generate(self):
        """Queue every active profile (the job queue plans and writes them,
        one after the other per company), each in its own savepoint: one
        profile refused is logged and the others go on."""
        for profile in self.search([]):
            try:
                with self.env.cr.savepoint():
                    profile._enqueue()
            except Exception as error:  # logged in a failed run, never hidden
                _logger.exception("Job order profile %s failed", profile.name)
                self.env["mrp.job.order.run"].sudo().create(
                    {
                        "company_id": profile.company_id.id,
                        "profile_id": profile.id,
                        "parameters": profile._params_json(),
                        "state": "failed",
                        "errors": "%s: %s" % (type(error).__name__, error),
                    }
                )
        return True
