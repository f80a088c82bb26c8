"""``runtime/do.sh bench-background``: a whole generation through queue_job
on a real server (two workers and queue_job's runner), end to end.

    runtime/do.sh bench-background --lines 100000 --mode mono

Uses the template database of ``make bench`` with ``--data-lines`` demand
lines (built once by run.py's datagen: 10,000 by default), copies it, adds
sales orders until ``--lines`` demand lines (copies of the generated ones,
created as quotations and then marked confirmed, without action_confirm:
sale_stock would create their deliveries, about 13 lines a second here, and
the generation reads the orders the same way), starts ``odoo-bin`` with two
workers and the job runner, queues the generation of every generated sales
order (as the wizard's "Generate in Background" does), and waits for the run
to end.  Prints wall time from queueing to the end of the run, the time of
the planning job and of the chunks, and the peak resident memory of every
worker process (VmHWM of /proc, sampled every half second), then checks the
pegging: every demand line pegged exactly once, for its quantity.
"""

import argparse
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests"))

import run as bench  # noqa: E402  (bench/run.py: template database, logging)


def status(pid):
    """The fields of /proc/<pid>/status (VmHWM: the process's peak resident
    memory), None once the process is gone."""
    values = {}
    try:
        with open("/proc/%d/status" % pid) as handle:
            for line in handle:
                key, _sep, value = line.partition(":")
                values[key] = value.strip()
    except OSError:
        return None
    return values


class MemoryWatch(threading.Thread):
    """Peak resident memory (MB) of each process under the server's master."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master, self.peaks, self.stop = master, {}, threading.Event()

    def run(self):
        import psutil

        master = psutil.Process(self.master)
        while not self.stop.wait(0.5):
            for pid in (child.pid for child in master.children(recursive=True)):
                info = status(pid)
                if info and "VmHWM" in info:
                    mb = int(info["VmHWM"].split()[0]) / 1024.0
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), mb)


def top_up(registry, lines):
    """Copies of the generated sales orders, created confirmed, until the
    generated orders have ``lines`` lines."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True},
        )
        orders = env["sale.order"].search(
            [("partner_id.name", "like", "Bench Customer"), ("state", "=", "sale")],
            order="id",
        )
        models = [
            (
                order.partner_id.id,
                [
                    (line.product_id.id, line.product_uom_qty)
                    for line in order.order_line
                    if not line.display_type
                ],
            )
            for order in orders
        ]
        have = sum(len(order_lines) for _partner, order_lines in models)
        began, batch, index = time.time(), [], 0
        while have < lines:
            partner, order_lines = models[index % len(models)]
            order_lines = order_lines[: lines - have]
            batch.append(
                {
                    "partner_id": partner,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": product,
                                "product_uom_qty": qty,
                                "price_unit": 10.0,
                            },
                        )
                        for product, qty in order_lines
                    ],
                }
            )
            have += len(order_lines)
            index += 1
            if len(batch) == 500 or have >= lines:
                # confirmed without action_confirm: sale_stock would create
                # their deliveries (what takes the time), the demand is the same
                env["sale.order"].create(batch).write({"state": "sale"})
                env.flush_all()
                # the data must be committed for the queue_job runner's own
                # transactions to see it; in batches, as a big load is done
                cr.commit()  # pylint: disable=invalid-commit
                env.invalidate_all()
                batch = []
        bench.log(
            "%d demand lines (%d orders added in %.0f s)"
            % (have, index, time.time() - began)
        )


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lines", type=int, default=100000, help="demand lines planned"
    )
    parser.add_argument(
        "--data-lines",
        type=int,
        default=10000,
        help="lines of the template built by datagen (the rest are copies)",
    )
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", default="mono", choices=("mono", "multi"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=3600)
    parser.add_argument(
        "--template",
        help="an existing data database to start from "
        "(the add-on is updated in the copy)",
    )
    args = parser.parse_args(argv)
    args.rebuild = False
    template = args.template or bench.template(args)

    from odoo import SUPERUSER_ID, api, sql_db
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        ["-c", bench.env("CONF"), "--log-level", "warn"], setup_logging=True
    )
    from server import OdooServer

    m = bench.manage()
    db = "mrp_job_order_bench_background"
    # the topped-up data is kept too: adding 90,000 lines takes minutes
    data = "mrp_job_order_bench_bg_s%d_p%d_c%d_l%d" % (
        args.seed,
        args.products,
        args.customers,
        args.lines,
    )
    if not m.db_exists(data):
        m.copy_db(template, db)
        bench.odoo_bin(
            db, bench.env("CONF"), ["-u", bench.MODULE], "jo_bench_bg_update.log"
        )
        top_up(Registry(db), args.lines)
        Registry.delete(db)
        sql_db.close_db(db)
        m.psql('ALTER DATABASE "%s" RENAME TO "%s"' % (db, data))
    m.copy_db(data, db)
    try:
        bench.odoo_bin(
            db, bench.env("CONF"), ["-u", bench.MODULE], "jo_bench_bg_update.log"
        )
        registry = Registry(db)
        with OdooServer(
            db=db,
            workers=args.workers,
            load="base,web,queue_job",
            environ={
                "ODOO_QUEUE_JOB_CHANNELS": "root:%d,root.mrp_job_order:%d"
                % (args.workers, args.workers)
            },
        ) as server:
            watch = MemoryWatch(server.process.pid)
            watch.start()
            bench.log(
                "server up; queueing a %s generation of every generated order"
                % args.mode
            )
            began = time.time()
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                orders = env["sale.order"].search(
                    [
                        ("partner_id.name", "like", "Bench Customer"),
                        ("state", "=", "sale"),
                    ]
                )
                wizard = env["mrp.job.order.generate"].create(
                    {
                        "use_sale": True,
                        "mode": args.mode,
                        "group_by": "partner",
                        "date_to": False,
                        "net_stock": False,
                        "sale_order_ids": [(6, 0, orders.ids)],
                    }
                )
                wizard._action_generate_background()
                run_id = wizard.run_id.id
            state = "in_progress"
            while state == "in_progress" and time.time() - began < args.timeout:
                time.sleep(1)
                with registry.cursor() as cr:
                    cr.execute(
                        "SELECT state FROM mrp_job_order_run WHERE id = %s", (run_id,)
                    )
                    state = cr.fetchone()[0]
            wall = time.time() - began
            watch.stop.set()
            watch.join()
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                run = env["mrp.job.order.run"].browse(run_id)
                jobs = env["queue.job"].search(
                    [
                        (
                            "model_name",
                            "in",
                            ("mrp.job.order.run", "mrp.job.order.run.chunk"),
                        )
                    ]
                )
                prepare = jobs.filtered(
                    lambda j: j.method_name == "_job_prepare" and j.records == run
                )
                chunks = jobs.filtered(
                    lambda j: j.method_name == "_job_run" and j.records <= run.chunk_ids
                )
                orders = orders.with_env(env)
                lines = orders.order_line.filtered(lambda line: not line.display_type)
                cr.execute(
                    "SELECT count(*), count(DISTINCT sale_line_id), sum(product_qty) "
                    "FROM mrp_job_order_demand WHERE sale_line_id = ANY(%s)",
                    (lines.ids,),
                )
                pegs, pegged_lines, pegged_qty = cr.fetchone()
                cr.execute(
                    "SELECT sale_line_id, sum(product_qty) FROM mrp_job_order_demand "
                    "WHERE sale_line_id = ANY(%s) GROUP BY 1",
                    (lines.ids,),
                )
                pegged = dict(cr.fetchall())
                # a pegged line carries what was left to deliver, product unit
                wrong = sum(
                    1
                    for line in lines
                    if line.id in pegged
                    and abs(
                        pegged[line.id]
                        - line.product_uom_id._compute_quantity(
                            line.product_uom_qty - line.qty_delivered,
                            line.product_id.uom_id,
                            round=False,
                        )
                    )
                    > line.product_id.uom_id.rounding
                )
                result = {
                    "mode": args.mode,
                    "state": run.state,
                    "errors": run.errors,
                    "demand": run.demand_count,
                    "planned": run.planned_count,
                    "job_orders": len(run.created_ids),
                    "chunks": len(run.chunk_ids),
                    "wall_s": round(wall, 1),
                    "plan_job_s": round(sum(prepare.mapped("exec_time")), 1),
                    "chunk_jobs_s": round(sum(chunks.mapped("exec_time")), 1),
                    "retries": sum(j.retry - 1 for j in chunks),
                    "pegging_rows": pegs,
                    "pegged_lines": pegged_lines,
                    "pegged_qty": pegged_qty,
                    "lines_pegged_not_as_ordered": wrong,
                    "skipped": run.skipped_count,
                }
            # the HTTP workers, the job runner and the bus (gevent) process
            result["peak_mb_per_process"] = sorted(
                round(mb) for mb in watch.peaks.values()
            )
            # the command's result, as JSON on stdout for whoever reads it
            print(json.dumps(result, indent=1, default=str))  # pylint: disable=print-used
            bench.log(
                "%(mode)s, %(demand)s demand lines: %(wall_s)s s end to end, "
                "%(job_orders)s job orders in %(chunks)s chunks; peak MB per process "
                "%(peak_mb_per_process)s" % result
            )
            if result["state"] not in ("done", "warning"):
                raise SystemExit("the run did not end well: %s" % result["state"])
            if (
                result["pegging_rows"] != result["pegged_lines"]
                or result["lines_pegged_not_as_ordered"]
                or result["pegged_lines"] + result["skipped"] != result["demand"]
            ):
                raise SystemExit("the pegging is not the demand")
    finally:
        m.drop_db(db)


if __name__ == "__main__":
    main(sys.argv[1:])
