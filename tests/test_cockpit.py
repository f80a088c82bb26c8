"""The planner's cockpit in the ORM: coverage of demand (quantities per
demand line, in the product's unit, and planning the selected lines),
pegging both ways from a sales order, and what blocks a job order
(component availability, missing quantities, expected purchases)."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError

from .common import JobOrderCase


class TestCockpit(JobOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.vendor = env["res.partner"].create({"name": "Cockpit Timber"})
        cls.customer = env["res.partner"].create({"name": "Cockpit Customer"})
        for product in (cls.leg, cls.board, cls.glue):
            env["product.supplierinfo"].create(
                {
                    "partner_id": cls.vendor.id,
                    "product_tmpl_id": product.product_tmpl_id.id,
                    "price": 1.0,
                }
            )
        # a salesperson without job order rights
        cls.salesperson = cls._user("salesperson", ["sales_team.group_sale_salesman"])

    def sale(self, qty, uom=None, lead=0.0):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.table.id,
                            "product_uom_qty": qty,
                            "product_uom_id": (uom or self.unit).id,
                            "customer_lead": lead,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def coverage(self, domain):
        return self.env["mrp.job.order.coverage"].search(domain)

    def plan(self, order_line, qty):
        """A job order line of ``qty`` tables pegged to ``order_line``."""
        return self.new_job_order(
            [],
            user=self.env.user,
            line_ids=[
                Command.create(
                    {
                        "product_id": self.table.id,
                        "product_qty": qty,
                        "product_uom_id": self.unit.id,
                        "demand_ids": [
                            Command.create(
                                {
                                    "source": "sale",
                                    "sale_line_id": order_line.id,
                                    "product_id": self.table.id,
                                    "product_qty": qty,
                                    "partner_id": self.customer.id,
                                }
                            )
                        ],
                    }
                )
            ],
        )

    # -- coverage ------------------------------------------------------------
    def test_coverage_of_a_sales_line_in_dozens_planned_in_part(self):
        order = self.sale(2, uom=self.dozen, lead=3)  # 24 tables
        job = self.plan(order.order_line, 10.0)
        job.line_ids.write({"qty_transferred": 6.0, "qty_produced": 5.0})
        row = self.coverage([("sale_line_id", "=", order.order_line.id)])
        self.assertEqual(len(row), 1)
        self.assertEqual(
            (
                row.source,
                row.reference,
                row.partner_id,
                row.product_id,
                row.qty_ordered,
                row.qty_planned,
                row.qty_transferred,
                row.qty_produced,
                row.qty_delivered,
                row.qty_uncovered,
                row.coverage_state,
            ),
            (
                "sale",
                order.name,
                self.customer,
                self.table,
                24.0,
                10.0,
                6.0,
                5.0,
                0.0,
                14.0,
                "partial",
            ),
        )
        self.assertAlmostEqual(row.progress, 100.0 * 5 / 24)
        self.assertEqual(row.date, (order.date_order + timedelta(days=3)).date())
        self.assertEqual(row.job_order_ids, job)
        self.assertTrue(self.coverage([("qty_uncovered", ">", 0), ("id", "=", row.id)]))

    def test_coverage_states_follow_planning_and_production(self):
        order = self.sale(4)
        row = self.coverage([("sale_line_id", "=", order.order_line.id)])
        self.assertEqual((row.coverage_state, row.qty_uncovered), ("uncovered", 4.0))
        job = self.plan(order.order_line, 4.0)
        self.env.invalidate_all()
        self.assertEqual((row.coverage_state, row.qty_uncovered), ("planned", 0.0))
        job.line_ids.qty_transferred = 4.0
        self.env.invalidate_all()
        self.assertEqual(row.coverage_state, "in_progress")
        job.line_ids.qty_produced = 4.0
        self.env.invalidate_all()
        self.assertEqual((row.coverage_state, row.progress), ("done", 100.0))
        # a cancelled job order covers nothing
        job.line_ids.write({"qty_produced": 0.0, "qty_transferred": 0.0})
        job.state = "cancel"
        self.env.invalidate_all()
        self.assertEqual((row.coverage_state, row.qty_planned), ("uncovered", 0.0))

    def test_late_demand_is_flagged_until_done(self):
        order = self.sale(1)
        order.date_order = fields.Datetime.now() - timedelta(days=5)
        row = self.coverage([("sale_line_id", "=", order.order_line.id)])
        self.assertTrue(row.is_late)
        self.assertIn(row, self.coverage([("is_late", "=", True)]))
        job = self.plan(order.order_line, 1.0)
        job.line_ids.qty_produced = 1.0
        self.env.invalidate_all()
        self.assertFalse(row.is_late)

    def test_products_not_made_here_are_not_demand(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": self.leg.id, "product_uom_qty": 3})
                ],
            }
        )
        order.action_confirm()
        self.assertFalse(self.coverage([("sale_line_id", "=", order.order_line.id)]))

    def test_plan_selected_opens_the_wizard_on_those_lines_only(self):
        first, second = self.sale(3), self.sale(5)
        rows = self.coverage([("sale_line_id", "in", (first | second).order_line.ids)])
        chosen = rows.filtered(lambda r: r.sale_order_id == first)
        action = chosen.action_plan()
        wizard = self.env["mrp.job.order.generate"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "mrp.job.order.generate")
        self.assertTrue(wizard.previewed)
        self.assertEqual(
            (wizard.sale_order_ids, wizard.sale_line_ids), (first, first.order_line)
        )
        ticked = wizard.line_ids.filtered("selected")
        self.assertEqual(ticked.sale_line_id, first.order_line)
        self.assertEqual(ticked.product_qty, 3.0)
        self.assertFalse(
            wizard.line_ids.filtered(
                lambda line: line.sale_line_id == second.order_line
            )
        )

    def test_plan_selected_refuses_what_is_covered(self):
        order = self.sale(2)
        self.plan(order.order_line, 2.0)
        row = self.coverage([("sale_line_id", "=", order.order_line.id)])
        wizards = self.env["mrp.job.order.generate"].search_count([])
        with self.assertRaisesRegex(UserError, "Nothing to plan"):
            row.action_plan()
        self.assertEqual(self.env["mrp.job.order.generate"].search_count([]), wizards)

    # -- pegging from the sales order ------------------------------------------
    def test_where_is_my_order_for_a_salesperson(self):
        order = self.sale(6)
        job = self.plan(order.order_line, 6.0)
        job.line_ids.qty_produced = 3.0
        mine = order.with_user(self.salesperson)
        self.assertEqual(
            (mine.job_order_line_count, mine.job_order_progress), (1, 50.0)
        )
        action = mine.action_view_job_order_lines()
        lines = (
            self.env["mrp.job.order.line"]
            .with_user(self.salesperson)
            .search(action["domain"])
        )
        self.assertEqual(lines, job.line_ids)
        self.assertEqual(
            (lines.state, lines.qty_produced, lines.demand_sale_order_ids),
            ("draft", 3.0, order),
        )
        line_action = order.order_line.with_user(
            self.salesperson
        ).action_view_job_order_lines()
        self.assertEqual(line_action["domain"], [("id", "in", job.line_ids.ids)])
        # read-only for her: pegging tells, it does not let her change production
        with self.assertRaises(AccessError):
            lines.write({"product_qty": 1.0})
        with self.assertRaises(AccessError):
            self.env["mrp.job.order.coverage"].with_user(self.salesperson).search([])

    # -- what blocks a job order --------------------------------------------------
    def test_component_availability_missing_and_expected(self):
        # 12 tables (a dozen): 48 legs, 600 g glue, 12 tops
        # (exploded: 24 boards, 600 g glue)
        self.put_stock(self.leg, 48)
        self.put_stock(self.board, 10)
        job = self.new_job_order([(self.table, 1)], type_id=self.job_type.id)
        self.assertEqual(job.line_ids.product_uom_id, self.dozen)
        job.action_confirm()
        self.assertEqual(job.components_availability, "partial")
        self.assertEqual(job.line_ids.components_availability, "partial")
        missing = job.components_missing
        self.assertIn("Board: 14.00 Units missing", missing)
        self.assertIn("Glue: 1.20 kg missing", missing)
        self.assertNotIn("Leg", missing)
        self.assertFalse(job.components_expected_date)
        # bought (by someone with purchase rights): expected when the last
        # purchase arrives
        job.with_env(self.env).action_purchase_missing()
        purchases = self.env["purchase.order.line"].search(
            [("job_order_id", "=", job.id)]
        )
        self.assertEqual(sorted(purchases.mapped("product_qty")), [1.2, 14.0])
        day = fields.Datetime.now().replace(microsecond=0) + timedelta(days=9)
        purchases.filtered(
            lambda line: line.product_id == self.board
        ).date_planned = day
        purchases.filtered(lambda line: line.product_id == self.glue).date_planned = (
            day - timedelta(days=2)
        )
        self.env.invalidate_all()
        self.assertEqual(job.components_expected_date, day)
        self.assertEqual(job.line_ids.components_expected_date, day)
        self.assertRegex(
            job.components_missing, r"Board: 14.00 Units missing \(expected .*P\d+"
        )
        # not enough glue on order: no date for the whole order any more
        purchases.filtered(lambda line: line.product_id == self.glue).product_qty = 0.5
        self.env.invalidate_all()
        self.assertFalse(job.components_expected_date)
        self.assertRegex(
            job.components_missing, r"Glue: 1.20 kg missing \(not enough on order"
        )
        # everything on hand: available, nothing missing
        self.put_stock(self.board, 14)
        self.put_stock(self.glue, 1.2)
        self.env.invalidate_all()
        self.assertEqual(
            (job.components_availability, job.components_missing), ("available", False)
        )

    def test_sub_assemblies_not_exploded_count_as_components(self):
        job = self.new_job_order([(self.table, 1)], type_id=self.job_type.id)
        job.line_ids.explode_subassemblies = False
        self.put_stock(self.top, 12)
        self.put_stock(self.leg, 20)
        self.env.invalidate_all()
        self.assertEqual(job.components_availability, "partial")
        self.assertEqual(
            job.components_missing.splitlines(),
            ["Leg: 28.00 Units missing", "Glue: 0.60 kg missing"],
        )

    def test_nothing_on_hand_is_not_available_and_done_orders_have_nothing_to_issue(
        self,
    ):
        job = self.new_job_order([(self.table, 2)], type_id=self.job_type.id)
        self.assertEqual(job.components_availability, "unavailable")
        job.state = "done"
        self.env.invalidate_all()
        self.assertEqual(
            (job.components_availability, job.line_ids.components_availability),
            ("none", "none"),
        )

    def test_late_job_order(self):
        job = self.new_job_order([(self.table, 1)])
        job.date_deadline = fields.Datetime.now() - timedelta(hours=1)
        self.assertTrue(job.is_late)
