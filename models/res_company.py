from odoo import api, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    @api.model
    def create(self, vals):
        company = super(ResCompany, self).create(vals)
        self.env['mrp.job.order.type']._create_default_type(company)
        self.env['mrp.job.order.run.lock']._create_missing()
        return company
