"""The rest of the bad-input catalogue (README, "Reliability"): each raises a
clear error and writes nothing."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .test_generation import GenerationCase


@tagged("post_install", "-at_install")
class TestBadInputs(GenerationCase):
    def counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in (
                "mrp.job.order",
                "mrp.job.order.line",
                "mrp.job.order.demand",
                "stock.move",
                "mrp.job.order.profile",
                "purchase.order",
            )
        )

    def assertRefused(self, exception, words, call):
        before = self.counts()
        with self.assertRaisesRegex(exception, words):
            call()
        self.env.clear()
        self.assertEqual(self.counts(), before)

    def assertRefusedRecord(self, exception, words, call):
        """Invalid values on create/write: Odoo's constraints raise after the
        INSERT, and the request's transaction (the savepoint here) is rolled
        back, so nothing stays written."""
        before = self.counts()
        with self.assertRaisesRegex(exception, words):
            with self.env.cr.savepoint():
                call()
        self.env.clear()
        self.assertEqual(self.counts(), before)

    def test_absurdly_large_quantity(self):
        self.assertRefusedRecord(
            ValidationError,
            "not a realistic quantity",
            lambda: self.new_job_order([(self.table, 1e12)]),
        )

    def test_location_of_another_company(self):
        other = self.env["res.company"].create({"name": "Plant C"})
        foreign = self.env["stock.location"].create(
            {"name": "Foreign", "usage": "internal", "company_id": other.id}
        )
        self.assertRefusedRecord(
            ValidationError,
            "belongs to company Plant C",
            lambda: self.new_job_order([(self.table, 1)], location_src_id=foreign.id),
        )

    def test_type_of_another_company_in_wizard(self):
        other = self.env["res.company"].create({"name": "Plant D"})
        foreign_type = self.env["mrp.job.order.type"].search(
            [("company_id", "=", other.id)]
        )
        wizard = self.wizard(type_id=foreign_type.id)
        self.assertRefused(
            UserError, "belongs to another company", wizard.action_generate
        )

    def test_malformed_profiles(self):
        Profile = self.env["mrp.job.order.profile"]
        self.assertRefusedRecord(
            ValidationError,
            "at least one source",
            lambda: Profile.create({"name": "No source", "use_sale": False}),
        )
        self.assertRefusedRecord(
            ValidationError,
            "ends",
            lambda: Profile.create(
                {
                    "name": "Backwards",
                    "date_from": "2026-12-31",
                    "date_to": "2026-01-01",
                }
            ),
        )
        self.assertRefusedRecord(
            ValueError,
            "Wrong value",
            lambda: Profile.create({"name": "Bad mode", "mode": "triple"}),
        )

    def test_create_production_order_on_quotation(self):
        quotation = self.sale(self.customer_a, [(self.table, 2)], confirm=False)
        self.assertRefused(
            UserError, "Only confirmed sales orders", quotation.action_create_job_order
        )

    def test_create_production_order_across_companies(self):
        order = self.sale(self.customer_a, [(self.table, 2)])
        other = self.env["res.company"].create({"name": "Plant E"})
        foreign = self.env["sale.order"].create(
            {
                "partner_id": self.customer_b.id,
                "company_id": other.id,
                "warehouse_id": self.env["stock.warehouse"]
                .search([("company_id", "=", other.id)], limit=1)
                .id,
            }
        )
        self.assertRefused(
            UserError,
            "one company at a time",
            (order | foreign).action_create_job_order,
        )

    def test_locked_order_is_not_planned(self):
        order = self.sale(self.customer_a, [(self.table, 2)])
        order.action_lock()
        wizard = self.wizard(sale_order_ids=[(6, 0, order.ids)])
        wizard.action_preview()
        self.assertIn("locked", self.reason_label(wizard.line_ids))
        self.assertRefused(UserError, "Nothing to plan", wizard.action_generate)

    def test_negative_manual_quantity(self):
        wizard = self.wizard(
            use_sale=False,
            manual_line_ids=[
                (
                    0,
                    0,
                    {
                        "product_id": self.table.id,
                        "product_qty": -3,
                        "product_uom_id": self.unit.id,
                    },
                )
            ],
        )
        self.assertRefused(UserError, "cannot be negative", wizard.action_generate)

    def test_everything_unticked(self):
        self.sale(self.customer_a, [(self.table, 2)])
        wizard = self.wizard()
        wizard.action_preview()
        wizard.line_ids.write({"selected": False})
        self.assertRefused(
            UserError, "Every line of the preview is unticked", wizard.action_generate
        )

    def test_backflush_wizard_line_of_another_job_order(self):
        first = self.new_job_order([(self.table, 1)])
        second = self.new_job_order([(self.table, 1)])
        (first | second).action_confirm()
        wizard = (
            self.env["mrp.job.order.backflush"]
            .with_context(default_job_order_id=first.id)
            .create({})
        )
        wizard.line_ids.job_order_line_id = second.line_ids
        self.assertRefused(
            UserError, "does not belong to job order", wizard.action_validate
        )

    def test_product_without_any_bom_manual_demand(self):
        wizard = self.wizard(
            use_sale=False,
            manual_line_ids=[
                (
                    0,
                    0,
                    {
                        "product_id": self.chair.id,
                        "product_qty": 3,
                        "product_uom_id": self.unit.id,
                    },
                )
            ],
        )
        wizard.action_preview()
        self.assertIn("No bill of materials", self.reason_label(wizard.line_ids))
        self.assertRefused(UserError, "Nothing to plan", wizard.action_generate)


@tagged("post_install", "-at_install")
class TestAccessRights(GenerationCase):
    def test_user_without_groups_cannot_run_the_wizard(self):
        employee = self._user("plain_employee", [])
        with self.assertRaises(AccessError):
            self.env["mrp.job.order.generate"].with_user(employee).create(
                {}
            ).action_preview()

    def test_sales_order_form_shows_pegging_to_its_readers_only(self):
        # a warehouse clerk reads sales orders (sale_stock) but not pegging:
        # the job order fields of the sales order form are not for them
        order = self.sale(self.customer_a, [(self.table, 2)])
        self.generate(sale_order_ids=[(6, 0, order.ids)])
        clerk = self._user("clerk", ["stock.group_stock_user"])
        with self.assertRaises(AccessError):
            order.with_user(clerk).job_order_count  # noqa: B018
        arch = order.with_user(clerk).get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        for name in (
            "job_order_count",
            "job_order_priority",
            "qty_planned",
            "qty_produced_job",
        ):
            self.assertNotIn(name, arch)
        salesman = self._user("seller", ["sales_team.group_sale_salesman_all_leads"])
        arch = order.with_user(salesman).get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        for name in (
            "job_order_count",
            "job_order_priority",
            "qty_planned",
            "qty_produced_job",
        ):
            self.assertIn(name, arch)
        self.assertEqual(Form(order.with_user(salesman)).job_order_count, 1)

    def test_portal_user_sees_nothing(self):
        self.new_job_order([(self.table, 1)])
        portal = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Portal",
                    "login": "portal_jo",
                    "email": "portal_jo@example.com",
                    "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
                }
            )
        )
        for model in (
            "mrp.job.order",
            "mrp.job.order.line",
            "mrp.job.order.demand",
            "mrp.job.order.run",
            "mrp.job.order.profile",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(portal).search([])

    def test_user_cannot_edit_profiles_or_types(self):
        with self.assertRaises(AccessError):
            self.env["mrp.job.order.profile"].with_user(self.planner).create(
                {"name": "Mine"}
            )
        profile = self.env["mrp.job.order.profile"].create({"name": "Managed"})
        with self.assertRaises(AccessError):
            profile.with_user(self.planner).write({"mode": "multi"})

    def test_cron_runs_profile_as_its_company(self):
        other = self.env["res.company"].create({"name": "Plant F"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)])
        profile = self.env["mrp.job.order.profile"].create(
            {
                "name": "Plant F nightly",
                "company_id": other.id,
                "use_sale": False,
                "use_min_stock": True,
            }
        )
        self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.top.id,
                "warehouse_id": warehouse.id,
                "company_id": other.id,
                "location_id": warehouse.lot_stock_id.id,
                "product_min_qty": 2,
                "product_max_qty": 4,
            }
        )
        self._bom(self.top, 1, self.unit, [(self.board, 2, self.unit)], company=other)
        self.env["mrp.job.order.profile"].with_context(
            queue_job__no_delay=True
        )._cron_generate()
        run = self.env["mrp.job.order.run"].search([("profile_id", "=", profile.id)])
        self.assertEqual(run.company_id, other)
        self.assertEqual(run.created_ids.company_id, other)
        self.assertEqual(run.created_ids.warehouse_id, warehouse)
        self.assertEqual(run.created_ids.line_ids.product_qty, 4)
