"""Estimated vs actual cost of job orders, checked to the cent against
hand-computed values: a component at standard cost, one at average cost
received twice at different prices, one at FIFO, BOM operations with setup
time and work center capacity, labour on a line and on the header, a
partial backflush, a reverse and the final backflush."""

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import JobOrderCase


class CostCase(JobOrderCase):
    """A cabinet: 4 screws (standard 0.25), 2 panels (average: 10 at 8.00
    then 10 at 11.00, so 9.50), 3 hinges (FIFO: 10 at 2.00 then 10 at 3.00).
    Operations: Cut on the saw (30.00/h, 2 per cycle, 6 min setup, 10 min
    per cycle), Assemble on the bench (24.00/h, 1 per cycle, 15 min per
    cycle). Overhead: 20% on the cabinet's BOM, 10% for the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.manager = cls._user(
            "cost_manager",
            ["mrp_job_order.group_job_order_manager", "stock.group_stock_user"],
        )
        cls.company.job_order_overhead_rate = 10.0
        cls.screw = cls._costed("Screw", "standard", 0.25)
        cls.panel = cls._costed("Panel", "average", 0.0)
        cls.hinge = cls._costed("Hinge", "fifo", 0.0)
        cls.cabinet = cls._costed("Cabinet", "average", 0.0)
        cls.shelf = cls._costed("Shelf", "average", 0.0)
        cls.vendor = env["res.partner"].create({"name": "Cost test vendor"})
        Workcenter = env["mrp.workcenter"]
        # Odoo 19: the capacity of a work center (pieces per cycle) is a
        # capacity line, with its own setup and cleanup times; without one,
        # a cycle makes the BOM quantity
        cls.saw = Workcenter.create(
            {
                "name": "Saw",
                "costs_hour": 30.0,
                "time_start": 6.0,
                "capacity_ids": [
                    Command.create(
                        {
                            "capacity": 2.0,
                            "product_uom_id": cls.unit.id,
                            "time_start": 6.0,
                            "time_stop": 0.0,
                        }
                    )
                ],
            }
        )
        cls.bench = Workcenter.create({"name": "Bench", "costs_hour": 24.0})
        cls.cabinet_bom = cls._bom(
            cls.cabinet,
            1,
            cls.unit,
            [
                (cls.screw, 4, cls.unit),
                (cls.panel, 2, cls.unit),
                (cls.hinge, 3, cls.unit),
            ],
        )
        cls.cabinet_bom.overhead_rate = 20.0
        cls._operations(
            cls.cabinet_bom, [("Cut", cls.saw, 10.0), ("Assemble", cls.bench, 15.0)]
        )
        cls.shelf_bom = cls._bom(cls.shelf, 1, cls.unit, [(cls.panel, 1, cls.unit)])
        cls._operations(cls.shelf_bom, [("Assemble", cls.bench, 30.0)])
        cls.receive(cls.screw, 100, 0.25)
        cls.receive(cls.panel, 10, 8.0)
        cls.receive(cls.panel, 10, 11.0)
        cls.receive(cls.hinge, 10, 2.0)
        cls.receive(cls.hinge, 10, 3.0)

    @classmethod
    def _costed(cls, name, method, cost):
        category = cls.env["product.category"].create(
            {
                "name": "Cost tests %s" % method,
                "property_cost_method": method,
                "property_valuation": "periodic",
            }
        )
        product = cls._product(name, cost)
        product.categ_id = category
        return product

    @classmethod
    def _operations(cls, bom, operations):
        """Odoo 19 has no routings: the operations are the BOM's own."""
        bom.operation_ids = [
            Command.create(
                {
                    "name": op,
                    "workcenter_id": workcenter.id,
                    "time_mode": "manual",
                    "time_cycle_manual": minutes,
                }
            )
            for op, workcenter, minutes in operations
        ]

    @classmethod
    def receive(cls, product, qty, price):
        """A real receipt from a vendor, so that average and FIFO see it: in
        Odoo 19 an incoming move takes its value from its purchase line
        (a bare move would be valued at the product's cost)."""
        order = cls.env["purchase.order"].create(
            {
                "partner_id": cls.vendor.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": qty,
                            "price_unit": price,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        moves = order.picking_ids.move_ids
        moves.quantity = qty
        moves.picked = True
        order.picking_ids.button_validate()
        assert moves.state == "done" and round(moves.value, 2) == round(
            qty * price, 2
        ), (moves.state, moves.value)

    def record(self, order, workcenter, hours, line=None):
        return (
            self.env["mrp.job.order.labour"]
            .with_user(self.planner)
            .create(
                {
                    "job_order_id": order.id,
                    "line_id": line.id if line else False,
                    "workcenter_id": workcenter.id,
                    "hours": hours,
                }
            )
        )

    def assertCosts(self, record, estimated=None, actual=None, variance=None):
        """Each argument: (material, labour, overhead, total)."""
        self.env.invalidate_all()
        for suffix, values in (
            ("_estimated", estimated),
            ("_actual", actual),
            ("_variance", variance),
        ):
            if values is None:
                continue
            got = tuple(
                round(record["cost_%s%s" % (e, suffix)], 2)
                for e in ("material", "labour", "overhead")
            )
            got += (round(record["cost" + suffix], 2),)
            self.assertEqual(
                got, tuple(values), "cost%s of %s" % (suffix, record.display_name)
            )

    def run_cabinets(self):
        """The whole scenario, to done; returns the job order."""
        order = self.new_job_order([(self.cabinet, 5)])
        order.with_user(self.planner).action_confirm()
        order.with_user(self.planner).action_transfer()
        self.record(order, self.bench, 1.0, order.line_ids)
        self.record(order, self.saw, 0.5)
        self.backflush(order, {order.line_ids: 2})
        self.backflush(order, {order.line_ids: 1}, reverse=True)
        self.record(order, self.bench, 0.25)
        self.backflush(order, {order.line_ids: 4})
        return order


class TestCosts(CostCase):
    def test_01_cabinets_to_the_cent(self):
        order = self.new_job_order([(self.cabinet, 5)])
        line = order.line_ids
        order.with_user(self.planner).action_confirm()
        # 20 screws x 0.25 + 10 panels x 9.50 + hinges 10 x 2.00 + 5 x 3.00 = 135.00
        # Cut: ceil(5 / 2) = 3 cycles, 6 + 30 min = 0.6 h x 30 = 18.00
        # Assemble: 5 cycles x 15 min = 1.25 h x 24 = 30.00; overhead 20% of 135 = 27.00
        self.assertCosts(line, estimated=(135.0, 48.0, 27.0, 210.0))
        self.assertCosts(order, estimated=(135.0, 48.0, 27.0, 210.0))
        self.assertTrue(order.cost_estimated_date)
        self.assertEqual(line.cost_overhead_rate, 20.0)

        order.with_user(self.planner).action_transfer()  # internal move: no value yet
        self.record(order, self.bench, 1.0, line)  # 24.00 on the line
        self.record(order, self.saw, 0.5)  # 15.00 on the header
        self.assertCosts(
            order, actual=(0.0, 39.0, 0.0, 39.0), variance=(-135.0, -9.0, -27.0, -171.0)
        )

        self.backflush(order, {line: 2})
        # 8 screws 2.00 + 4 panels 38.00 + 6 hinges at 2.00 12.00 = 52.00;
        # overhead 10.40
        self.assertCosts(
            line,
            actual=(52.0, 39.0, 10.4, 101.4),
            variance=(-83.0, -9.0, -16.6, -108.6),
        )
        self.assertCosts(order, actual=(52.0, 39.0, 10.4, 101.4))
        self.assertAlmostEqual(order.cost_variance_pct, -108.6 / 210.0 * 100, places=6)
        # finished goods: 26.00 material + 5.20 overhead + 2/5 of 39.00 labour
        # per 2 = 39.00
        finished = order.move_ids.filtered(
            lambda m: m.job_order_finished and m.state == "done"
        )
        self.assertAlmostEqual(finished.price_unit, 39.0, places=2)
        self.assertAlmostEqual(self.cabinet.standard_price, 39.0, places=2)
        self.assertAlmostEqual(line.cost_labour_absorbed, 15.6, places=2)

        self.backflush(order, {line: 1}, reverse=True)
        # back from production: 4 screws 1.00, 2 panels 19.00, 3 hinges at 2.00 6.00
        self.assertCosts(order, actual=(26.0, 39.0, 5.2, 70.2))
        self.assertAlmostEqual(line.cost_labour_absorbed, 7.8, places=2)

        self.record(order, self.bench, 0.25)  # 6.00 more
        self.backflush(order, {line: 4})
        # 16 screws 4.00 + 8 panels 76.00 + hinges 4 x 2.00 + 8 x 3.00 = 112.00
        self.assertEqual(order.state, "done")
        self.assertCosts(
            order,
            estimated=(135.0, 48.0, 27.0, 210.0),
            actual=(138.0, 45.0, 27.6, 210.6),
            variance=(3.0, -3.0, 0.6, 0.6),
        )
        self.assertCosts(
            line, actual=(138.0, 45.0, 27.6, 210.6), variance=(3.0, -3.0, 0.6, 0.6)
        )
        self.assertAlmostEqual(
            order.cost_material_variance_pct, 3.0 / 135 * 100, places=6
        )
        self.assertAlmostEqual(order.cost_labour_variance_pct, -6.25, places=6)
        self.assertAlmostEqual(line.cost_variance_pct, 0.6 / 210 * 100, places=6)
        # done: all labour is in the finished goods; the five cabinets in stock
        # are worth the actual cost, 210.60 = 5 x 42.12
        self.assertAlmostEqual(line.cost_labour_absorbed, 45.0, places=2)
        self.assertAlmostEqual(self.cabinet.standard_price, 42.12, places=2)

    def test_02_labour_shared_and_company_rate(self):
        """Hours without a line are shared by estimated labour; a BOM without
        its own rate uses the company's."""
        order = self.new_job_order([(self.cabinet, 1), (self.shelf, 2)], mode="multi")
        cabinet_line, shelf_line = order.line_ids
        order.with_user(self.planner).action_confirm()
        # cabinet: 4 screws 1.00 + 2 panels 19.00 + 3 hinges from the first FIFO
        # layer 6.00; Cut 1 cycle (6 + 10 min) 8.00 + Assemble 15 min 6.00;
        # overhead 20% 5.20
        self.assertCosts(cabinet_line, estimated=(26.0, 14.0, 5.2, 45.2))
        # shelf: 2 panels 19.00, company rate 10% 1.90, Assemble 2 x 30 min 24.00
        self.assertCosts(shelf_line, estimated=(19.0, 24.0, 1.9, 44.9))
        self.assertEqual(shelf_line.cost_overhead_rate, 10.0)
        self.record(order, self.saw, 1.0)  # 30.00 shared 14 : 24
        self.assertEqual(cabinet_line.cost_labour_actual, 11.05)
        self.assertEqual(shelf_line.cost_labour_actual, 18.95)
        self.assertEqual(order.cost_labour_actual, 30.0)

    def test_03_subassembly_routing_and_uom(self):
        """Exploded, the table top's operations are labour of the table; material
        goes through dozens and grams."""
        self._operations(self.top_bom, [("Glue", self.bench, 6.0)])
        order = self.new_job_order([(self.table, 1)])  # one dozen
        order.with_user(self.planner).action_confirm()
        # 48 legs x 2 + (600 g + 12 x 50 g) of glue at 10/kg + 24 boards x 1.5 = 144.00;
        # 12 tops x 6 min at 24.00/h = 28.80; company overhead 10% = 14.40
        self.assertCosts(order, estimated=(144.0, 28.8, 14.4, 187.2))
        kept = self.new_job_order([(self.table, 1)])
        kept.line_ids.explode_subassemblies = False
        kept.with_user(self.planner).action_confirm()
        # tops consumed from stock at their cost (0): no top labour either
        self.assertCosts(kept, estimated=(102.0, 0.0, 10.2, 112.2))

    def test_04_reestimate(self):
        order = self.new_job_order([(self.cabinet, 5)])
        order.with_user(self.planner).action_confirm()
        self.screw.standard_price = 0.5
        with self.assertRaises(AccessError):
            order.with_user(self.planner).action_reestimate()
        messages = len(order.message_ids)
        order.with_user(self.manager).action_reestimate()
        self.assertCosts(order, estimated=(140.0, 48.0, 28.0, 216.0))
        self.assertEqual(len(order.message_ids), messages + 1)
        self.assertIn("re-estimated", order.message_ids[0].body)

    def test_05_reestimate_refused_once_started(self):
        order = self.new_job_order([(self.cabinet, 5)])
        order.with_user(self.planner).action_confirm()
        order.with_user(self.planner).action_transfer({order.line_ids.id: 1})
        self.assertEqual(order.state, "in_progress")
        self.screw.standard_price = 0.5
        self.env.invalidate_all()
        before = (
            order.read(["cost_estimated", "cost_estimated_date"])[0],
            order.line_ids.read(["cost_material_estimated"])[0],
            len(order.message_ids),
        )
        with self.assertRaisesRegex(UserError, "has started"):
            order.with_user(self.manager).action_reestimate()
        self.env.invalidate_all()
        after = (
            order.read(["cost_estimated", "cost_estimated_date"])[0],
            order.line_ids.read(["cost_material_estimated"])[0],
            len(order.message_ids),
        )
        self.assertEqual(after, before)

    def test_06_labour_refusals(self):
        order = self.new_job_order([(self.cabinet, 5)])
        Labour = self.env["mrp.job.order.labour"]
        with self.assertRaisesRegex(ValidationError, "confirmed"):
            self.record(order, self.saw, 1.0)  # draft: nothing to record on yet
        order.with_user(self.planner).action_confirm()
        entry = self.record(order, self.saw, 1.0)
        count, cost = Labour.search_count([]), order.cost_labour_actual
        for hours in (-2.0, 0.0):
            with self.assertRaisesRegex(ValidationError, "more than zero"):
                self.record(order, self.saw, hours)
        with self.assertRaisesRegex(ValidationError, "more than zero"):
            entry.with_user(self.planner).write({"hours": -1.0})
        other = self.new_job_order([(self.shelf, 1)])
        other.with_user(self.planner).action_confirm()
        with self.assertRaisesRegex(ValidationError, "is not a line"):
            self.record(order, self.saw, 1.0, other.line_ids)
        self.env.invalidate_all()
        self.assertEqual(Labour.search_count([]), count)
        self.assertEqual(entry.hours, 1.0)
        self.assertEqual(order.cost_labour_actual, cost)

    def test_07_settings(self):
        job_type = self.env["mrp.job.order.type"].create(
            {"name": "Cost type", "prefix": "CT/", "company_id": self.company.id}
        )
        settings = self.env["res.config.settings"].create(
            {
                "job_order_overhead_rate": 12.5,
                "job_order_type_id": job_type.id,
                "job_order_explode_subassemblies": False,
                "job_order_mode": "multi",
            }
        )
        settings.execute()
        self.assertEqual(self.company.job_order_overhead_rate, 12.5)
        self.assertEqual(self.new_job_order([(self.shelf, 1)]).type_id, job_type)
        new_type = self.env["mrp.job.order.type"].create({"name": "Defaults"})
        self.assertEqual(
            (new_type.mode, new_type.explode_subassemblies), ("multi", False)
        )
        with self.assertRaises(ValidationError):
            self.company.job_order_overhead_rate = -1

    def test_08_salesman_reads_costs(self):
        """Salespeople open job orders: the Costs page must read for them."""
        seller = self._user("seller", ["sales_team.group_sale_salesman"])
        order = self.new_job_order([(self.cabinet, 5)])
        order.with_user(self.planner).action_confirm()
        self.record(order, self.bench, 1.0)
        views = self.env["mrp.job.order"].with_user(seller).get_views([(False, "form")])
        view = views["views"]["form"]
        self.assertIn("labour_ids", views["models"]["mrp.job.order"]["fields"])
        values = order.with_user(seller).read(
            ["cost_estimated", "cost_actual", "labour_hours", "labour_ids"]
        )[0]
        self.assertEqual(
            (values["cost_estimated"], values["cost_actual"], values["labour_hours"]),
            (210.0, 24.0, 1.0),
        )
        # managers only: Odoo 19 takes the button out of the view of others
        button = etree.fromstring(view["arch"]).find(
            ".//button[@name='action_reestimate']"
        )
        self.assertIsNone(button)

    def test_09_line_added_after_confirmation(self):
        """A line added to a confirmed job order is estimated when added."""
        order = self.new_job_order([(self.cabinet, 1)], mode="multi")
        order.with_user(self.planner).action_confirm()
        order.with_user(self.planner).write(
            {"line_ids": [(0, 0, {"product_id": self.shelf.id, "product_qty": 2})]}
        )
        shelf_line = order.line_ids.filtered(lambda line: line.product_id == self.shelf)
        self.assertCosts(shelf_line, estimated=(19.0, 24.0, 1.9, 44.9))
        self.assertCosts(order, estimated=(45.0, 38.0, 7.1, 90.1))

    def test_10_move_value_corrected_later(self):
        """A consumption move revalued after the backflush (as a correction
        of Odoo's valuation does) changes the actual cost of its line and
        job order, outside any job order flow. Odoo 19 values outgoing moves
        positively: 10.00 more on the move is 10.00 more consumed."""
        order = self.new_job_order([(self.cabinet, 1)])
        line = order.line_ids
        order.with_user(self.planner).action_confirm()
        self.backflush(order, {line: 1})
        self.assertCosts(line, actual=(26.0, 0.0, 5.2, 31.2))
        screws = order.move_ids.filtered(
            lambda m: m.product_id == self.screw and not m.job_order_finished
        )
        screws.write({"value": screws.value + 10.0})
        self.assertCosts(line, actual=(36.0, 0.0, 7.2, 43.2))
        self.assertCosts(order, actual=(36.0, 0.0, 7.2, 43.2))

    def test_11_shared_labour_follows_entries_and_lines(self):
        """Hours without a line are shared again when an entry is changed,
        moved to a line or deleted, when a line is added (its estimate
        changes the shares) and when a line is removed."""
        order = self.new_job_order([(self.cabinet, 1), (self.shelf, 2)], mode="multi")
        cabinet_line, shelf_line = order.line_ids
        order.with_user(self.planner).action_confirm()
        entry = self.record(order, self.saw, 1.0)  # 30.00 shared 14 : 24
        self.assertCosts(cabinet_line, actual=(0.0, 11.05, 0.0, 11.05))
        entry.write({"hours": 2.0})  # 60.00: 22.11 and the rest
        self.assertCosts(cabinet_line, actual=(0.0, 22.11, 0.0, 22.11))
        self.assertCosts(shelf_line, actual=(0.0, 37.89, 0.0, 37.89))
        entry.write({"line_id": shelf_line.id})  # all of it on the shelves
        self.assertCosts(cabinet_line, actual=(0.0, 0.0, 0.0, 0.0))
        self.assertCosts(shelf_line, actual=(0.0, 60.0, 0.0, 60.0))
        entry.write({"line_id": False})
        # a second shelf line (estimated labour 24.00 too): 60 shared 14 : 24 : 24
        order.with_user(self.planner).write(
            {"line_ids": [(0, 0, {"product_id": self.shelf.id, "product_qty": 2})]}
        )
        self.assertCosts(cabinet_line, actual=(0.0, 13.55, 0.0, 13.55))
        self.assertCosts(order, actual=(0.0, 60.0, 0.0, 60.0))
        (order.line_ids - cabinet_line - shelf_line).with_user(self.planner).unlink()
        self.assertCosts(cabinet_line, actual=(0.0, 22.11, 0.0, 22.11))
        entry.with_user(self.planner).unlink()
        self.assertCosts(order, actual=(0.0, 0.0, 0.0, 0.0))
        self.assertCosts(shelf_line, actual=(0.0, 0.0, 0.0, 0.0))

    def test_12_lines_share_component_moves(self):
        """A backflush moves each component once for all the lines; each
        line's actual material is its share of the value, the shares add up
        to the moves, and a reverse of one line gives back only its share."""
        order = self.new_job_order([(self.cabinet, 1), (self.shelf, 2)], mode="multi")
        cabinet_line, shelf_line = order.line_ids
        order.with_user(self.planner).action_confirm()
        order.with_user(self.planner).action_transfer()
        self.backflush(order, {cabinet_line: 1, shelf_line: 2})
        consumed = order.move_ids.filtered(
            lambda m: (
                not m.job_order_finished and m.location_dest_id.usage == "production"
            )
        )
        # screws, panels (2 for the cabinet, 2 for the shelves), hinges: one move each
        self.assertEqual(
            sorted(consumed.mapped("product_id.name")),
            sorted([self.screw.name, self.panel.name, self.hinge.name]),
        )
        panels = consumed.filtered(lambda m: m.product_id == self.panel)
        self.assertEqual(panels.product_uom_qty, 4)
        self.assertEqual(
            sorted(panels.job_order_consumption_ids.mapped("value")), [-19.0, -19.0]
        )
        # shares are negative for consumption; Odoo 19 values outgoing moves positively
        shares = order.line_ids.mapped("consumption_ids")
        self.assertAlmostEqual(
            sum(shares.mapped("value")), -sum(consumed.mapped("value")), places=6
        )
        # cabinet: 4 screws 1.00 + 2 panels 19.00 + 3 hinges from the first FIFO
        # layer 6.00
        self.assertCosts(cabinet_line, actual=(26.0, 0.0, 5.2, 31.2))
        self.assertCosts(shelf_line, actual=(19.0, 0.0, 1.9, 20.9))
        self.backflush(order, {shelf_line: 1}, reverse=True)
        self.assertCosts(shelf_line, actual=(9.5, 0.0, 0.95, 10.45))
        self.assertCosts(cabinet_line, actual=(26.0, 0.0, 5.2, 31.2))
