"""Two generations at the same time, in two database transactions, over the
same demand: every unit is planned once. The second waits for the first,
fails to serialise and is retried, as Odoo retries an RPC call."""

import threading

import psycopg2.extensions

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

RETRIES = 5


def _generate(registry, barrier, outcome, index):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        products = env["product.product"].search([("default_code", "=", "CONC-TABLE")])
        params = (
            env["mrp.job.order.generate"]
            .create({"mode": "mono", "product_ids": [(6, 0, products.ids)]})
            ._params_dict()
        )
        # the point of the test: two transactions racing on committed data
        cr.commit()  # pylint: disable=invalid-commit
        env["sale.order.line"].search_count([])  # take a snapshot, then race
        barrier.wait()
        for attempt in range(RETRIES):
            try:
                run = env["mrp.job.order.planner"]._generate(params)
                outcome[index] = (attempt, run.created_ids.ids + run.updated_ids.ids)
                # committed as an RPC call would be: the other one must see it
                cr.commit()  # pylint: disable=invalid-commit
                return
            except psycopg2.extensions.TransactionRollbackError:
                cr.rollback()
                env.clear()
        outcome[index] = ("gave up", [])


@tagged("post_install", "-at_install")
class TestConcurrentGeneration(BaseCase):
    """Committed data on purpose (two transactions must see it); removed at
    the end."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            leg = env["product.product"].create(
                {"name": "Conc Leg", "type": "consu", "is_storable": True}
            )
            table = env["product.product"].create(
                {
                    "name": "Conc Table",
                    "type": "consu",
                    "is_storable": True,
                    "default_code": "CONC-TABLE",
                }
            )
            env["mrp.bom"].create(
                {
                    "product_tmpl_id": table.product_tmpl_id.id,
                    "product_qty": 1,
                    "bom_line_ids": [(0, 0, {"product_id": leg.id, "product_qty": 4})],
                }
            )
            partner = env["res.partner"].create({"name": "Concurrent Customer"})
            orders = env["sale.order"]
            for qty in (3, 5, 7):
                order = env["sale.order"].create(
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            (
                                0,
                                0,
                                {
                                    "product_id": table.id,
                                    "product_uom_qty": qty,
                                    "product_uom_id": table.uom_id.id,
                                    "price_unit": 1,
                                },
                            )
                        ],
                    }
                )
                order.action_confirm()
                orders |= order
            self.ids = {"table": table.id, "leg": leg.id, "orders": orders.ids}

    def tearDown(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            jobs = env["mrp.job.order"].search(
                [("line_ids.product_id", "=", self.ids["table"])]
            )
            jobs.filtered(lambda j: j.state != "draft").action_cancel()
            jobs.unlink()
            orders = env["sale.order"].browse(self.ids["orders"])
            orders.action_unlock()
            orders.action_cancel()
            env["product.product"].browse([self.ids["table"], self.ids["leg"]]).write(
                {"active": False}
            )
        super().tearDown()

    def test_two_generations_plan_each_unit_once(self):
        barrier = threading.Barrier(2)
        outcome = {}
        threads = [
            threading.Thread(
                target=_generate, args=(self.registry, barrier, outcome, i)
            )
            for i in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(len(outcome), 2)
        self.assertNotIn("gave up", [attempt for attempt, _ids in outcome.values()])
        # exactly one generation created the job order; the other, retried on
        # a fresh snapshot, found nothing left to plan
        created = [ids for _attempt, ids in outcome.values() if ids]
        self.assertEqual(len(created), 1)
        self.assertTrue(any(attempt > 0 for attempt, _ids in outcome.values()))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for order in env["sale.order"].browse(self.ids["orders"]):
                pegged = sum(
                    env["mrp.job.order.demand"]
                    .search([("sale_line_id", "in", order.order_line.ids)])
                    .mapped("product_qty")
                )
                self.assertEqual(pegged, order.order_line.product_uom_qty)
            jobs = env["mrp.job.order"].search(
                [("line_ids.product_id", "=", self.ids["table"])]
            )
            self.assertEqual(len(jobs), 1)
            self.assertEqual(jobs.line_ids.product_qty, 15)

    def test_background_run_racing_a_generation_is_retried_not_failed(self):
        """The planning job of a scheduled profile loses the race for the
        generation lock: the serialisation failure reaches queue_job (which
        retries the job) instead of failing the run."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            profile = env["mrp.job.order.profile"].create(
                {
                    "name": "Concurrent nightly",
                    "product_ids": [(6, 0, [self.ids["table"]])],
                }
            )
            self.ids["profile"] = profile.id
            run = profile._enqueue()
            self.assertEqual(run.state, "in_progress")
            self.ids["run"] = run.id
        try:
            with self.registry.cursor() as job_cr:
                job_env = api.Environment(job_cr, SUPERUSER_ID, {})
                job_env["mrp.job.order.profile"].search_count([])  # the job's snapshot
                # meanwhile a planner's generation takes the lock and commits
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["mrp.job.order.run.lock"]._acquire(env.company)
                with self.assertRaises(psycopg2.extensions.TransactionRollbackError):
                    job_env["mrp.job.order.run"].browse(self.ids["run"])._job_prepare()
                job_cr.rollback()
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                run = env["mrp.job.order.run"].browse(self.ids["run"])
                self.assertEqual(run.state, "in_progress")
                self.assertFalse(run.chunk_ids)
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                runs = env["mrp.job.order.run"].search(
                    [("profile_id", "=", self.ids["profile"])]
                )
                env["queue.job"].search(
                    [("model_name", "=", "mrp.job.order.run")]
                ).filtered(lambda job: job.records & runs).unlink()
                runs.unlink()
                env["mrp.job.order.profile"].browse(self.ids["profile"]).unlink()
