from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError, ValidationError

PRIORITIES = [('0', 'Normal'), ('1', 'Important'), ('2', 'Urgent'), ('3', 'Very Urgent')]
STATES = [
    ('draft', 'Draft'),
    ('confirmed', 'Confirmed'),
    ('in_progress', 'In Progress'),
    ('done', 'Done'),
    ('cancel', 'Cancelled'),
]


class MrpJobOrder(models.Model):
    """A production job order: one product (mono) or several (multi) to make,
    with the demand each quantity covers (pegging)."""
    _name = 'mrp.job.order'
    _description = 'Production Job Order'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'priority desc, date_planned_start, id desc'

    name = fields.Char(
        string='Reference', required=True, copy=False, readonly=True, index=True,
        default=lambda self: _('New'))
    type_id = fields.Many2one(
        'mrp.job.order.type', string='Type', required=True, index=True,
        readonly=True, states={'draft': [('readonly', False)]},
        default=lambda self: self._default_type(),
        help='Document type: numbering, default mode and locations, shop-floor rules.')
    mode = fields.Selection(
        [('mono', 'Mono-product'), ('multi', 'Multi-product')], required=True,
        default='mono', readonly=True, states={'draft': [('readonly', False)]},
        track_visibility='onchange',
        help='Mono: every line is the same product. Multi: several products for one '
             'customer, project or sales order.')
    state = fields.Selection(STATES, default='draft', required=True, readonly=True,
                             copy=False, index=True, track_visibility='onchange',
                             group_expand='_expand_states')
    priority = fields.Selection(PRIORITIES, default='0', index=True, track_visibility='onchange',
                                help='Served first when stock is scarce.')
    partner_id = fields.Many2one(
        'res.partner', string='Customer', index=True, track_visibility='onchange',
        help='Customer the job order is made for (multi job orders group by it).')
    analytic_account_id = fields.Many2one(
        'account.analytic.account', string='Project', index=True,
        help='Project (analytic account) the job order belongs to.')
    sale_order_ids = fields.Many2many(
        'sale.order', 'mrp_job_order_sale_order_rel', 'job_order_id', 'sale_order_id',
        string='Sales Orders', copy=False)
    date_planned_start = fields.Datetime(
        string='Planned Start', default=fields.Datetime.now, index=True,
        track_visibility='onchange', help='When production is planned to start.')
    date_deadline = fields.Datetime(
        string='Deadline', index=True, track_visibility='onchange',
        help='When the finished goods must be ready.')
    user_id = fields.Many2one('res.users', string='Responsible', index=True,
                              default=lambda self: self.env.user, track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', required=True, index=True, readonly=True,
        states={'draft': [('readonly', False)]},
        default=lambda self: self.env['res.company']._company_default_get('mrp.job.order'))
    warehouse_id = fields.Many2one(
        'stock.warehouse', required=True, readonly=True, states={'draft': [('readonly', False)]},
        default=lambda self: self._default_warehouse())
    location_src_id = fields.Many2one(
        'stock.location', string='Components Location', required=True,
        domain=[('usage', '=', 'internal')],
        readonly=True, states={'draft': [('readonly', False)]},
        help='Where transfers take the components from.')
    location_wip_id = fields.Many2one(
        'stock.location', string='WIP Location', required=True,
        domain=[('usage', '=', 'internal')],
        readonly=True, states={'draft': [('readonly', False)]},
        help='Where transferred components wait until they are backflushed.')
    location_dest_id = fields.Many2one(
        'stock.location', string='Finished Goods Location', required=True,
        domain=[('usage', '=', 'internal')],
        readonly=True, states={'draft': [('readonly', False)]},
        help='Where finished goods are received.')
    line_ids = fields.One2many(
        'mrp.job.order.line', 'job_order_id', string='Lines', copy=True,
        readonly=True, states={'draft': [('readonly', False)], 'confirmed': [('readonly', False)]})
    picking_ids = fields.One2many('stock.picking', 'job_order_id', string='Transfers')
    move_ids = fields.One2many('stock.move', 'job_order_id', string='Stock Moves')
    demand_ids = fields.One2many('mrp.job.order.demand', 'job_order_id', string='Demand',
                                 help='The demand the lines cover (pegging).')
    picking_count = fields.Integer(compute='_compute_counts')
    move_count = fields.Integer(compute='_compute_counts')
    purchase_count = fields.Integer(compute='_compute_counts')
    origin = fields.Char(help='Documents this job order comes from.')
    note = fields.Text()
    product_qty = fields.Float(
        string='Quantity', compute='_compute_quantities', store=True,
        digits=dp.get_precision('Product Unit of Measure'), help='Total of the lines (in their units).')
    qty_produced = fields.Float(compute='_compute_quantities', store=True,
                                digits=dp.get_precision('Product Unit of Measure'))
    progress = fields.Float(compute='_compute_quantities', store=True, group_operator='avg',
                            help='Produced quantity over ordered quantity, in percent.')
    product_id = fields.Many2one('product.product', compute='_compute_product', store=True,
                                 string='Product', help='The product of a mono job order.')
    group_key = fields.Char(
        readonly=True, copy=False, index=True,
        help='What generation grouped in this job order (mode, warehouse, and product or '
             'customer/project/sales order); generation adds to open job orders by it.')
    disassembly = fields.Boolean(
        readonly=True, copy=False,
        help='Finished goods were taken out of stock and their components put back '
             '(a negative "add to inventory" from a BOM).')
    is_late = fields.Boolean(compute='_compute_is_late', search='_search_is_late')

    _sql_constraints = [
        ('name_company_uniq', 'unique(name, company_id)',
         'The reference of a job order must be unique per company.'),
    ]

    def _expand_states(self, states, domain, order):
        # kanban columns in workflow order, empty ones included
        return [key for key, _label in STATES]

    @api.model
    def _default_type(self):
        company = self.env['res.company']._company_default_get('mrp.job.order')
        return self.env['mrp.job.order.type']._default_for_company(company)

    @api.model
    def _default_warehouse(self):
        company = self.env['res.company']._company_default_get('mrp.job.order')
        return self.env['stock.warehouse'].search([('company_id', '=', company.id)], limit=1)

    @api.depends('line_ids.product_qty', 'line_ids.qty_produced')
    def _compute_quantities(self):
        for order in self:
            order.product_qty = sum(order.line_ids.mapped('product_qty'))
            order.qty_produced = sum(order.line_ids.mapped('qty_produced'))
            order.progress = (100.0 * order.qty_produced / order.product_qty
                              if order.product_qty else 0.0)

    @api.depends('line_ids.product_id', 'mode')
    def _compute_product(self):
        for order in self:
            products = order.line_ids.mapped('product_id')
            order.product_id = products if order.mode == 'mono' and len(products) == 1 else False

    def _compute_is_late(self):
        now = fields.Datetime.now()
        for order in self:
            order.is_late = bool(order.date_deadline and order.date_deadline < now
                                 and order.state not in ('done', 'cancel'))

    def _search_is_late(self, operator, value):
        late = [('date_deadline', '<', fields.Datetime.now()),
                ('state', 'not in', ('done', 'cancel'))]
        if (operator == '=') == bool(value):
            return ['&'] + late
        return ['!', '&'] + late

    def _compute_counts(self):
        Picking, Move = self.env['stock.picking'], self.env['stock.move']
        PurchaseLine = self.env['purchase.order.line']
        picking_data = Picking.read_group([('job_order_id', 'in', self.ids)],
                                          ['job_order_id'], ['job_order_id'])
        move_data = Move.read_group([('job_order_id', 'in', self.ids)],
                                    ['job_order_id'], ['job_order_id'])
        pickings = {d['job_order_id'][0]: d['job_order_id_count'] for d in picking_data}
        moves = {d['job_order_id'][0]: d['job_order_id_count'] for d in move_data}
        # sudo: counting needs no purchase rights, opening the list does
        purchase_data = PurchaseLine.sudo().read_group([('job_order_id', 'in', self.ids)],
                                                ['job_order_id', 'order_id'],
                                                ['job_order_id', 'order_id'], lazy=False)
        purchases = {}
        for row in purchase_data:
            key = row['job_order_id'][0]
            purchases[key] = purchases.get(key, 0) + 1
        for order in self:
            order.picking_count = pickings.get(order.id, 0)
            order.move_count = moves.get(order.id, 0)
            order.purchase_count = purchases.get(order.id, 0)

    # -- defaults from type and warehouse ------------------------------------
    @api.onchange('type_id')
    def _onchange_type_id(self):
        if self.type_id:
            self.mode = self.type_id.mode
            if self.type_id.warehouse_id:
                self.warehouse_id = self.type_id.warehouse_id
            self.update(self._prepare_locations(self.type_id, self.warehouse_id))

    @api.onchange('warehouse_id')
    def _onchange_warehouse_id(self):
        if self.warehouse_id:
            self.update(self._prepare_locations(self.type_id, self.warehouse_id))

    @api.model
    def _prepare_locations(self, job_type, warehouse):
        stock = warehouse.lot_stock_id
        return {
            'location_src_id': (job_type.location_src_id or stock).id,
            'location_wip_id': warehouse.wip_location_id.id,
            'location_dest_id': (job_type.location_dest_id or stock).id,
        }

    @api.model
    def create(self, vals):
        vals = dict(vals)
        job_type = self.env['mrp.job.order.type'].browse(vals.get('type_id')) \
            if vals.get('type_id') else self._default_type()
        vals.setdefault('type_id', job_type.id)
        vals.setdefault('company_id', job_type.company_id.id)
        if not vals.get('warehouse_id'):
            warehouse = job_type.warehouse_id or self.env['stock.warehouse'].search(
                [('company_id', '=', vals['company_id'])], limit=1)
            vals['warehouse_id'] = warehouse.id
        warehouse = self.env['stock.warehouse'].browse(vals['warehouse_id'])
        for key, value in self._prepare_locations(job_type, warehouse).items():
            if not vals.get(key):
                vals[key] = value
        if vals.get('name', _('New')) == _('New'):
            vals['name'] = job_type.sequence_id.next_by_id() or _('New')
        return super(MrpJobOrder, self.with_context(mail_create_nolog=True)).create(vals)

    @api.multi
    def unlink(self):
        if any(order.state not in ('draft', 'cancel') for order in self):
            raise UserError(_('Only draft or cancelled job orders can be deleted; '
                              'cancel the job order first.'))
        return super(MrpJobOrder, self).unlink()

    # -- consistency ----------------------------------------------------------
    @api.constrains('mode', 'line_ids')
    def _check_mono(self):
        for order in self:
            if order.mode == 'mono' and len(order.line_ids.mapped('product_id')) > 1:
                raise ValidationError(
                    _('Job order %s is mono-product: all its lines must be the same product. '
                      'Switch it to multi-product or move the other products to another '
                      'job order.') % order.name)

    @api.constrains('company_id', 'warehouse_id', 'location_src_id', 'location_wip_id',
                    'location_dest_id', 'type_id')
    def _check_company(self):
        # sudo: the user cannot read another company's records, and naming
        # them is the point of the message
        for order in self.sudo():
            for record in (order.type_id, order.warehouse_id, order.location_src_id,
                           order.location_wip_id, order.location_dest_id):
                if record.company_id and record.company_id != order.company_id:
                    raise ValidationError(
                        _('%s belongs to company %s, but job order %s belongs to %s.')
                        % (record.display_name, record.company_id.name, order.name,
                           order.company_id.name))
            for location in (order.location_src_id, order.location_wip_id,
                             order.location_dest_id):
                if location.usage != 'internal':
                    raise ValidationError(
                        _('Location %s is not an internal location; job orders take and '
                          'deliver goods in internal locations only.') % location.display_name)

    # -- lifecycle ------------------------------------------------------------
    def _state_label(self):
        """The state as the user reads it, in the user's language."""
        return dict(self._fields['state']._description_selection(self.env))[self.state]

    def _check_state(self, allowed, action):
        for order in self:
            if order.state not in allowed:
                raise UserError(_('Cannot %s job order %s: it is %s.') % (
                    action, order.name, order._state_label().lower()))

    @api.multi
    def action_confirm(self):
        self._check_state(('draft',), _('confirm'))
        for order in self:
            if not order.line_ids:
                raise UserError(_('Job order %s has no lines: add the products to make.')
                                % order.name)
            order.line_ids._check_confirmable()
        self.write({'state': 'confirmed'})
        return True

    @api.multi
    def action_cancel(self):
        self._check_state(('draft', 'confirmed', 'in_progress'), _('cancel'))
        produced = self.filtered(lambda o: any(line.qty_produced for line in o.line_ids))
        if produced:
            raise UserError(_('Job order %s has produced goods: reverse the produced quantity '
                              'first (button Reverse), then cancel.') % produced[0].name)
        for order in self:
            order.picking_ids.filtered(lambda p: p.state not in ('done', 'cancel')).action_cancel()
            order._return_wip_components()
        self.write({'state': 'cancel'})
        return True

    @api.multi
    def action_draft(self):
        self._check_state(('cancel',), _('reset to draft'))
        if any(line.qty_transferred for line in self.mapped('line_ids')):
            raise UserError(_('A job order whose components were transferred cannot go back to '
                              'draft; create a new one.'))
        self.write({'state': 'draft'})
        return True

    def _check_own_lines(self, lines):
        """Wizards act on lines of this job order only."""
        self.ensure_one()
        foreign = lines.filtered(lambda line: line.job_order_id != self)
        if foreign:
            raise UserError(_('Line %s does not belong to job order %s.')
                            % (foreign[0].product_id.display_name, self.name))

    @api.multi
    def _update_state(self):
        """State follows the quantities: started once anything moved, done
        when every line is fully produced."""
        for order in self.filtered(lambda o: o.state in ('confirmed', 'in_progress', 'done')):
            lines = order.line_ids
            if lines and all(line.qty_remaining <= 0 for line in lines):
                state = 'done'
            elif any(line.qty_transferred or line.qty_produced for line in lines):
                state = 'in_progress'
            else:
                state = 'confirmed'
            if state != order.state:
                order.state = state

    def _job_order_excess_activity(self):
        """A to-do for the responsible: demand planned here decreased."""
        self.ensure_one()
        excess = self.env['mrp.job.order.demand'].sudo().search(
            [('job_order_id', '=', self.id), ('excess_qty', '>', 0)])
        lines = ', '.join('%s %s %s (%s)' % (d.excess_qty, d.product_id.uom_id.name,
                                            d.product_id.display_name,
                                            d.sale_line_id.order_id.name or d.source)
                          for d in excess)
        self.env['mail.activity'].sudo().create({
            'res_model_id': self.env['ir.model']._get(self._name).id,
            'res_id': self.id,
            'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
            'user_id': self.user_id.id or self.env.uid,
            'summary': _('Demand decreased after planning'),
            'note': _('Planned beyond what is still ordered: %s. Reduce the job order, or run '
                      'generation with "update existing" to reduce it if it has not '
                      'started.') % lines,
        })

    @api.model
    def _cron_late_activities(self):
        """A to-do for the responsible of each late job order, once."""
        late = self.search([('is_late', '=', True)])
        summary = _('Job order late')
        Activity = self.env['mail.activity'].sudo()
        flagged = set(Activity.search([('res_model', '=', self._name), ('res_id', 'in', late.ids),
                                       ('summary', '=', summary)]).mapped('res_id'))
        todo = self.env.ref('mail.mail_activity_data_todo')
        model = self.env['ir.model']._get(self._name)
        for order in late.filtered(lambda o: o.id not in flagged):
            Activity.create({
                'res_model_id': model.id, 'res_id': order.id, 'activity_type_id': todo.id,
                'user_id': order.user_id.id or self.env.uid, 'summary': summary,
                'note': _('The deadline %s has passed and %s of %s are still to produce.')
                % (order.date_deadline, order.product_qty - order.qty_produced,
                   order.product_qty),
            })
        return True

    # -- navigation -----------------------------------------------------------
    @api.multi
    def action_view_pickings(self):
        self.ensure_one()
        action = self.env.ref('stock.action_picking_tree_all').read()[0]
        action['domain'] = [('job_order_id', '=', self.id)]
        action['context'] = {'default_job_order_id': self.id}
        if len(self.picking_ids) == 1:
            action['views'] = [(self.env.ref('stock.view_picking_form').id, 'form')]
            action['res_id'] = self.picking_ids.id
        return action

    @api.multi
    def action_view_moves(self):
        self.ensure_one()
        action = self.env.ref('stock.stock_move_action').read()[0]
        action['domain'] = [('job_order_id', '=', self.id)]
        action['context'] = {'search_default_done': 0}
        return action

    @api.multi
    def action_view_purchases(self):
        self.ensure_one()
        action = self.env.ref('purchase.purchase_form_action').read()[0]
        orders = self.env['purchase.order.line'].search(
            [('job_order_id', '=', self.id)]).mapped('order_id')
        action['domain'] = [('id', 'in', orders.ids)]
        return action
