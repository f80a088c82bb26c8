"""Background generation for real: an Odoo server with two workers and
queue_job's job runner, a generation queued over JSON-2 by a planner, and a
worker killed with SIGKILL in the middle of a chunk.

The data lives in a company of its own ("Background Plant"), committed (the
server must see it), so that the other test modules never plan it."""

import contextlib
import json
import os
import signal
import time

import pytest

import odoo.tests.common
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

from .. import planning
from .e2e_helpers import Json2, api_key
from .server import OdooServer

CHUNK = 3  # demand lines per chunk
TIMEOUT = 240  # seconds for a run to end (a killed job is requeued within ~70 s)


@contextlib.contextmanager
def committed_env(db):
    with Registry(db).cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


@pytest.fixture(scope="module")
def plant():
    db = odoo.tests.common.get_db_name()
    with committed_env(db) as env:
        company = env["res.company"].create({"name": "Background Plant"})
        env = env(context={"allowed_company_ids": [company.id]})
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)]
        ) or env["stock.warehouse"].create(
            {"name": "Background Plant", "code": "BGP", "company_id": company.id}
        )
        unit = env.ref("uom.product_uom_unit")

        def product(name):
            return env["product.product"].create(
                {
                    "name": name,
                    "type": "consu",
                    "is_storable": True,
                    "uom_id": unit.id,
                    "company_id": company.id,
                    "standard_price": 3.0,
                }
            )

        plank = product("BG Plank")
        shelves = [product("BG Shelf %d" % n) for n in range(6)]
        env["mrp.bom"].create(
            [
                {
                    "product_tmpl_id": shelf.product_tmpl_id.id,
                    "product_qty": 1,
                    "company_id": company.id,
                    "bom_line_ids": [
                        Command.create({"product_id": plank.id, "product_qty": 2})
                    ],
                }
                for shelf in shelves
            ]
        )
        customers = env["res.partner"].create(
            [{"name": "BG Customer %d" % n, "company_id": company.id} for n in range(4)]
        )
        planner = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Background Planner",
                    "login": "bg_planner",
                    "company_id": company.id,
                    "company_ids": [Command.set([company.id])],
                    "group_ids": [
                        Command.set(
                            [
                                env.ref(xmlid).id
                                for xmlid in (
                                    "base.group_user",
                                    "mrp_job_order.group_job_order_user",
                                    "stock.group_stock_user",
                                )
                            ]
                        )
                    ],
                }
            )
        )
        env["ir.config_parameter"].set_param(
            "mrp_job_order.generation_chunk_size", str(CHUNK)
        )
        ids = {
            "company": company.id,
            "warehouse": warehouse.id,
            "shelves": [s.id for s in shelves],
            "customers": customers.ids,
            "planner": planner.id,
            "db": db,
        }
    yield ids
    with committed_env(db) as env:
        env["ir.config_parameter"].set_param(
            "mrp_job_order.generation_chunk_size", False
        )


@pytest.fixture(scope="module")
def server(plant):
    # two workers, the job runner started by the server (--load), two jobs
    # of the generation channel at a time
    with OdooServer(
        workers=2,
        load="base,web,queue_job",
        environ={"ODOO_QUEUE_JOB_CHANNELS": "root:2,root.mrp_job_order:2"},
    ) as running:
        yield running


@pytest.fixture(scope="module")
def planner(server, plant):
    return Json2(server.url, server.db, api_key(server.db, "bg_planner"))


def sales_orders(plant, count):
    """``count`` confirmed sales orders, each with a line of every shelf
    (quantities 1..), committed; their ids."""
    with committed_env(plant["db"]) as env:
        env = env(context={"allowed_company_ids": [plant["company"]]})
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": plant["customers"][n % len(plant["customers"])],
                    "company_id": plant["company"],
                    "warehouse_id": plant["warehouse"],
                    "order_line": [
                        Command.create(
                            {
                                "product_id": shelf,
                                "product_uom_qty": 1 + n + i,
                                "price_unit": 10.0,
                            }
                        )
                        for i, shelf in enumerate(plant["shelves"])
                    ],
                }
                for n in range(count)
            ]
        )
        orders.action_confirm()
        return orders.ids


def queue(planner, order_ids):
    """The planner queues a mono generation of ``order_ids`` over JSON-2;
    the run's id."""
    wizard = planner(
        "mrp.job.order.generate",
        "create",
        vals_list=[
            {"mode": "mono", "net_stock": False, "sale_order_ids": [[6, 0, order_ids]]}
        ],
    )
    action = planner("mrp.job.order.generate", "action_generate_background", ids=wizard)
    assert action["type"] == "ir.actions.client"
    assert action["tag"] == "display_notification"
    assert action["params"]["next"]["res_model"] == "mrp.job.order.run"
    return action["params"]["next"]["res_id"]


def wait_for_end(planner, run_id):
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        run = planner.read_one(
            "mrp.job.order.run",
            run_id,
            ["state", "chunk_count", "chunk_done_count", "created_ids", "errors"],
        )
        if run["state"] != "in_progress":
            return run
        time.sleep(1)
    raise AssertionError("the run did not end within %d s: %s" % (TIMEOUT, run))


def check_pegging(plant, order_ids):
    """Every sales line pegged exactly once, for exactly its quantity, on
    one job order per shelf; {shelf id: job order ids}."""
    with committed_env(plant["db"]) as env:
        lines = env["sale.order"].browse(order_ids).order_line
        pegging = env["mrp.job.order.demand"].search(
            [("sale_line_id", "in", lines.ids)]
        )
        pegged = {}
        for record in pegging:
            pegged[record.sale_line_id.id] = (
                pegged.get(record.sale_line_id.id, 0) + record.product_qty
            )
        assert pegged == {line.id: line.product_uom_qty for line in lines}
        assert len(pegging) == len(lines), "a demand line pegged twice"
        orders = {}
        for record in pegging:
            orders.setdefault(record.product_id.id, set()).add(record.job_order_id.id)
        return orders


def run_jobs(plant, run_id):
    with committed_env(plant["db"]) as env:
        run = env["mrp.job.order.run"].browse(run_id)
        jobs = (
            env["queue.job"]
            .search(
                [("model_name", "in", ("mrp.job.order.run", "mrp.job.order.run.chunk"))]
            )
            .filtered(lambda job: job.records in (run, *run.chunk_ids) and job.records)
        )
        return [
            (job.method_name, job.state, job.retry, job.records.ids[0], job.uuid)
            for job in jobs
        ]


def started_job_of(registry, product_id):
    """(uuid, worker pid) of the started chunk job writing ``product_id``."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        jobs = env["queue.job"].search(
            [("state", "=", "started"), ("method_name", "=", "_job_run")]
        )
        for job in jobs:
            proposals = planning.load_proposals(
                json.loads(job.records.sudo().payload)["proposals"]
            )
            if product_id in {line.product_id for p in proposals for line in p.lines}:
                return job.uuid, job.worker_pid
    raise AssertionError("no started chunk job writes product %s" % product_id)


def test_generation_queued_over_json2_is_written_by_the_job_runner(
    plant, server, planner
):
    order_ids = sales_orders(plant, 4)
    run_id = queue(planner, order_ids)
    run = wait_for_end(planner, run_id)
    assert run["state"] == "done", run["errors"]
    # 6 shelves, 4 lines each: one job order per shelf, each its own chunk
    assert run["chunk_count"] == 6
    assert run["chunk_done_count"] == 6
    assert len(run["created_ids"]) == 6
    orders = check_pegging(plant, order_ids)
    assert sorted(orders) == sorted(plant["shelves"])
    assert all(len(ids) == 1 for ids in orders.values())
    jobs = run_jobs(plant, run_id)
    assert (
        sorted(job[0] for job in jobs)
        == ["_job_finish", "_job_prepare"] + ["_job_run"] * 6
    )
    assert {job[1] for job in jobs} == {"done"}
    # the planner was told
    with committed_env(plant["db"]) as env:
        planner_partner = env["res.users"].browse(plant["planner"]).partner_id
        notes = env["bus.bus"].search(
            [("message", "ilike", "Background generation ended")]
        )
        assert planner_partner.id in [json.loads(note.channel)[-1] for note in notes]
    assert not server.log_errors()


def test_worker_killed_in_the_middle_of_a_chunk(plant, server, planner):
    """The chunk of one shelf waits on a row lock this test holds (the
    shelf's product row: inserting its job order line needs it), its
    worker is killed, the lock released: the transaction is gone, queue_job
    requeues the job, and the final pegging equals the demand exactly."""
    order_ids = sales_orders(plant, 4)
    victim = plant["shelves"][2]
    log_start = server.log_size()
    registry = Registry(plant["db"])
    with registry.cursor() as lock_cr:
        lock_cr.execute("SELECT pg_backend_pid()")
        lock_pid = lock_cr.fetchone()[0]
        lock_cr.execute(
            "SELECT id FROM product_product WHERE id = %s FOR UPDATE", (victim,)
        )
        run_id = queue(planner, order_ids)
        deadline = time.time() + TIMEOUT
        blocked = None
        while not blocked and time.time() < deadline:
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT application_name, pid, query FROM pg_stat_activity "
                    "WHERE %s = ANY(pg_blocking_pids(pid))",
                    (lock_pid,),
                )
                blocked = cr.fetchone()
            time.sleep(0.2)
        assert blocked, "no chunk reached the locked product"
        killed, worker_pid = started_job_of(registry, victim)
        os.kill(worker_pid, signal.SIGKILL)
        lock_cr.rollback()
    run = wait_for_end(planner, run_id)
    assert run["state"] == "done", run["errors"]
    orders = check_pegging(plant, order_ids)
    assert all(len(ids) == 1 for ids in orders.values())
    jobs = run_jobs(plant, run_id)
    assert {job[1] for job in jobs} == {"done"}
    # every job ran once (retry 1), the killed one twice
    retries = {job[4]: job[2] for job in jobs}
    assert retries.pop(killed) == 2
    assert set(retries.values()) == {1}
    # nothing else went wrong on the server: the runner's request to the
    # killed worker is cut, which it logs (and the job is requeued)
    errors = [
        entry
        for entry in server.log_errors(log_start)
        if not (
            "queue_job.jobrunner.runner: exception in GET" in entry
            and "Remote end closed connection without response" in entry
        )
    ]
    assert not errors, errors
