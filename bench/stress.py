"""Stress: concurrent generations and backflushes through a real Odoo 19
server with workers (prefork; the bus on its --gevent-port), over XML-RPC.
Prints figures; exits non-zero on a violation: every demand unit must be
planned exactly once, no job order line half-written, no backflush beyond
the ordered quantity, components consumed exactly for what was produced.

    make setup && . .build/env.sh
    $PY bench/stress.py [--orders 40] [--clients 4] [--rounds 5]

The database (jo_bench_stress) is recreated by runtime/manage.py fresh; the
server is the test suite's OdooServer (tests/server.py).
"""

import argparse
import importlib.util
import os
import random
import subprocess
import sys
import threading
import time
import xmlrpc.client

from console import report_logger  # bench/console.py, beside this script

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DB = "jo_bench_stress"
RETRYABLE = ("could not serialize", "concurrent update", "deadlock")
_logger = report_logger("mrp_job_order.bench.stress")


def prepare_database():
    subprocess.check_call(
        [sys.executable, os.path.join(REPO, "runtime", "manage.py"), "fresh", DB],
        stdout=subprocess.DEVNULL,
    )


class Client:
    def __init__(self, url, db):
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
        self.db = db
        self.uid = common.authenticate(db, "admin", "admin", {})
        self.models = xmlrpc.client.ServerProxy(
            url + "/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, "admin", model, method, list(args), kwargs
        )


def scenario(rpc, orders, seed):
    rng = random.Random(seed)
    part = rpc(
        "product.product",
        "create",
        {"name": "Stress Part", "type": "consu", "is_storable": True},
    )
    # on hand through an inventory adjustment applied at once (Odoo 19 has
    # no "update quantity" wizard; action_apply_inventory returns None,
    # which XML-RPC cannot marshal)
    company = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"][0]
    stock = rpc(
        "stock.warehouse",
        "search_read",
        [("company_id", "=", company)],
        ["lot_stock_id"],
        limit=1,
    )[0]["lot_stock_id"][0]
    rpc(
        "stock.quant",
        "create",
        {
            "product_id": part,
            "location_id": stock,
            "inventory_quantity_auto_apply": 1000,
        },
        context={"inventory_mode": True},
    )
    products = []
    for index in range(4):
        product = rpc(
            "product.product",
            "create",
            {"name": "Stress Product %d" % index, "type": "consu", "is_storable": True},
        )
        tmpl = rpc("product.product", "read", [product], ["product_tmpl_id"])[0]
        rpc(
            "mrp.bom",
            "create",
            {
                "product_tmpl_id": tmpl["product_tmpl_id"][0],
                "bom_line_ids": [(0, 0, {"product_id": part, "product_qty": 3})],
            },
        )
        products.append(product)
    partners = [
        rpc("res.partner", "create", {"name": "Stress Customer %d" % i})
        for i in range(5)
    ]
    sale_ids = []
    for _index in range(orders):
        lines = [
            (
                0,
                0,
                {
                    "product_id": rng.choice(products),
                    "product_uom_qty": rng.randint(1, 9),
                    "price_unit": 1.0,
                },
            )
            for _line in range(rng.randint(1, 3))
        ]
        order = rpc(
            "sale.order",
            "create",
            {"partner_id": rng.choice(partners), "order_line": lines},
        )
        rpc("sale.order", "action_confirm", [order])
        sale_ids.append(order)
    return part, products, sale_ids


def generation_client(rpc, products, rounds, seed, stats):
    rng = random.Random(seed)
    for _round in range(rounds):
        subset = rng.sample(products, rng.randint(2, len(products)))
        values = {
            "mode": rng.choice(["mono", "multi"]),
            "group_by": "partner",
            "net_stock": False,
            "product_ids": [(6, 0, subset)],
        }
        for _attempt in range(10):
            try:
                wizard = rpc("mrp.job.order.generate", "create", values)
                rpc("mrp.job.order.generate", "action_generate", [wizard])
                stats["generated"] += 1
                break
            except xmlrpc.client.Fault as fault:
                text = fault.faultString
                if "Nothing to plan" in text:
                    stats["nothing_left"] += 1
                    break
                if any(word in text for word in RETRYABLE):
                    stats["retried"] += 1
                    time.sleep(rng.random() / 5)
                    continue
                stats["errors"].append(text[:200])
                break


def backflush_client(rpc, job_order, rounds, stats):
    for _round in range(rounds):
        for _attempt in range(10):
            try:
                wizard = rpc(
                    "mrp.job.order.backflush",
                    "create",
                    {},
                    context={"default_job_order_id": job_order},
                )
                lines = rpc("mrp.job.order.backflush", "read", [wizard], ["line_ids"])[
                    0
                ]
                if not lines["line_ids"]:
                    stats["nothing_left"] += 1
                    return
                rpc(
                    "mrp.job.order.backflush.line",
                    "write",
                    lines["line_ids"],
                    {"qty_to_produce": 1.0},
                )
                rpc("mrp.job.order.backflush", "action_validate", [wizard])
                stats["backflushed"] += 1
                break
            except xmlrpc.client.Fault as fault:
                text = fault.faultString
                if "remain to produce" in text or "it is done" in text:
                    stats["refused_overflow"] += 1
                    break
                if any(word in text for word in RETRYABLE):
                    stats["retried"] += 1
                    continue
                stats["errors"].append(text[-2500:])
                break


def run_threads(target, args_list):
    threads = [threading.Thread(target=target, args=args) for args in args_list]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started


def new_stats():
    return {
        "generated": 0,
        "nothing_left": 0,
        "retried": 0,
        "errors": [],
        "backflushed": 0,
        "refused_overflow": 0,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from odoo.tools import config

    config.parse_config(["-c", os.environ["CONF"], "-d", DB], setup_logging=False)
    # the test suite's server helper, loaded from its file: importing it as
    # odoo.addons.mrp_job_order.tests.server would import every test module
    spec = importlib.util.spec_from_file_location(
        "mrp_job_order_test_server", os.path.join(REPO, "tests", "server.py")
    )
    server_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(server_module)
    OdooServer = server_module.OdooServer

    _logger.info("[stress] preparing database %s", DB)
    prepare_database()
    violations = []
    with OdooServer(DB, workers=args.workers) as server:
        rpc = Client(server.url, DB)
        part, products, sale_ids = scenario(rpc, args.orders, 7)
        stats = new_stats()
        seconds = run_threads(
            generation_client,
            [
                (Client(server.url, DB), products, args.rounds, seed, stats)
                for seed in range(args.clients)
            ],
        )
        # every demand unit planned exactly once
        lines = rpc(
            "sale.order.line",
            "search_read",
            [("order_id", "in", sale_ids)],
            ["product_uom_qty"],
        )
        # summed here: read_group is deprecated in Odoo 19
        pegged = {}
        for row in rpc(
            "mrp.job.order.demand",
            "search_read",
            [("sale_line_id", "in", [line["id"] for line in lines])],
            ["sale_line_id", "product_qty"],
        ):
            key = row["sale_line_id"][0]
            pegged[key] = pegged.get(key, 0.0) + row["product_qty"]
        wrong = [
            line
            for line in lines
            if abs(pegged.get(line["id"], 0.0) - line["product_uom_qty"]) > 1e-6
        ]
        if wrong:
            violations.append("%d sales lines not planned exactly once" % len(wrong))
        job_lines = rpc(
            "mrp.job.order.line",
            "search_read",
            [("product_id", "in", products)],
            ["product_qty", "demand_ids"],
        )
        demand = {
            d["id"]: d["product_qty"]
            for d in rpc(
                "mrp.job.order.demand",
                "search_read",
                [("line_id", "in", [line["id"] for line in job_lines])],
                ["product_qty"],
            )
        }
        half = [
            line
            for line in job_lines
            if abs(sum(demand[d] for d in line["demand_ids"]) - line["product_qty"])
            > 1e-6
        ]
        if half:
            violations.append(
                "%d job order lines not fully pegged (half-written)" % len(half)
            )
        if stats["errors"]:
            violations.append(
                "%d unretryable errors: %s"
                % (len(stats["errors"]), stats["errors"][:3])
            )
        _logger.info(
            "[stress] generation: %d clients x %d rounds over %d sales lines in "
            "%.1f s; generated %d, nothing left %d, serialisation retries %d, "
            "errors %d; sales lines planned exactly once: %d/%d; half-written job "
            "order lines: %d",
            args.clients,
            args.rounds,
            len(lines),
            seconds,
            stats["generated"],
            stats["nothing_left"],
            stats["retried"],
            len(stats["errors"]),
            len(lines) - len(wrong),
            len(lines),
            len(half),
        )

        # concurrent backflush of one job order
        quant_before = rpc("product.product", "read", [part], ["qty_available"])[0][
            "qty_available"
        ]
        job = rpc(
            "mrp.job.order",
            "create",
            {"line_ids": [(0, 0, {"product_id": products[0], "product_qty": 6})]},
        )
        rpc("mrp.job.order", "action_confirm", [job])
        bstats = new_stats()
        seconds = run_threads(
            backflush_client,
            [
                (Client(server.url, DB), job, args.rounds, bstats)
                for _c in range(args.clients)
            ],
        )
        produced = rpc(
            "mrp.job.order.line",
            "search_read",
            [("job_order_id", "=", job)],
            ["qty_produced", "product_qty"],
        )[0]
        quant_after = rpc("product.product", "read", [part], ["qty_available"])[0][
            "qty_available"
        ]
        consumed = quant_before - quant_after
        if produced["qty_produced"] > produced["product_qty"] + 1e-6:
            violations.append(
                "produced %s > ordered %s"
                % (produced["qty_produced"], produced["product_qty"])
            )
        if abs(consumed - 3 * produced["qty_produced"]) > 1e-6:
            violations.append(
                "components consumed %s for %s produced (BOM: 3 each)"
                % (consumed, produced["qty_produced"])
            )
        if bstats["errors"]:
            violations.append("backflush errors: %s" % bstats["errors"][:3])
        _logger.info(
            "[stress] backflush: %d clients x %d rounds on one job order of 6 in "
            "%.1f s; backflushed %d, refused beyond ordered %d, retries %d; "
            "produced %s of %s; "
            "components consumed %s (expected %s)",
            args.clients,
            args.rounds,
            seconds,
            bstats["backflushed"],
            bstats["refused_overflow"],
            bstats["retried"],
            produced["qty_produced"],
            produced["product_qty"],
            consumed,
            3 * produced["qty_produced"],
        )
        with open(server.log_path) as handle:
            # Odoo 19: "SERIALIZATION_FAILURE, 4 tries left, try again in 1.06 sec..."
            retries = sum(
                1
                for line in handle
                if "SERIALIZATION_FAILURE" in line and "try again" in line
            )
        _logger.info(
            "[stress] serialisation failures retried by the server: %d", retries
        )
    for violation in violations:
        _logger.info("[stress] VIOLATION: %s", violation)
    _logger.info("[stress] %s", "OK" if not violations else "FAILED")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
