"""Shared fixtures of the Odoo tests: a small plant with a two-level BOM in
dozens, a component bought in kg and used in g, a planner user, and helpers
to snapshot what a refused action must leave unchanged."""

from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class JobOrderCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.company = env.ref("base.main_company")
        cls.warehouse = env.ref("stock.warehouse0")
        cls.stock = cls.warehouse.lot_stock_id
        cls.wip = cls.warehouse.wip_location_id
        cls.unit = env.ref("uom.product_uom_unit")
        cls.dozen = env.ref("uom.product_uom_dozen")
        cls.kg = env.ref("uom.product_uom_kgm")
        cls.gram = env.ref("uom.product_uom_gram")
        cls.category = env["product.category"].create(
            {
                "name": "Job order tests",
                "property_cost_method": "average",
                "property_valuation": "periodic",
            }
        )
        cls.leg = cls._product("Leg", 2.0)
        cls.board = cls._product("Board", 1.5)
        cls.glue = cls._product("Glue", 10.0, uom=cls.kg)
        cls.top = cls._product("Table Top", 0.0)
        cls.table = cls._product("Table", 0.0)
        cls.top_bom = cls._bom(
            cls.top, 1, cls.unit, [(cls.board, 2, cls.unit), (cls.glue, 50, cls.gram)]
        )
        # one dozen tables: 48 legs, 600 g of glue, 12 tops
        cls.table_bom = cls._bom(
            cls.table,
            1,
            cls.dozen,
            [
                (cls.leg, 48, cls.unit),
                (cls.glue, 600, cls.gram),
                (cls.top, 12, cls.unit),
            ],
        )
        cls.planner = cls._user(
            "planner", ["mrp_job_order.group_job_order_user", "stock.group_stock_user"]
        )
        cls.job_type = env["mrp.job.order.type"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )

    @classmethod
    def _product(cls, name, cost, uom=None, type="product"):
        """``type``: 'product' (storable, as Odoo 11 called it), 'consu' or
        'service'."""
        uom = uom or cls.unit
        kind = (
            {"type": "consu", "is_storable": True}
            if type == "product"
            else {"type": type}
        )
        return cls.env["product.product"].create(
            dict(
                kind,
                name=name,
                uom_id=uom.id,
                standard_price=cost,
                categ_id=cls.category.id,
            )
        )

    @classmethod
    def _bom(cls, product, qty, uom, lines, company=None):
        return cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": qty,
                "product_uom_id": uom.id,
                "company_id": (company or cls.company).id,
                "bom_line_ids": [
                    Command.create(
                        {"product_id": p.id, "product_qty": q, "product_uom_id": u.id}
                    )
                    for p, q, u in lines
                ],
            }
        )

    @classmethod
    def _user(cls, login, groups, company=None):
        company = company or cls.company
        group_ids = [cls.env.ref(xid).id for xid in groups] + [
            cls.env.ref("base.group_user").id
        ]
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    # logins prefixed: the demo data has its own 'planner'
                    "name": login.title(),
                    "login": "test_" + login,
                    "email": "test_%s@example.com" % login,
                    "company_id": company.id,
                    "company_ids": [Command.set([company.id])],
                    "group_ids": [Command.set(group_ids)],
                }
            )
        )

    def put_stock(self, product, qty, location=None):
        self.env["stock.quant"]._update_available_quantity(
            product, location or self.stock, qty
        )

    def qty_at(self, product, location):
        return round(product.with_context(location=location.id).qty_available, 6)

    def backflush(self, order, quantities, reverse=False):
        """Through the wizard, as the planner: {line: qty} (or reverse)."""
        wizard = (
            self.env["mrp.job.order.backflush"]
            .with_user(self.planner)
            .with_context(default_job_order_id=order.id, default_reverse=reverse)
            .create({})
        )
        for wizard_line in wizard.line_ids:
            wizard_line.qty_to_produce = quantities.get(
                wizard_line.job_order_line_id, 0.0
            )
        wizard.action_validate()

    def new_job_order(self, lines, user=None, **vals):
        values = {
            "line_ids": [
                Command.create({"product_id": p.id, "product_qty": q}) for p, q in lines
            ]
        }
        values.update(vals)
        return self.env["mrp.job.order"].with_user(user or self.planner).create(values)

    def snapshot(self, products, orders):
        """What a refused action must not change: stock per location,
        moves, job order states and line quantities."""
        self.env.invalidate_all()
        quants = self.env["stock.quant"].search([("product_id", "in", products.ids)])
        lines = orders.line_ids
        return {
            "quants": sorted(
                (q.product_id.id, q.location_id.id, q.quantity) for q in quants
            ),
            "moves": self.env["stock.move"].search_count(
                [("product_id", "in", products.ids)]
            ),
            "pickings": self.env["stock.picking"].search_count([]),
            "purchases": self.env["purchase.order"].search_count([]),
            "orders": [(o.id, o.state) for o in orders],
            "lines": [
                (line.id, line.product_qty, line.qty_transferred, line.qty_produced)
                for line in lines
            ],
        }
