"""Confirm, transfer, backflush, reverse: stock per location follows the BOM
arithmetic exactly, through dozens, grams and a two-level BOM."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import JobOrderCase


@tagged("post_install", "-at_install")
class TestJobOrderFlow(JobOrderCase):
    def setUp(self):
        super().setUp()
        self.put_stock(self.leg, 200)
        self.put_stock(self.glue, 5)
        self.put_stock(self.board, 100)
        self.put_stock(self.top, 10)

    def assertStock(self, location, expected):
        for product, qty in expected.items():
            self.assertAlmostEqual(
                self.qty_at(product, location),
                qty,
                places=6,
                msg=f"{product.name} in {location.name}",
            )

    def test_01_manual_creation_defaults(self):
        """BOM proposed from the product, unit from the BOM, manual pegging."""
        order = self.new_job_order([(self.table, 2)])
        line = order.line_ids
        self.assertEqual(line.bom_id, self.table_bom)
        self.assertEqual(line.product_uom_id, self.dozen)
        self.assertEqual(order.location_wip_id, self.wip)
        self.assertTrue(order.name.startswith("JO/"))
        self.assertEqual(line.demand_ids.mapped("source"), ["manual"])
        self.assertEqual(
            line.demand_ids.product_qty, 24.0
        )  # in units, the product's UoM
        line.product_qty = 3
        self.assertEqual(line.demand_ids.product_qty, 36.0)

    def test_02_full_cycle_exploded(self):
        """Partial transfer, two partial backflushes, reverse, final backflush."""
        order = self.new_job_order([(self.table, 2)])
        line = order.line_ids
        order.action_confirm()
        self.assertEqual(order.state, "confirmed")

        order.action_transfer({line.id: 1.0})  # 12 tables: components in WIP
        self.assertEqual(order.state, "in_progress")
        self.assertEqual(line.qty_transferred, 1.0)
        self.assertStock(
            self.wip, {self.leg: 48, self.glue: 1.2, self.board: 24, self.top: 0}
        )
        self.assertStock(self.stock, {self.leg: 152, self.glue: 3.8, self.board: 76})
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(order.picking_ids.state, "done")

        self.backflush(order, {line: 0.5})  # 6 tables from WIP
        self.assertStock(self.wip, {self.leg: 24, self.glue: 0.6, self.board: 12})
        self.assertStock(self.stock, {self.table: 6})
        self.assertEqual(line.qty_produced, 0.5)

        self.backflush(order, {line: 0.75})  # 6 from WIP, 3 from stock
        self.assertStock(self.wip, {self.leg: 0, self.glue: 0, self.board: 0})
        self.assertStock(
            self.stock, {self.leg: 140, self.glue: 3.5, self.board: 70, self.table: 15}
        )
        self.assertEqual(line.qty_transferred, 1.25)

        self.backflush(order, {line: 0.25}, reverse=True)  # 3 tables undone
        self.assertStock(self.stock, {self.table: 12})
        self.assertStock(self.wip, {self.leg: 12, self.glue: 0.3, self.board: 6})
        self.assertEqual(line.qty_produced, 1.0)
        self.assertEqual(order.state, "in_progress")

        self.backflush(order, {line: 1.0})  # 3 from WIP, 9 from stock
        self.assertStock(self.wip, {self.leg: 0, self.glue: 0, self.board: 0})
        self.assertStock(
            self.stock,
            {
                self.leg: 104,
                self.glue: 2.6,
                self.board: 52,
                self.table: 24,
                self.top: 10,
            },
        )
        self.assertEqual(line.qty_remaining, 0.0)
        self.assertEqual(order.state, "done")

    def test_03_subassemblies_as_items(self):
        """Unexploded, the table top is transferred and consumed as an item."""
        order = self.new_job_order([(self.table, 0.5)])
        order.line_ids.explode_subassemblies = False
        order.action_confirm()
        order.action_transfer()
        self.assertStock(
            self.wip, {self.leg: 24, self.glue: 0.3, self.top: 6, self.board: 0}
        )
        self.backflush(order, {order.line_ids: 0.5})
        self.assertStock(self.wip, {self.leg: 0, self.glue: 0, self.top: 0})
        self.assertStock(self.stock, {self.top: 4, self.board: 100, self.table: 6})
        self.assertEqual(order.state, "done")

    def test_04_valuation(self):
        """Consumption and production moves are valued by stock_account; the
        finished goods carry the value of their components."""
        order = self.new_job_order([(self.table, 0.5)])
        order.action_confirm()
        self.backflush(order, {order.line_ids: 0.5})
        moves = order.move_ids.filtered(lambda m: m.state == "done")
        consumed = moves.filtered(lambda m: not m.job_order_finished)
        finished = moves.filtered("job_order_finished")
        # 6 tables: 24 legs at 2 + 0.6 kg glue at 10 + 12 boards at 1.5 = 72;
        # Odoo 19 values an outgoing move positively, the line's shares of
        # it carry the sign of consumption
        self.assertTrue(all(move.is_out for move in consumed))
        self.assertAlmostEqual(sum(consumed.mapped("value")), 72.0, places=2)
        self.assertAlmostEqual(
            sum(order.line_ids.consumption_ids.mapped("value")), -72.0, places=2
        )
        rate = order.line_ids.cost_overhead_rate / 100.0
        self.assertAlmostEqual(finished.value, 72.0 * (1 + rate), places=2)
        self.assertAlmostEqual(self.table.standard_price, 12.0 * (1 + rate), places=2)

    def test_05_multi_order(self):
        """A multi job order carries several products; cancel returns WIP."""
        order = self.new_job_order(
            [(self.table, 1), (self.top, 4)],
            mode="multi",
            partner_id=self.env.ref("base.res_partner_2").id,
        )
        order.action_confirm()
        order.action_transfer()
        self.assertStock(
            self.wip, {self.leg: 48, self.board: 24 + 8, self.glue: 1.2 + 0.2}
        )
        order.action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertStock(self.wip, {self.leg: 0, self.board: 0, self.glue: 0})
        self.assertStock(self.stock, {self.leg: 200, self.board: 100, self.glue: 5})

    def test_06_purchase_missing(self):
        """Draft purchase orders per main vendor for the shortfall only."""
        vendor_a = self.env.ref("base.res_partner_1")
        vendor_b = self.env.ref("base.res_partner_3")
        self.leg.seller_ids = [
            Command.create({"partner_id": vendor_a.id, "price": 2.0})
        ]
        self.board.seller_ids = [
            Command.create({"partner_id": vendor_b.id, "price": 1.5})
        ]
        self.glue.seller_ids = [
            Command.create({"partner_id": vendor_a.id, "price": 9.0})
        ]
        order = self.new_job_order([(self.table, 5)])  # 60 tables
        order.action_confirm()
        order.sudo().action_purchase_missing()
        lines = self.env["purchase.order.line"].search(
            [("job_order_id", "=", order.id)]
        )
        by_product = {line.product_id: line.product_qty for line in lines}
        # needs: 240 legs (200 in stock), 6 kg glue (5), 120 boards (100)
        self.assertEqual(by_product, {self.leg: 40, self.glue: 1.0, self.board: 20})
        self.assertEqual(lines.mapped("order_id.partner_id"), vendor_a | vendor_b)
        self.assertEqual(set(lines.mapped("order_id.state")), {"draft"})
        self.assertEqual(order.purchase_count, 2)

    def test_07_bom_add_to_inventory(self):
        """From a BOM: produce at once; a negative quantity reverses."""
        Produce = (
            self.env["mrp.bom.produce"]
            .with_user(self.planner)
            .with_context(default_bom_id=self.top_bom.id)
        )
        wizard = Produce.create({"product_qty": 4})
        action = wizard.action_produce()
        order = self.env["mrp.job.order"].browse(action["res_id"])
        self.assertEqual(order.state, "done")
        self.assertEqual(order.line_ids.qty_produced, 4)
        self.assertStock(self.stock, {self.top: 14, self.board: 92, self.glue: 4.8})
        Produce.create({"product_qty": -3}).action_produce()
        self.assertStock(self.stock, {self.top: 11, self.board: 98, self.glue: 4.95})
        orders = self.env["mrp.job.order"].search_count([])
        with self.assertRaisesRegex(UserError, "Not enough components"):
            Produce.create({"product_qty": -50}).action_produce()
        self.assertEqual(self.env["mrp.job.order"].search_count([]), orders)
        self.assertStock(self.stock, {self.top: 11})
