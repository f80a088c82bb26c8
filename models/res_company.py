from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        JobOrderType = self.env["mrp.job.order.type"]
        for company in companies:
            JobOrderType._create_default_type(company)
        self.env["mrp.job.order.run.lock"]._create_missing()
        return companies
