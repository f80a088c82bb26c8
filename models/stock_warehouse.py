from odoo import _, api, fields, models


class StockWarehouse(models.Model):
    _inherit = 'stock.warehouse'

    wip_location_id = fields.Many2one(
        'stock.location', string='WIP Location', readonly=True,
        help='Work-in-progress location of job orders: components transferred to production '
             'wait here until they are backflushed.')

    @api.multi
    def _prepare_wip_location(self):
        self.ensure_one()
        return {
            'name': _('WIP'),
            'usage': 'internal',
            'location_id': self.view_location_id.id,
            'company_id': self.company_id.id,
        }

    @api.multi
    def _create_wip_location(self):
        Location = self.env['stock.location'].sudo()
        for warehouse in self.filtered(lambda w: not w.wip_location_id):
            warehouse.wip_location_id = Location.create(warehouse._prepare_wip_location())

    @api.model
    def _create_missing_wip_locations(self):
        """At install: WIP locations for the warehouses that exist already."""
        self.sudo().with_context(active_test=False).search(
            [('wip_location_id', '=', False)])._create_wip_location()

    @api.model
    def create(self, vals):
        warehouse = super(StockWarehouse, self).create(vals)
        warehouse._create_wip_location()
        return warehouse
