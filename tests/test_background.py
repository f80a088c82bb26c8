"""Background generation through queue_job, inside one transaction: the
run log, the chunks, the queued jobs, refusals and retries. (The real job
runner, with workers and a killed worker, is tests/test_background_runner.py.)

Jobs are either left queued (to look at them) or run at once with
queue_job's own ``queue_job__no_delay`` switch, which performs the same job
graph in the same order without storing it."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError

from .common import JobOrderCase

NOW = {"queue_job__no_delay": True}


@tagged("post_install", "-at_install")
class TestBackground(JobOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [{"name": "Background customer %d" % n} for n in range(3)]
        )
        cls.orders = cls.env["sale.order"]
        for n in range(6):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": cls.customers[n % 3].id,
                    "warehouse_id": cls.warehouse.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "price_unit": 1.0,
                            },
                        )
                        for product, qty in ((cls.table, 1 + n), (cls.top, 2 + n))
                    ],
                }
            )
            order.action_confirm()
            cls.orders |= order
        cls.env["ir.config_parameter"].sudo().set_param(
            "mrp_job_order.generation_chunk_size", "2"
        )

    def wizard(self, **values):
        values = dict(
            {
                "mode": "multi",
                "group_by": "partner",
                "net_stock": False,
                "product_ids": [(6, 0, (self.table | self.top).ids)],
            },
            **values,
        )
        return self.env["mrp.job.order.generate"].with_user(self.planner).create(values)

    def pegged(self):
        """{sales line: quantity pegged} over the test's orders."""
        pegging = self.env["mrp.job.order.demand"].search(
            [("sale_line_id", "in", self.orders.order_line.ids)]
        )
        result = {}
        for record in pegging:
            result[record.sale_line_id] = (
                result.get(record.sale_line_id, 0) + record.product_qty
            )
        return result

    def jobs_of(self, records, method):
        return (
            self.env["queue.job"]
            .sudo()
            .search([("model_name", "=", records._name), ("method_name", "=", method)])
            .filtered(lambda job: set(job.records.ids) & set(records.ids))
        )

    def test_background_run_writes_the_plan_in_chunks(self):
        wizard = self.wizard()
        expected = {}
        _raw, result, _errors, _planned = self.env["mrp.job.order.planner"]._plan(
            wizard._params_dict()
        )
        for proposal in result.proposals:
            expected["|".join(map(str, proposal.key))] = sorted(
                (line.product_id, line.qty) for line in proposal.lines
            )
        action = wizard.with_context(**NOW).action_generate_background()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"]["res_model"], "mrp.job.order.run")
        run = wizard.run_id
        self.assertEqual(action["params"]["next"]["res_id"], run.id)
        self.assertTrue(run.background)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.progress, 100.0)
        # 3 customers, 4 pegged lines each: chunks of 2 demand lines hold one
        # customer's job order each (a job order is never split)
        self.assertEqual(run.chunk_count, 3)
        self.assertEqual(set(run.chunk_ids.mapped("state")), {"done"})
        self.assertEqual(run.chunk_ids.mapped("demand_count"), [4, 4, 4])
        self.assertFalse(any(run.sudo().chunk_ids.mapped("payload")))
        self.assertEqual(run.created_ids, run.chunk_ids.created_ids)
        self.assertEqual(run.demand_count, 12)
        self.assertEqual(run.planned_count, 12)
        got = {
            order.group_key: sorted(
                (line.product_id.id, line.product_qty) for line in order.line_ids
            )
            for order in run.created_ids
        }
        self.assertEqual(got, expected)
        self.assertEqual(
            sorted(run.created_ids.mapped("partner_id").ids), sorted(self.customers.ids)
        )
        self.assertEqual(
            self.pegged(),
            {line: line.product_uom_qty for line in self.orders.order_line},
        )
        # the planner is told (bus notifications are written when the
        # transaction commits: run what the commit would run first)
        self.env.cr.precommit.run()
        notes = (
            self.env["bus.bus"]
            .sudo()
            .search([("message", "ilike", "Background generation ended")])
        )
        self.assertTrue(notes)

    def test_a_retried_chunk_or_close_writes_nothing_twice(self):
        wizard = self.wizard()
        wizard.with_context(**NOW).action_generate_background()
        run = wizard.run_id
        orders = self.env["mrp.job.order"].search_count([])
        pegging = self.pegged()
        for chunk in run.chunk_ids:
            self.assertEqual(
                chunk.with_user(self.planner)._job_run(), "Already written."
            )
        self.assertIn("Nothing to do", run.with_user(self.planner)._job_finish())
        self.assertIn("Nothing to do", run.with_user(self.planner)._job_prepare())
        self.assertEqual(self.env["mrp.job.order"].search_count([]), orders)
        self.assertEqual(self.pegged(), pegging)

    def test_queued_run_blocks_generation_and_a_second_run_waits(self):
        wizard = self.wizard()
        wizard.action_generate_background()
        run = wizard.run_id
        self.assertEqual(run.state, "in_progress")
        self.assertEqual(run.progress, 0.0)
        prepare = self.jobs_of(run, "_job_prepare")
        self.assertEqual(len(prepare), 1)
        self.assertEqual(prepare.channel, "root.mrp_job_order")
        self.assertEqual(prepare.state, "pending")
        self.assertEqual(prepare.user_id, self.planner)
        orders = self.env["mrp.job.order"].search_count([])
        # a generation now would plan what the queued run plans
        with self.assertRaisesRegex(UserError, "background generation .* is running"):
            self.wizard().action_generate()
        with self.assertRaisesRegex(UserError, "background generation .* is running"):
            self.wizard().action_generate_background()
        self.assertEqual(self.env["mrp.job.order"].search_count([]), orders)
        # a scheduled profile is queued behind it, and waits for it
        self.env["mrp.job.order.profile"].create(
            {"name": "Nightly", "product_ids": [(6, 0, self.table.ids)]}
        )
        self.env["mrp.job.order.profile"]._cron_generate()
        second = self.env["mrp.job.order.run"].search(
            [("profile_id.name", "=", "Nightly")]
        )
        self.assertEqual(second.state, "in_progress")
        with self.assertRaises(RetryableJobError):
            second._job_prepare()
        # the first one plans, and queues its chunks and its close
        run.with_user(self.planner)._job_prepare()
        self.assertEqual(run.chunk_count, 3)
        chunk_jobs = self.jobs_of(run.chunk_ids, "_job_run")
        self.assertEqual(len(chunk_jobs), 3)
        self.assertEqual(set(chunk_jobs.mapped("state")), {"pending"})
        self.assertEqual(
            sorted(chunk_jobs.mapped("uuid")), sorted(run.chunk_ids.mapped("job_uuid"))
        )
        # the close waits for them: it is tried again later while one is not written
        close = self.jobs_of(run, "_job_finish")
        self.assertEqual((close.state, close.priority), ("pending", 20))
        with self.assertRaisesRegex(RetryableJobError, "0 of 3 chunks written"):
            run.with_user(self.planner)._job_finish()
        self.assertEqual(run.state, "in_progress")
        self.assertEqual(self.env["mrp.job.order"].search_count([]), orders)

    def test_a_chunk_job_given_up_without_call_back_fails_the_run_at_close(self):
        wizard = self.wizard()
        wizard.action_generate_background()
        run = wizard.run_id
        run.with_user(self.planner)._job_prepare()
        for chunk in run.chunk_ids[:2]:
            chunk.with_user(self.planner)._job_run()
        # as the runner marks a job found dead too many times (plain SQL, no call back)
        self.env.cr.execute(
            "UPDATE queue_job SET state = 'failed', exc_name = 'JobFoundDead', "
            "exc_message = 'Job found dead after too many retries' WHERE uuid = %s",
            (run.chunk_ids[2].job_uuid,),
        )
        self.env.invalidate_all()
        self.assertEqual(run.with_user(self.planner)._job_finish(), "The run failed.")
        self.assertEqual(run.state, "failed")
        self.assertIn("Job found dead", run.errors)

    def test_more_demand_than_the_threshold_goes_to_the_background(self):
        self.company.job_order_background_threshold = 12
        action = self.wizard().action_generate()
        # 12 lines: not above, generated at once
        self.assertEqual(action["params"]["next"]["res_model"], "mrp.job.order")
        self.env["mrp.job.order"].search(
            [
                (
                    "id",
                    "in",
                    self.env["mrp.job.order.run"].search([], limit=1).created_ids.ids,
                )
            ]
        ).action_cancel()
        self.env["mrp.job.order.demand"].search(
            [("sale_line_id", "in", self.orders.order_line.ids)]
        ).unlink()
        self.company.job_order_background_threshold = 1
        orders = self.env["mrp.job.order"].search_count([])
        action = self.wizard().action_generate()
        self.assertEqual(action["params"]["next"]["res_model"], "mrp.job.order.run")
        run = self.env["mrp.job.order.run"].browse(action["params"]["next"]["res_id"])
        self.assertEqual(run.state, "in_progress")
        self.assertEqual(self.env["mrp.job.order"].search_count([]), orders)

    def test_a_failed_job_fails_the_run_and_frees_generation(self):
        wizard = self.wizard()
        wizard.action_generate_background()
        run = wizard.run_id
        run.with_user(self.planner)._job_prepare()
        run.chunk_ids[0]._job_failed(
            exc_name="psycopg2.errors.QueryCanceled",
            exc_message="canceling statement due to statement timeout",
        )
        self.assertEqual(run.chunk_ids[0].state, "failed")
        self.assertEqual(run.state, "failed")
        self.assertIn("statement timeout", run.errors)
        # nothing blocks the next generation
        self.wizard().with_context(**NOW).action_generate_background()

    def test_threshold_cannot_be_negative(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.job_order_background_threshold = -1
