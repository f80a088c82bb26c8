"""A generation killed midway (process stopped after writing, before
committing) leaves no partial job order; the next run completes it."""

import os
import signal
import subprocess
import sys

import odoo
import odoo.release
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

# Odoo's own launcher, beside the odoo package of the running tree
ODOO_BIN = os.environ.get("ODOO_BIN") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(odoo.release.__file__))), "odoo-bin"
)
SCRIPT = """
profile = env['mrp.job.order.profile'].search([('name', '=', 'Killed midway')])
run = env['mrp.job.order.run'].browse(profile.run())
print('GENERATED %%s' %% len(run.created_ids), flush=True)
import time
time.sleep(%s)
# what the scheduler's own transaction does at the end of a job (the shell
# itself rolls back)
env.cr.commit()
"""


@tagged("post_install", "-at_install")
class TestKilledGeneration(BaseCase):
    def setUp(self):
        super().setUp()
        self.db = get_db_name()
        self.registry = Registry(self.db)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            part = env["product.product"].create(
                {"name": "Kill Part", "type": "consu", "is_storable": True}
            )
            self.product = env["product.product"].create(
                {"name": "Kill Widget", "type": "consu", "is_storable": True}
            )
            env["mrp.bom"].create(
                {
                    "product_tmpl_id": self.product.product_tmpl_id.id,
                    "bom_line_ids": [(0, 0, {"product_id": part.id, "product_qty": 2})],
                }
            )
            self.order = env["sale.order"].create(
                {
                    "partner_id": env.ref("base.res_partner_12").id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 9,
                                "product_uom_id": self.product.uom_id.id,
                                "price_unit": 1,
                            },
                        )
                    ],
                }
            )
            self.order.action_confirm()
            self.profile = env["mrp.job.order.profile"].create(
                {"name": "Killed midway", "product_ids": [(6, 0, self.product.ids)]}
            )
            self.ids = (self.product.id, part.id, self.order.id, self.profile.id)

    def tearDown(self):
        product_id, part_id, order_id, profile_id = self.ids
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mrp.job.order"].search(
                [("line_ids.product_id", "=", product_id)]
            ).unlink()
            env["mrp.job.order.profile"].browse(profile_id).unlink()
            env["sale.order"].browse(order_id).action_cancel()
            env["product.product"].browse([product_id, part_id]).write(
                {"active": False}
            )
        super().tearDown()

    def shell(self, sleep):
        return subprocess.Popen(
            [
                sys.executable,
                ODOO_BIN,
                "shell",
                "-c",
                odoo.tools.config["config"],
                "-d",
                self.db,
                "--log-level",
                "warn",
                "--no-http",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def job_orders(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["mrp.job.order"].search(
                [("line_ids.product_id", "=", self.ids[0])]
            )
            return [
                (
                    o.state,
                    o.line_ids.product_qty,
                    sum(o.line_ids.demand_ids.mapped("product_qty")),
                )
                for o in orders
            ]

    def test_killed_run_leaves_nothing_and_next_run_completes(self):
        process = self.shell(60)
        process.stdin.write(SCRIPT % 60)
        process.stdin.close()
        line = process.stdout.readline()
        self.assertTrue(line.startswith("GENERATED 1"), line)
        process.send_signal(signal.SIGKILL)  # written, not committed
        process.wait(30)
        self.assertEqual(self.job_orders(), [])
        process = self.shell(0)
        out, _err = process.communicate(SCRIPT % 0, timeout=120)
        self.assertIn("GENERATED 1", out)
        self.assertEqual(self.job_orders(), [("draft", 9.0, 9.0)])
