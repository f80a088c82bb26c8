import json

from odoo import _, api, fields, models

from .mrp_job_order_demand import SOURCES


class MrpJobOrderRun(models.Model):
    """Log of every generation, from the wizard or the schedule."""
    _name = 'mrp.job.order.run'
    _description = 'Job Order Generation Run'
    _order = 'id desc'

    name = fields.Char(compute='_compute_name')
    user_id = fields.Many2one('res.users', string='Run By', readonly=True,
                              default=lambda self: self.env.user)
    company_id = fields.Many2one('res.company', readonly=True, index=True)
    profile_id = fields.Many2one('mrp.job.order.profile', readonly=True, index=True,
                                 ondelete='set null')
    date = fields.Datetime(readonly=True, default=fields.Datetime.now, index=True)
    duration = fields.Float('Duration (s)', readonly=True, digits=(16, 2))
    parameters = fields.Text(readonly=True)
    demand_count = fields.Integer('Demand Considered', readonly=True)
    planned_count = fields.Integer('Demand Planned', readonly=True)
    created_ids = fields.Many2many('mrp.job.order', 'mrp_job_order_run_created_rel', 'run_id',
                                   'job_order_id', string='Created', readonly=True)
    updated_ids = fields.Many2many('mrp.job.order', 'mrp_job_order_run_updated_rel', 'run_id',
                                   'job_order_id', string='Updated', readonly=True)
    created_count = fields.Integer(compute='_compute_counts')
    updated_count = fields.Integer(compute='_compute_counts')
    skipped_ids = fields.One2many('mrp.job.order.run.skip', 'run_id', string='Skipped',
                                  readonly=True)
    skipped_count = fields.Integer(readonly=True)
    errors = fields.Text(readonly=True)
    state = fields.Selection([('done', 'Done'), ('warning', 'Done with Errors'),
                              ('failed', 'Failed')], readonly=True, default='done')

    def _compute_name(self):
        for run in self:
            run.name = _('Generation of %s') % run.date

    @api.depends('created_ids', 'updated_ids')
    def _compute_counts(self):
        for run in self:
            run.created_count = len(run.created_ids)
            run.updated_count = len(run.updated_ids)

    @api.model
    def _log(self, params, raw, result, created, updated, errors, duration, profile=None):
        by_key = {d['key']: d for d in raw}
        skipped = [s for s in result.skipped if s.reason != 'not_selected']
        Planner = self.env['mrp.job.order.planner']
        run = self.create({
            'company_id': params['company_id'],
            'profile_id': profile.id if profile else False,
            'duration': duration,
            'parameters': json.dumps(params, sort_keys=True, default=str),
            'demand_count': len(raw),
            'planned_count': len({key for line in result.iter_lines()
                                  for key, _qty in line.allocations}),
            'created_ids': [(6, 0, created.ids)],
            'updated_ids': [(6, 0, updated.ids)],
            'skipped_count': len(skipped),
            'errors': '\n'.join(errors) or False,
            'state': 'warning' if errors else 'done',
            'skipped_ids': [(0, 0, {
                'source': by_key[s.demand_key]['source'],
                'reference': by_key[s.demand_key]['reference'],
                'product_id': by_key[s.demand_key]['product_id'],
                'product_qty': s.qty,
                'reason': Planner._reason_text(s.reason),
            }) for s in skipped],
        })
        return run

    @api.multi
    def action_view_job_orders(self):
        self.ensure_one()
        action = self.env.ref('mrp_job_order.action_mrp_job_order').read()[0]
        action['domain'] = [('id', 'in', (self.created_ids | self.updated_ids).ids)]
        return action


class MrpJobOrderRunSkip(models.Model):
    _name = 'mrp.job.order.run.skip'
    _description = 'Demand Not Planned by a Run'

    run_id = fields.Many2one('mrp.job.order.run', required=True, ondelete='cascade', index=True)
    source = fields.Selection(SOURCES)
    reference = fields.Char()
    product_id = fields.Many2one('product.product')
    product_qty = fields.Float('Quantity')
    reason = fields.Char()


class MrpJobOrderRunLock(models.Model):
    """One row per company, locked and touched by every generation so that
    two generations never plan from the same snapshot (see the planner)."""
    _name = 'mrp.job.order.run.lock'
    _description = 'Job Order Generation Lock'

    company_id = fields.Many2one('res.company', required=True, index=True)

    _sql_constraints = [('company_uniq', 'unique(company_id)', 'One lock per company.')]

    @api.model
    def _acquire(self, company):
        cr = self.env.cr
        cr.execute('SELECT id FROM mrp_job_order_run_lock WHERE company_id = %s', (company.id,))
        row = cr.fetchone()
        if not row:
            # normally created with the company (see _create_missing)
            row = (self.sudo().create({'company_id': company.id}).id,)
        # FOR UPDATE waits for a concurrent generation; the UPDATE makes any
        # later FOR UPDATE from an older snapshot fail to serialise (retried)
        cr.execute('SELECT id FROM mrp_job_order_run_lock WHERE id = %s FOR UPDATE', row)
        cr.execute('UPDATE mrp_job_order_run_lock SET write_date = now() at time zone \'UTC\' '
                   'WHERE id = %s', row)

    @api.model
    def _create_missing(self):
        """At install and with each new company: the lock row exists before
        two generations could race to create it."""
        companies = self.env['res.company'].sudo().search([])
        have = self.sudo().search([]).mapped('company_id')
        for company in companies - have:
            self.sudo().create({'company_id': company.id})
