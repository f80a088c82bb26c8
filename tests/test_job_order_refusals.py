"""Every refusal of the job order lifecycle raises a clear error and leaves
stock, moves, states and quantities exactly as they were."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import JobOrderCase


class TestJobOrderRefusals(JobOrderCase):
    def setUp(self):
        super().setUp()
        self.put_stock(self.leg, 100)
        self.put_stock(self.glue, 3)
        self.put_stock(self.board, 50)
        self.products = self.leg | self.glue | self.board | self.top | self.table
        self.order = self.new_job_order([(self.table, 1)])

    def assertRefused(self, exception, words, call, orders=None):
        orders = orders or self.order
        before = self.snapshot(self.products, orders)
        with self.assertRaises(exception) as caught:
            call()
        message = str(caught.exception)
        self.assertIn(words, message)
        self.assertEqual(self.snapshot(self.products, orders), before)

    def test_confirm_without_lines(self):
        empty = self.env["mrp.job.order"].with_user(self.planner).create({})
        self.assertRefused(UserError, "has no lines", empty.action_confirm, empty)

    def test_confirm_product_without_bom(self):
        self.order.line_ids.bom_id = False
        self.assertRefused(
            UserError, "has no bill of materials", self.order.action_confirm
        )

    def test_confirm_archived_bom(self):
        self.table_bom.active = False
        self.assertRefused(UserError, "is archived", self.order.action_confirm)

    def test_confirm_bom_of_other_company(self):
        other = self.env["res.company"].create({"name": "Other Plant"})
        self.table_bom.company_id = other
        self.assertRefused(
            UserError, "belongs to another company", self.order.action_confirm
        )

    def test_confirm_bom_of_other_product(self):
        self.order.line_ids.bom_id = self.top_bom
        self.assertRefused(UserError, "does not make", self.order.action_confirm)

    def test_zero_and_negative_quantities(self):
        with self.assertRaises(ValidationError):
            self.new_job_order([(self.table, 0)])
        with self.assertRaises(ValidationError):
            self.new_job_order([(self.table, -2)])

    def test_wrong_uom_category(self):
        with self.assertRaisesRegex(ValidationError, "cannot measure"):
            self.env["mrp.job.order"].with_user(self.planner).create(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.table.id,
                                "product_qty": 1,
                                "product_uom_id": self.kg.id,
                            }
                        )
                    ]
                }
            )

    def test_mono_with_two_products(self):
        with self.assertRaisesRegex(ValidationError, "mono-product"):
            self.new_job_order([(self.table, 1), (self.top, 1)], mode="mono")

    def test_wip_location_of_wrong_usage(self):
        with self.assertRaisesRegex(ValidationError, "not an internal location"):
            self.new_job_order(
                [(self.table, 1)],
                location_wip_id=self.env.ref("stock.stock_location_customers").id,
            )

    def test_transfer_before_confirm(self):
        self.assertRefused(UserError, "it is draft", self.order.action_transfer)

    def test_transfer_more_than_left(self):
        self.order.action_confirm()
        line = self.order.line_ids
        self.assertRefused(
            UserError,
            "only 1.0 are left",
            lambda: self.order.action_transfer({line.id: 1.5}),
        )

    def test_transfer_without_stock_forbidden_by_type(self):
        self.order.action_confirm()
        self.order.line_ids.product_qty = 3  # 144 legs, 100 in stock
        self.assertRefused(
            UserError, "Not enough components", self.order.action_transfer
        )

    def test_transfer_without_stock_allowed_by_type(self):
        self.job_type.allow_transfer_without_stock = True
        self.order.action_confirm()
        self.order.line_ids.product_qty = 3
        self.order.action_transfer()
        self.assertEqual(self.qty_at(self.leg, self.stock), -44)
        self.assertEqual(self.qty_at(self.leg, self.wip), 144)

    def test_backflush_beyond_ordered(self):
        self.order.action_confirm()
        line = self.order.line_ids
        self.assertRefused(
            UserError, "only 1.0 remain", lambda: self.order._backflush({line: 2.0})
        )

    def test_backflush_negative(self):
        self.order.action_confirm()
        line = self.order.line_ids
        self.assertRefused(
            UserError, "must be positive", lambda: self.order._backflush({line: -1.0})
        )

    def test_backflush_untransferred_when_type_refuses(self):
        self.job_type.allow_backflush_from_stock = False
        self.order.action_confirm()
        line = self.order.line_ids
        self.assertRefused(
            UserError,
            "transfer the rest first",
            lambda: self.order._backflush({line: 0.5}),
        )

    def test_reverse_more_than_produced(self):
        self.order.action_confirm()
        line = self.order.line_ids
        self.order._backflush({line: 0.5})
        self.assertRefused(
            UserError,
            "only 0.5 were produced",
            lambda: self.order._reverse({line: 0.75}),
        )

    def test_cancel_after_production(self):
        self.order.action_confirm()
        self.order._backflush({self.order.line_ids: 0.25})
        self.assertRefused(
            UserError, "reverse the produced quantity first", self.order.action_cancel
        )

    def test_change_product_after_transfer(self):
        self.order.action_confirm()
        self.order.action_transfer({self.order.line_ids.id: 0.5})
        self.assertRefused(
            UserError,
            "cannot change",
            lambda: self.order.line_ids.write({"product_id": self.top.id}),
        )

    def test_delete_confirmed(self):
        self.order.action_confirm()
        self.assertRefused(UserError, "Only draft or cancelled", self.order.unlink)

    def test_purchase_component_without_vendor(self):
        self.order.line_ids.product_qty = 5
        self.assertRefused(
            UserError, "have no vendor", self.order.action_purchase_missing
        )

    def test_purchase_nothing_missing(self):
        self.assertRefused(
            UserError, "Nothing to buy", self.order.action_purchase_missing
        )


class TestJobOrderAccess(JobOrderCase):
    def test_user_without_groups_cannot_read(self):
        order = self.new_job_order([(self.table, 1)])
        employee = self._user("employee", [])
        with self.assertRaises(AccessError):
            order.with_user(employee).read(["name"])
        with self.assertRaises(AccessError):
            self.env["mrp.job.order"].with_user(employee).create({})

    def test_other_company_sees_nothing(self):
        order = self.new_job_order([(self.table, 1)])
        other = self.env["res.company"].create({"name": "Plant B"})
        planner_b = self._user(
            "planner_b",
            ["mrp_job_order.group_job_order_user", "stock.group_stock_user"],
            company=other,
        )
        JobOrder = self.env["mrp.job.order"].with_user(planner_b)
        self.assertFalse(JobOrder.search([("id", "=", order.id)]))
        with self.assertRaises(AccessError):
            order.with_user(planner_b).read(["name"])
        # company B got its own default type and WIP-less warehouse setup
        self.assertTrue(
            self.env["mrp.job.order.type"].search([("company_id", "=", other.id)])
        )

    def test_user_cannot_configure_types(self):
        with self.assertRaises(AccessError):
            self.env["mrp.job.order.type"].with_user(self.planner).create(
                {"name": "Rush"}
            )
        with self.assertRaises(AccessError):
            self.job_type.with_user(self.planner).write({"name": "Renamed"})
