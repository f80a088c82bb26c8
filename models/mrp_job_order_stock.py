"""Stock flows of job orders: transfer to WIP, backflush, reverse, return of
WIP components, purchase of missing components, scrap.

Every flow first computes and checks everything, then writes: a refusal
leaves the database as it was.
"""
from collections import OrderedDict, defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, split_every

from .planning_bridge import components_for, line_structures


class MrpJobOrder(models.Model):
    _inherit = 'mrp.job.order'

    # moves reserved or completed per call (see _do_moves)
    _MOVE_CHUNK = 25

    # -- helpers --------------------------------------------------------------
    def _production_locations(self, products):
        """{product id: its production location}, the property read for all
        the products at once."""
        result, fallback = {}, None
        for product in products:
            location = product.property_stock_production
            if not location:
                if fallback is None:
                    fallback = self.env['stock.location'].search(
                        [('usage', '=', 'production'),
                         ('company_id', 'in', (self.company_id.id, False))], limit=1)
                if not fallback:
                    raise UserError(_('No production location found for %s.')
                                    % product.display_name)
                location = fallback
            result[product.id] = location
        return result

    def _prepare_move(self, product, qty, uom, location, location_dest, line, picking=None):
        return {
            'name': '%s: %s' % (self.name, product.display_name),
            'product_id': product.id,
            'product_uom_qty': qty,
            'product_uom': uom.id,
            'location_id': location.id,
            'location_dest_id': location_dest.id,
            'company_id': self.company_id.id,
            'origin': self.name,
            'job_order_id': self.id,
            'job_order_line_id': line.id if line else False,
            'picking_id': picking.id if picking else False,
            'picking_type_id': picking.picking_type_id.id if picking else False,
            'warehouse_id': self.warehouse_id.id,
        }

    def _prepare_picking(self, location, location_dest):
        return {
            'picking_type_id': self.warehouse_id.int_type_id.id,
            'location_id': location.id,
            'location_dest_id': location_dest.id,
            'origin': self.name,
            'job_order_id': self.id,
            'company_id': self.company_id.id,
            'partner_id': self.partner_id.id,
        }

    def _available_qty(self, product, location):
        return product.with_context(location=location.id, compute_child=True).qty_available

    def _check_stock(self, needs, location):
        """``needs``: {product: qty}; raise with every shortage listed."""
        missing = []
        for product, qty in needs.items():
            if product.type != 'product':
                continue
            available = self._available_qty(product, location)
            if float_compare(available, qty, precision_rounding=product.uom_id.rounding) < 0:
                missing.append(_('%s: %s %s needed, %s available') % (
                    product.display_name, qty, product.uom_id.name, available))
        if missing:
            raise UserError(_('Not enough components in %s:\n%s\nReceive or buy them first '
                              '(button Purchase Missing), or use a job order type that allows '
                              'transfers without stock.') % (location.display_name,
                                                             '\n'.join(missing)))

    @staticmethod
    def _sum_needs(pairs, needs=None):
        needs = needs if needs is not None else OrderedDict()
        for product, qty in pairs:
            needs[product] = needs.get(product, 0.0) + qty
        return needs

    def _do_moves(self, vals_list):
        """Create, confirm and complete moves at once (the goods moved)."""
        Move = self.env['stock.move']
        if not vals_list:
            return Move.browse()
        # created with recomputation held back, then recomputed once before
        # anything reads them: each move added to a picking would otherwise
        # recompute the picking's stored fields over all its moves
        with self.env.norecompute():
            moves = Move.browse([Move.create(vals).id for vals in vals_list])
        moves.recompute()
        # no merging: each move stays tied to its job order line
        moves = moves._action_confirm(merge=False)
        # Odoo 11 computes a move's reserved and done quantities for every
        # move browsed with it, again after each move it reserves or
        # completes: quadratic on the hundreds of moves of a large job
        # order. Moves are handled a few at a time, in the same order, each
        # chunk browsed on its own; a picking's moves are completed together,
        # as Odoo would otherwise split the rest off as a backorder.
        chunks = [Move.browse(ids) for ids in split_every(self._MOVE_CHUNK, moves.ids)]
        for chunk in chunks:
            chunk._action_assign()
        for chunk in chunks:
            for move in chunk:
                move.quantity_done = move.product_uom_qty
        if moves.mapped('picking_id'):
            moves._action_done()
        else:
            for chunk in chunks:
                chunk._action_done()
        return moves

    # -- transfer -------------------------------------------------------------
    @api.multi
    def action_transfer(self, quantities=None):
        """Move to WIP the components of the quantity not yet transferred.

        ``quantities``: {line id: quantity in the line's UoM} to transfer
        less than the rest (the transfer wizard passes it).
        """
        self._check_state(('confirmed', 'in_progress'), _('transfer'))
        pickings = self.env['stock.picking']
        for order in self:
            plan = order._transfer_plan(quantities or {})
            if not plan:
                raise UserError(_('Nothing to transfer on job order %s: every component is '
                                  'already in WIP.') % order.name)
            needs = OrderedDict()
            for line, qty, components in plan:
                self._sum_needs(components, needs)
            if not order.type_id.allow_transfer_without_stock:
                order._check_stock(needs, order.location_src_id)
            pickings |= order._create_transfer(plan, order.location_src_id,
                                               order.location_wip_id)
            for line, qty, _components in plan:
                line.qty_transferred += qty
            order._update_state()
            order.message_post(body=_('Components transferred to %s: %s') % (
                order.location_wip_id.display_name, ', '.join(
                    '%s %s %s' % (qty, line.product_uom_id.name, line.product_id.display_name)
                    for line, qty, _c in plan)))
        return pickings

    def _transfer_plan(self, quantities):
        plan = []
        # BOM structures of all the lines read at once, not line by line
        structures = line_structures(self.line_ids)
        for line in self.line_ids:
            rest = line.product_qty - line.qty_transferred
            qty = quantities.get(line.id, rest)
            rounding = line.product_uom_id.rounding
            if float_compare(qty, rest, precision_rounding=rounding) > 0:
                raise UserError(_('Cannot transfer %s %s of %s: only %s are left to transfer.')
                                % (qty, line.product_uom_id.name, line.product_id.display_name,
                                   rest))
            if float_compare(qty, 0.0, precision_rounding=rounding) < 0:
                raise UserError(_('The quantity to transfer must be positive.'))
            if float_is_zero(qty, precision_rounding=rounding):
                continue
            plan.append((line, qty, components_for(line, qty, structures)))
        return plan

    def _create_transfer(self, plan, location, location_dest):
        """One picking, one move per component for all the lines of ``plan``:
        it reads as a pick list, and a move between two internal locations
        carries no value, so nothing the costs need is lost by not tying it
        to a line (consumption keeps each line's share, see
        _move_components)."""
        picking = self.env['stock.picking'].create(self._prepare_picking(location, location_dest))
        needs = OrderedDict()
        for _line, _qty, components in plan:
            self._sum_needs(components, needs)
        self._do_moves([self._prepare_move(product, qty, product.uom_id, location,
                                           location_dest, None, picking)
                        for product, qty in needs.items()])
        return picking

    def _return_wip_components(self):
        """Components still in WIP go back where transfers took them from."""
        plan = []
        for line in self.line_ids:
            in_wip = line.qty_transferred - line.qty_produced
            if float_compare(in_wip, 0.0, precision_rounding=line.product_uom_id.rounding) > 0:
                plan.append((line, in_wip, components_for(line, in_wip)))
        if plan:
            self._create_transfer(plan, self.location_wip_id, self.location_src_id)
            for line, qty, _components in plan:
                line.qty_transferred -= qty

    # -- backflush and reverse ----------------------------------------------
    @api.multi
    def action_backflush(self):
        """Open the backflush wizard, by default for the whole remaining quantity."""
        self.ensure_one()
        self._check_state(('confirmed', 'in_progress'), _('backflush'))
        return self._backflush_wizard(_('Backflush'), reverse=False)

    @api.multi
    def action_reverse(self):
        """Open the reverse wizard: undo a chosen produced quantity."""
        self.ensure_one()
        self._check_state(('in_progress', 'done'), _('reverse'))
        return self._backflush_wizard(_('Reverse Production'), reverse=True)

    def _backflush_wizard(self, title, reverse):
        # one wizard serves both directions; `reverse` picks produced lines
        return {
            'type': 'ir.actions.act_window',
            'name': title,
            'res_model': 'mrp.job.order.backflush',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_job_order_id': self.id, 'default_reverse': reverse},
        }

    @api.multi
    def _backflush(self, quantities):
        """Consume components and receive finished goods.

        ``quantities``: {line: qty in the line's UoM}. Components come from
        WIP for the transferred part, from the components location for the
        rest (if the type allows it).
        """
        self.ensure_one()
        self._check_state(('confirmed', 'in_progress'), _('backflush'))
        steps = []
        direct_needs = OrderedDict()
        # BOM structures of all the lines read at once, not line by line
        structures = line_structures(self.env['mrp.job.order.line'].concat(*quantities))
        for line, qty in quantities.items():
            rounding = line.product_uom_id.rounding
            if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
                raise UserError(_('The quantity to backflush must be positive (%s: %s).')
                                % (line.product_id.display_name, qty))
            if float_compare(qty, line.qty_remaining, precision_rounding=rounding) > 0:
                raise UserError(_('Cannot backflush %s %s of %s: only %s remain to produce on '
                                  '%s.') % (qty, line.product_uom_id.name,
                                            line.product_id.display_name, line.qty_remaining,
                                            self.name))
            in_wip = max(line.qty_transferred - line.qty_produced, 0.0)
            from_wip = min(qty, in_wip)
            direct = qty - from_wip
            if float_compare(direct, 0.0, precision_rounding=rounding) > 0:
                if not self.type_id.allow_backflush_from_stock:
                    raise UserError(_('Only %s %s of %s have their components in WIP; transfer '
                                      'the rest first (type %s does not take components from '
                                      'stock at backflush).') % (
                        from_wip, line.product_uom_id.name, line.product_id.display_name,
                        self.type_id.name))
                self._sum_needs(components_for(line, direct, structures), direct_needs)
            steps.append((line, qty, from_wip, direct))
        if direct_needs and not self.type_id.allow_transfer_without_stock:
            self._check_stock(direct_needs, self.location_src_id)
        self._backflush_steps(steps, structures)
        self._update_state()
        self.message_post(body=_('Backflushed: %s') % ', '.join(
            '%s %s %s' % (qty, line.product_uom_id.name, line.product_id.display_name)
            for line, qty, _w, _d in steps))
        return True

    def _backflush_steps(self, steps, structures=None):
        """``steps``: [(line, qty, qty from WIP, qty taken from stock)];
        ``structures``: from ``line_structures``. The components of all the
        steps are consumed together, then each line's finished goods are
        received, valued from its shares of the components."""
        lines = self.env['mrp.job.order.line'].concat(*[step[0] for step in steps])
        productions = self._production_locations(lines.mapped('product_id'))
        needs = []
        for line, _qty, from_wip, direct in steps:
            production = productions[line.product_id.id]
            for location, part in ((self.location_wip_id, from_wip),
                                   (self.location_src_id, direct)):
                if float_is_zero(part, precision_rounding=line.product_uom_id.rounding):
                    continue
                needs.extend((line, product, component_qty, location, production)
                             for product, component_qty in components_for(line, part, structures))
        shares = self._move_components(needs)
        self._do_moves([self._prepare_finished_move(line, qty, shares[line.id],
                                                    productions[line.product_id.id])
                        for line, qty, _w, _d in steps])
        self._write_lines([(line, {'qty_produced': line.qty_produced + qty,
                                   'qty_transferred': line.qty_transferred + direct})
                           for line, qty, _from_wip, direct in steps])

    @api.model
    def _write_lines(self, updates):
        """``updates``: [(line, vals)]; lines given equal values are written
        together (one write, one recomputation of what depends on them)."""
        groups = OrderedDict()
        for line, vals in updates:
            key = tuple(sorted(vals.items()))
            groups[key] = groups.get(key, line.browse()) | line
        for key, lines in groups.items():
            lines.write(dict(key))

    def _move_components(self, needs):
        """``needs``: [(line, product, qty in the product's UoM, from, to)].
        One move per product and locations for all the lines (a few dozen
        moves for a large job order, not one per line and component), each
        line's share kept with its part of the value (see
        mrp.job.order.consumption). Returns {line id: its shares}."""
        groups = OrderedDict()
        for line, product, qty, location, location_dest in needs:
            key = (product.id, location.id, location_dest.id)
            groups.setdefault(key, (product, location, location_dest, []))[3].append((line, qty))
        moves = self._do_moves([
            self._prepare_move(product, sum(qty for _l, qty in parts), product.uom_id,
                               location, location_dest, None)
            for product, location, location_dest, parts in groups.values()])
        Consumption = self.env['mrp.job.order.consumption']
        shares = defaultdict(lambda: Consumption)
        for move in moves:
            parts = groups[(move.product_id.id, move.location_id.id, move.location_dest_id.id)][3]
            for share in Consumption._create_shares(move, parts):
                shares[share.line_id.id] |= share
        return shares

    def _prepare_finished_move(self, line, qty, consumed, production):
        vals = self._prepare_move(line.product_id, qty, line.product_uom_id, production,
                                  self.location_dest_id, line)
        vals['price_unit'] = self._finished_price_unit(line, qty, consumed)
        vals['job_order_finished'] = True
        return vals

    def _finished_price_unit(self, line, qty, consumed):
        """Unit cost of the finished goods (product UoM) from the value of
        the components consumed (``consumed``: the line's shares), as Odoo's
        own production does."""
        qty_product_uom = line.product_uom_id._compute_quantity(qty, line.product_id.uom_id)
        value = -sum(consumed.mapped('value'))
        return value / qty_product_uom if qty_product_uom else 0.0

    def _check_finished_stock(self, quantities):
        """Finished goods to take back must be in stock, unless the type
        lets stock go negative."""
        if self.type_id.allow_transfer_without_stock:
            return
        finished = OrderedDict()
        for line, qty in quantities.items():
            product_qty = line.product_uom_id._compute_quantity(qty, line.product_id.uom_id)
            self._sum_needs([(line.product_id, product_qty)], finished)
        self._check_stock(finished, self.location_dest_id)

    def _unbuild(self, quantities, components_dest):
        """The opposite moves of a backflush, ``quantities`` {line: qty}: the
        finished goods back to production, then their components to
        ``components_dest``."""
        lines = self.env['mrp.job.order.line'].concat(*quantities)
        structures = line_structures(lines)
        productions = self._production_locations(lines.mapped('product_id'))
        outs, needs = [], []
        for line, qty in quantities.items():
            production = productions[line.product_id.id]
            out = self._prepare_move(line.product_id, qty, line.product_uom_id,
                                     self.location_dest_id, production, line)
            out['job_order_finished'] = True
            outs.append(out)
            needs.extend((line, product, component_qty, production, components_dest)
                         for product, component_qty in components_for(line, qty, structures))
        self._do_moves(outs)
        self._move_components(needs)

    @api.multi
    def _reverse(self, quantities):
        """Undo produced quantities: finished goods back to production,
        components back to WIP (where a new backflush will find them)."""
        self.ensure_one()
        self._check_state(('in_progress', 'done'), _('reverse'))
        for line, qty in quantities.items():
            rounding = line.product_uom_id.rounding
            if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
                raise UserError(_('The quantity to reverse must be positive (%s: %s).')
                                % (line.product_id.display_name, qty))
            if float_compare(qty, line.qty_produced, precision_rounding=rounding) > 0:
                raise UserError(_('Cannot reverse %s %s of %s: only %s were produced.') % (
                    qty, line.product_uom_id.name, line.product_id.display_name,
                    line.qty_produced))
        self._check_finished_stock(quantities)
        self._unbuild(quantities, self.location_wip_id)
        self._write_lines([(line, {'qty_produced': line.qty_produced - qty})
                           for line, qty in quantities.items()])
        self._update_state()
        self.message_post(body=_('Reversed: %s') % ', '.join(
            '%s %s %s' % (qty, line.product_uom_id.name, line.product_id.display_name)
            for line, qty in quantities.items()))
        return True

    @api.multi
    def _disassemble(self, quantities):
        """Take finished goods out of stock and put their components back
        (negative "add to inventory"); the job order is done as a disassembly."""
        self.ensure_one()
        self._check_state(('confirmed',), _('disassemble'))
        self._check_finished_stock(quantities)
        self._unbuild(quantities, self.location_src_id)
        self._write_lines([(line, {'qty_produced': qty, 'qty_transferred': qty})
                           for line, qty in quantities.items()])
        self.write({'state': 'done', 'disassembly': True})
        self.message_post(body=_('Disassembled: finished goods taken out of stock, components '
                                 'put back.'))
        return True
