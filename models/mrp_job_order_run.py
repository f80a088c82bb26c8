import json

from odoo import api, fields, models

from .mrp_job_order_demand import SKIP_REASONS, SOURCES


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
    demand_count = fields.Integer(
        'Demand Considered', readonly=True,
        help='Demand records read from the sources, those already planned included.')
    already_planned_count = fields.Integer(
        'Already Planned', readonly=True,
        help='Demand considered that job orders already cover: nothing new to plan for it.')
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

    @api.depends('date')
    def _compute_name(self):
        for run in self:
            run.name = self.env._('Generation of %s', run.date)

    @api.depends('created_ids', 'updated_ids')
    def _compute_counts(self):
        for run in self:
            run.created_count = len(run.created_ids)
            run.updated_count = len(run.updated_ids)

    @api.model
    def _log(self, params, raw, result, created, updated, errors, duration, profile=None,
             already_planned=0):
        by_key = {d['key']: d for d in raw}
        skipped = [s for s in result.skipped if s.reason != 'not_selected']
        run = self.create({
            'company_id': params['company_id'],
            'profile_id': profile.id if profile else False,
            'duration': duration,
            'parameters': json.dumps(params, sort_keys=True, default=str),
            'demand_count': len(raw) + already_planned,
            'already_planned_count': already_planned,
            'planned_count': len({key for line in result.iter_lines()
                                  for key, _qty in line.allocations}),
            'created_ids': [fields.Command.set(created.ids)],
            'updated_ids': [fields.Command.set(updated.ids)],
            'skipped_count': len(skipped),
            'errors': '\n'.join(errors) or False,
            'state': 'warning' if errors else 'done',
            'skipped_ids': [fields.Command.create({
                'source': by_key[s.demand_key]['source'],
                'reference': by_key[s.demand_key]['reference'],
                'product_id': by_key[s.demand_key]['product_id'],
                'product_qty': s.qty,
                'reason': s.reason,
            }) for s in skipped],
        })
        return run

    def _nothing_planned_message(self):
        """Why a run created and updated nothing, in a planner's words."""
        self.ensure_one()
        if not self.demand_count:
            return self.env._('Nothing to plan: no demand found with these parameters.')
        if self.already_planned_count and self.already_planned_count == self.demand_count:
            return self.env._(
                'Nothing to plan: the %s demand line(s) considered are already planned on '
                'job orders.', self.demand_count)
        return self.env._(
            'Nothing to plan: %(count)s demand line(s) considered, %(planned)s of them already '
            'planned on job orders, none of the others plannable. Preview to see why for each '
            'line.', count=self.demand_count, planned=self.already_planned_count)

    def action_view_job_orders(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'mrp_job_order.action_mrp_job_order')
        action['domain'] = [('id', 'in', (self.created_ids | self.updated_ids).ids)]
        return action


class MrpJobOrderRunSkip(models.Model):
    _name = 'mrp.job.order.run.skip'
    _description = 'Demand Not Planned by a Run'

    run_id = fields.Many2one('mrp.job.order.run', required=True, ondelete='cascade', index=True)
    source = fields.Selection(SOURCES)
    reference = fields.Char()
    product_id = fields.Many2one('product.product')
    product_qty = fields.Float('Quantity', digits='Product Unit')
    reason = fields.Selection(SKIP_REASONS, string='Not Planned Because')


class MrpJobOrderRunLock(models.Model):
    """One row per company, locked and touched by every generation so that
    two generations never plan from the same snapshot (see the planner)."""
    _name = 'mrp.job.order.run.lock'
    _description = 'Job Order Generation Lock'

    company_id = fields.Many2one('res.company', required=True, index=True)

    _company_uniq = models.Constraint('unique(company_id)', 'One lock per company.')

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
        self.sudo().create([{'company_id': company.id} for company in companies - have])
        return True
