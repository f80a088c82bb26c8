from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    wip_location_id = fields.Many2one(
        "stock.location",
        string="WIP Location",
        readonly=True,
        check_company=True,
        help="Work-in-progress location of job orders: components transferred to "
        "production wait here until they are backflushed.",
    )

    def _prepare_wip_location(self):
        self.ensure_one()
        return {
            "name": self.env._("WIP"),
            "usage": "internal",
            "location_id": self.view_location_id.id,
            "company_id": self.company_id.id,
        }

    def _create_wip_location(self):
        """A WIP location for each warehouse without one, created at once."""
        todo = self.filtered(lambda w: not w.wip_location_id)
        if not todo:
            return True
        locations = (
            self.env["stock.location"]
            .sudo()
            .create([warehouse._prepare_wip_location() for warehouse in todo])
        )
        for warehouse, location in zip(todo, locations, strict=True):
            warehouse.sudo().wip_location_id = location
        return True

    @api.model
    def _create_missing_wip_locations(self):
        """At install: WIP locations for the warehouses that exist already."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("wip_location_id", "=", False)])
            ._create_wip_location()
        )

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses._create_wip_location()
        return warehouses
