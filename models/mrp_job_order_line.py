from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round

QTY = dp.get_precision('Product Unit of Measure')
# Beyond this a quantity is a typing accident, not a plan (and float
# arithmetic on it would lose the units).
MAX_QTY = 1e9


class MrpJobOrderLine(models.Model):
    """One product to make on a job order, with the demand it covers."""
    _name = 'mrp.job.order.line'
    _description = 'Job Order Line'
    _order = 'job_order_id desc, sequence, id'

    job_order_id = fields.Many2one('mrp.job.order', required=True, ondelete='cascade',
                                   index=True, string='Job Order')
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        'product.product', required=True, index=True,
        domain=[('type', 'in', ('product', 'consu'))], help='The product to make.')
    bom_id = fields.Many2one(
        'mrp.bom', string='Bill of Materials',
        help='How to make it; proposed from the product. Its components are what transfers '
             'and backflushes move.')
    product_qty = fields.Float('Quantity', digits=QTY, required=True, default=1.0,
                               help='Quantity to make, in the unit of the line.')
    product_uom_id = fields.Many2one('product.uom', string='Unit', required=True,
                                     help='Unit of the quantities; proposed from the BOM.')
    qty_transferred = fields.Float(
        digits=QTY, readonly=True, copy=False,
        help='Quantity (in units of the line) whose components were issued: transferred to '
             'WIP or taken from stock at backflush.')
    qty_produced = fields.Float(digits=QTY, readonly=True, copy=False)
    qty_remaining = fields.Float(compute='_compute_qty_remaining', store=True, digits=QTY)
    explode_subassemblies = fields.Boolean(
        default=lambda self: self._default_explode(),
        help='Ticked: components of sub-assemblies are transferred and consumed directly. '
             'Unticked: sub-assemblies are consumed as stock items.')
    date_deadline = fields.Datetime('Deadline', help='When this product must be ready.')
    demand_ids = fields.One2many('mrp.job.order.demand', 'line_id', string='Covered Demand')
    # not stored: the pegging holds it, and a stored many2many would cost a
    # DELETE and an INSERT for every line a generation creates
    sale_line_ids = fields.Many2many(
        'sale.order.line', compute='_compute_sale_lines', search='_search_sale_lines',
        string='Sales Order Lines')
    move_ids = fields.One2many('stock.move', 'job_order_line_id', string='Stock Moves',
                               help='Finished goods received (and returned by reversals).')
    consumption_ids = fields.One2many(
        'mrp.job.order.consumption', 'line_id', string='Components Consumed',
        help="The line's shares of the component moves of backflushes and reversals.")
    # header data, for the detailed list and the analysis
    state = fields.Selection(related='job_order_id.state', store=True, readonly=True)
    mode = fields.Selection(related='job_order_id.mode', store=True, readonly=True)
    priority = fields.Selection(related='job_order_id.priority', store=True, readonly=True)
    partner_id = fields.Many2one(related='job_order_id.partner_id', store=True, readonly=True)
    company_id = fields.Many2one(related='job_order_id.company_id', store=True, readonly=True)
    warehouse_id = fields.Many2one(related='job_order_id.warehouse_id', store=True,
                                   readonly=True)
    user_id = fields.Many2one(related='job_order_id.user_id', store=True, readonly=True)
    date_planned_start = fields.Datetime(related='job_order_id.date_planned_start', store=True,
                                         readonly=True)
    type_id = fields.Many2one(related='job_order_id.type_id', store=True, readonly=True)

    @api.model
    def _default_explode(self):
        order = self.env['mrp.job.order'].browse(self.env.context.get('default_job_order_id'))
        job_type = order.type_id if order else self.env['mrp.job.order']._default_type()
        return job_type.explode_subassemblies if job_type else True

    @api.multi
    def name_get(self):
        return [(line.id, '%s: %s' % (line.job_order_id.name, line.product_id.display_name))
                for line in self]

    @api.depends('product_qty', 'qty_produced')
    def _compute_qty_remaining(self):
        for line in self:
            line.qty_remaining = float_round(line.product_qty - line.qty_produced,
                                             precision_rounding=line.product_uom_id.rounding
                                             or 0.001)

    @api.depends('demand_ids.sale_line_id')
    def _compute_sale_lines(self):
        for line in self:
            line.sale_line_ids = line.demand_ids.mapped('sale_line_id')

    def _search_sale_lines(self, operator, value):
        return [('demand_ids.sale_line_id', operator, value)]

    @api.onchange('product_id')
    def _onchange_product_id(self):
        if not self.product_id:
            return
        company = self.job_order_id.company_id or self.env.user.company_id
        bom = self.env['mrp.bom']._bom_find(product=self.product_id, company_id=company.id)
        self.bom_id = bom
        self.product_uom_id = bom.product_uom_id if bom else self.product_id.uom_id

    @api.onchange('bom_id')
    def _onchange_bom_id(self):
        if self.bom_id:
            self.product_uom_id = self.bom_id.product_uom_id

    @api.model
    def _prepare_defaults(self, vals):
        """BOM and unit from the product when the caller left them out."""
        vals = dict(vals)
        product = self.env['product.product'].browse(vals['product_id'])
        if not vals.get('bom_id'):
            order = self.env['mrp.job.order'].browse(vals.get('job_order_id'))
            bom = self.env['mrp.bom']._bom_find(product=product, company_id=order.company_id.id)
            vals['bom_id'] = bom.id
        if not vals.get('product_uom_id'):
            bom = self.env['mrp.bom'].browse(vals['bom_id'])
            vals['product_uom_id'] = (bom.product_uom_id or product.uom_id).id
        return vals

    @api.model
    def create(self, vals):
        if vals.get('product_id'):
            vals = self._prepare_defaults(vals)
        if vals.get('job_order_id') and vals.get('demand_ids'):
            # pegging created with the line gets its job order from here,
            # not by reading back the line being created
            vals = dict(vals, demand_ids=[
                (0, 0, dict(command[2], job_order_id=vals['job_order_id']))
                if command[0] == 0 else command for command in vals['demand_ids']])
        line = super(MrpJobOrderLine, self).create(vals)
        if not self.env.context.get('job_order_no_manual_demand'):
            line._sync_manual_demand()
        return line

    @api.multi
    def write(self, vals):
        if any(key in vals for key in ('product_id', 'bom_id', 'product_uom_id')):
            started = self.filtered(lambda l: l.qty_transferred or l.qty_produced)
            if started:
                raise UserError(_('The product, BOM and unit of %s cannot change: its '
                                  'components were already issued.')
                                % started[0].product_id.display_name)
        result = super(MrpJobOrderLine, self).write(vals)
        if 'product_qty' in vals or 'product_uom_id' in vals or 'product_id' in vals:
            for line in self:
                if float_compare(line.product_qty, line.qty_transferred,
                                 precision_rounding=line.product_uom_id.rounding) < 0:
                    raise UserError(_('The quantity of %s cannot be less than what was already '
                                      'transferred (%s).') % (line.product_id.display_name,
                                                              line.qty_transferred))
            if not self.env.context.get('job_order_no_manual_demand'):
                self._sync_manual_demand()
        return result

    @api.multi
    def unlink(self):
        if any(line.qty_transferred or line.qty_produced for line in self):
            raise UserError(_('A line whose components were issued cannot be deleted.'))
        return super(MrpJobOrderLine, self).unlink()

    def _sync_manual_demand(self):
        """Lines entered by hand cover 'manual' demand of their own quantity,
        so that pegging always explains every quantity."""
        Demand = self.env['mrp.job.order.demand']
        for line in self:
            others = line.demand_ids.filtered(lambda d: d.source != 'manual')
            covered = sum(others.mapped('product_qty'))
            qty = line.product_uom_id._compute_quantity(line.product_qty,
                                                        line.product_id.uom_id) - covered
            manual = line.demand_ids.filtered(lambda d: d.source == 'manual')
            if float_compare(qty, 0.0, precision_rounding=line.product_id.uom_id.rounding) <= 0:
                manual.unlink()
            elif manual:
                manual[0].write({'product_qty': qty, 'product_id': line.product_id.id})
                manual[1:].unlink()
            else:
                Demand.create(line._prepare_manual_demand(qty))

    def _prepare_manual_demand(self, qty):
        return {
            'line_id': self.id,
            'source': 'manual',
            'product_id': self.product_id.id,
            'product_qty': qty,
            'date': self.date_deadline or self.job_order_id.date_deadline
            or fields.Datetime.now(),
            'partner_id': self.job_order_id.partner_id.id,
        }

    @api.constrains('product_qty')
    def _check_qty(self):
        for line in self:
            if line.product_qty <= 0:
                raise ValidationError(_('The quantity of %s must be positive.')
                                      % line.product_id.display_name)
            if line.product_qty > MAX_QTY:
                raise ValidationError(_('%s %s of %s is not a realistic quantity: check the '
                                        'number typed.') % (line.product_qty,
                                                            line.product_uom_id.name,
                                                            line.product_id.display_name))

    @api.constrains('product_uom_id', 'product_id')
    def _check_uom(self):
        for line in self:
            if line.product_uom_id.category_id != line.product_id.uom_id.category_id:
                raise ValidationError(
                    _('Unit %s cannot measure %s (its unit is %s, of another category).')
                    % (line.product_uom_id.name, line.product_id.display_name,
                       line.product_id.uom_id.name))

    def _check_confirmable(self):
        for line in self:
            product = line.product_id
            if float_compare(line.product_qty, 0.0,
                             precision_rounding=line.product_uom_id.rounding) <= 0:
                raise UserError(_('The quantity of %s must be positive.') % product.display_name)
            # sudo: a BOM of another company is unreadable to the user, and
            # saying so is the point of the check
            bom = line.bom_id.sudo()
            if not bom:
                raise UserError(_('%s has no bill of materials: create one, or remove the '
                                  'line.') % product.display_name)
            if not bom.active:
                raise UserError(_('The bill of materials of %s is archived.')
                                % product.display_name)
            if bom.company_id and bom.company_id != line.job_order_id.company_id:
                raise UserError(_('The bill of materials of %s belongs to another company.')
                                % product.display_name)
            if bom.product_tmpl_id != product.product_tmpl_id or \
                    (bom.product_id and bom.product_id != product):
                raise UserError(_('Bill of materials %s does not make %s.')
                                % (bom.display_name, product.display_name))
            if bom.type != 'normal':
                raise UserError(_('Bill of materials %s is a kit: kits are not manufactured.')
                                % bom.display_name)
            if line.product_uom_id.category_id != product.uom_id.category_id:
                raise UserError(_('Unit %s cannot measure %s.') % (line.product_uom_id.name,
                                                                  product.display_name))
            line._check_untracked()

    def _check_untracked(self):
        """Job orders move goods without lots or serial numbers: refuse
        tracked products up front rather than fail in the middle of a move."""
        from .planning_bridge import components_for
        for line in self:
            tracked = [p for p, _qty in components_for(line, line.product_qty)
                       if p.tracking != 'none']
            if line.product_id.tracking != 'none':
                tracked.insert(0, line.product_id)
            if tracked:
                raise UserError(_('%s is tracked by lots or serial numbers, which job orders do '
                                  'not handle: produce it with a manufacturing order.')
                                % ', '.join(p.display_name for p in tracked))
