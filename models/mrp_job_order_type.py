from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MrpJobOrderType(models.Model):
    """Document type of job orders: numbering, default mode and locations,
    and the rules of the shop floor (what transfer and backflush may do)."""

    _name = "mrp.job.order.type"
    _description = "Job Order Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Numbering",
        copy=False,
        check_company=True,
        help="Numbering of the job orders of this type; created with the type when "
        "left empty.",
    )
    prefix = fields.Char(
        help="Prefix of the numbering created with the type, e.g. JO/. Left empty, the "
        "initials of the name are used (made unique in the company)."
    )
    mode = fields.Selection(
        [("mono", "Mono-product"), ("multi", "Multi-product")],
        default="mono",
        required=True,
        string="Default Mode",
        help="Mono: every line of a job order is the same product. Multi: several "
        "products for one customer, project or sales order.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Warehouse of the job orders of this type; the company's first warehouse "
        "when empty.",
    )
    location_src_id = fields.Many2one(
        "stock.location",
        string="Components Location",
        check_company=True,
        domain=[("usage", "=", "internal")],
        help="Where components are taken from; the warehouse stock when empty.",
    )
    location_dest_id = fields.Many2one(
        "stock.location",
        string="Finished Goods Location",
        check_company=True,
        domain=[("usage", "=", "internal")],
        help="Where finished goods are received; the warehouse stock when empty.",
    )
    explode_subassemblies = fields.Boolean(
        default=True,
        help="Default of new lines: components of sub-assemblies are transferred and "
        "consumed directly; unticked, sub-assemblies are consumed as stock items.",
    )
    allow_transfer_without_stock = fields.Boolean(
        help="Allow transfers of components that are not in stock (stock goes "
        "negative). Unticked, a transfer is refused when a component is short."
    )
    allow_backflush_from_stock = fields.Boolean(
        default=True,
        help="When more is backflushed than was transferred, take the missing "
        "components straight from the components location. Unticked, such a backflush "
        "is refused.",
    )

    # Named apart from BaseModel._check_company (the check_company=True
    # machinery): this one names the offending record in the message.
    @api.constrains("company_id", "warehouse_id", "location_src_id", "location_dest_id")
    def _check_company_consistency(self):
        for job_type in self.sudo():
            for record in (
                job_type.warehouse_id,
                job_type.location_src_id,
                job_type.location_dest_id,
            ):
                if record.company_id and record.company_id != job_type.company_id:
                    raise ValidationError(
                        _(
                            "%(record)s belongs to company %(company)s, not to "
                            "%(type_company)s of job order type %(type)s.",
                            record=record.display_name,
                            company=record.company_id.name,
                            type_company=job_type.company_id.name,
                            type=job_type.name,
                        )
                    )

    @api.constrains("prefix", "company_id")
    def _check_prefix(self):
        for job_type in self.filtered("prefix"):
            twin = self.with_context(active_test=False).search(
                [
                    ("prefix", "=", job_type.prefix),
                    ("company_id", "=", job_type.company_id.id),
                    ("id", "!=", job_type.id),
                ],
                limit=1,
            )
            if twin:
                raise ValidationError(
                    _(
                        "Prefix %(prefix)s is already used by job order type %(type)s: "
                        "choose another one, or their numbers would clash.",
                        prefix=job_type.prefix,
                        type=twin.name,
                    )
                )

    @api.model
    def _prepare_sequence(self, vals):
        company_id = vals.get("company_id") or self.env.company.id
        return {
            "name": _("Job Orders: %s", vals.get("name", "")),
            "prefix": vals["prefix"],
            "padding": 5,
            "company_id": company_id,
        }

    @api.model
    def _default_prefix(self, vals, taken=None):
        """Initials of the name ("Job Order" -> JO/), numbered when taken.

        ``taken``: prefixes already given to other types of the same batch."""
        company_id = vals.get("company_id") or self.env.company.id
        initials = (
            "".join(
                word[0]
                for word in (vals.get("name") or "JO").split()
                if word[0].isalnum()
            )[:3].upper()
            or "JO"
        )
        taken = set(taken or ()) | set(
            self.with_context(active_test=False)
            .search([("company_id", "=", company_id)])
            .mapped("prefix")
        )
        prefix, number = initials + "/", 1
        while prefix in taken:
            number += 1
            prefix = "%s%d/" % (initials, number)
        return prefix

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        given = {}
        for vals in vals_list:
            company_id = vals.get("company_id") or self.env.company.id
            vals.setdefault("company_id", company_id)
            if not vals.get("prefix"):
                vals["prefix"] = self._default_prefix(vals, given.get(company_id))
            given.setdefault(company_id, set()).add(vals["prefix"])
        missing = [vals for vals in vals_list if not vals.get("sequence_id")]
        if missing:
            # sudo: a planner manager may create types without sequence rights
            sequences = (
                self.env["ir.sequence"]
                .sudo()
                .create([self._prepare_sequence(vals) for vals in missing])
            )
            for vals, sequence in zip(missing, sequences, strict=True):
                vals["sequence_id"] = sequence.id
        return super().create(vals_list)

    @api.model
    def _default_for_company(self, company):
        job_type = self.search([("company_id", "=", company.id)], limit=1)
        if not job_type:
            job_type = self._create_default_type(company)
        return job_type

    @api.model
    def _create_default_type(self, company):
        return self.sudo().create({"name": _("Job Order"), "company_id": company.id})

    @api.model
    def _create_default_types(self):
        """At install: one default type per company that has none."""
        Company = self.env["res.company"].sudo()
        for company in Company.search([]):
            if not self.with_context(active_test=False).search_count(
                [("company_id", "=", company.id)]
            ):
                self._create_default_type(company)
        return True
