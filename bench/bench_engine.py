"""Benchmark of the pure planning engine on seeded synthetic data.

    python bench/bench_engine.py [--lines 100000] [--seed 1] [--repeat 3]

Prints, per parameter set, the best wall time of plan() over --repeat runs
and the demand lines planned per second.  The target is 100,000 demand
lines in at most 5 s.  Data: 2,000 finished products with two-level BOMs
(400 sub-assemblies, 1,000 raw materials), 500 customers, 3 warehouses, all
five sources, forecasts with periods, stock and open supply.
"""

import argparse
import datetime
import os
import random
import sys
import time

# planning/ uses relative imports only, so the repository root on sys.path
# makes it importable as a top-level package without Odoo.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from console import report_logger  # noqa: E402  (bench/console.py)

from planning import Bom, BomLine, Demand, Params, Product, plan  # noqa: E402

FINISHED = 2000
SUBASSEMBLIES = 400
RAWS = 1000
CUSTOMERS = 500
WAREHOUSES = (1, 2, 3)
START = datetime.date(2024, 1, 1)
_logger = report_logger("mrp_job_order.bench.engine")


def catalogue(rnd):
    products, boms = {}, {}
    raw_ids = list(range(100001, 100001 + RAWS))
    sub_ids = list(range(50001, 50001 + SUBASSEMBLIES))
    for pid in raw_ids:
        products[pid] = Product(pid, rounding=rnd.choice((1.0, 0.01, 0.001)))
    for pid in sub_ids:
        bom_id = pid
        boms[bom_id] = Bom(
            bom_id,
            pid,
            product_qty=rnd.choice((1, 1, 12)),
            lines=[
                BomLine(raw, rnd.choice((0.25, 1, 2.5, 500)), rnd.choice((1, 1, 0.001)))
                for raw in rnd.sample(raw_ids, rnd.randint(2, 5))
            ],
        )
        products[pid] = Product(pid, rounding=1.0, bom_id=bom_id)
    for pid in range(1, FINISHED + 1):
        kind = "service" if pid % 97 == 0 else "product"
        bom_id = None if pid % 89 == 0 else pid
        if bom_id:
            lines = [
                BomLine(sub, rnd.choice((1, 2, 3)))
                for sub in rnd.sample(sub_ids, rnd.randint(1, 3))
            ]
            lines += [
                BomLine(raw, rnd.choice((1, 0.5, 12)), rnd.choice((1, 12)))
                for raw in rnd.sample(raw_ids, rnd.randint(1, 4))
            ]
            boms[bom_id] = Bom(
                bom_id, pid, uom_ratio=rnd.choice((1, 1, 12)), lines=lines
            )
        products[pid] = Product(
            pid, rounding=rnd.choice((1.0, 1.0, 0.01)), kind=kind, bom_id=bom_id
        )
    return products, boms


def demands(rnd, count):
    result = []
    for n in range(count):
        source = rnd.choice(
            ("sale",) * 6 + ("forecast",) * 2 + ("min_stock", "warehouse", "manual")
        )
        date = START + datetime.timedelta(days=rnd.randint(0, 89))
        period = None
        if source == "forecast":
            date = date.replace(day=1)
            period = (date, date + datetime.timedelta(days=27))
        partner = rnd.randint(1, CUSTOMERS)
        result.append(
            Demand(
                (source, n),
                source,
                rnd.randint(1, FINISHED),
                round(rnd.uniform(0.5, 40), rnd.choice((0, 2, 3))),
                date,
                priority=rnd.choice((0, 0, 0, 1, 1, 2, 3)),
                partner_id=partner,
                project_id=rnd.choice((None, partner * 10 + rnd.randint(0, 2))),
                sale_order_id=(n // 8) if source == "sale" else None,
                warehouse_id=rnd.choice(WAREHOUSES),
                period=period,
                skip_reason="cancelled" if rnd.random() < 0.01 else None,
                selected=rnd.random() > 0.02,
            )
        )
    return result


def supply(rnd, products):
    stock, open_supply = {}, {}
    for pid in sorted(products):
        for warehouse in WAREHOUSES:
            if rnd.random() < 0.3:
                stock[(pid, warehouse)] = float(rnd.randint(-5, 200))
            if rnd.random() < 0.1:
                open_supply[(pid, warehouse)] = float(rnd.randint(1, 50))
    return stock, open_supply


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    products, boms = catalogue(rnd)
    todo = demands(rnd, args.lines)
    stock, open_supply = supply(rnd, products)
    consumers = [
        (
            rnd.randint(1, FINISHED),
            rnd.choice(WAREHOUSES),
            START + datetime.timedelta(days=rnd.randint(0, 89)),
            float(rnd.randint(1, 20)),
        )
        for _ in range(args.lines // 10)
    ]
    _logger.info(
        "%d demand lines, %d products, %d BOMs, %d customers",
        len(todo),
        len(products),
        len(boms),
        CUSTOMERS,
    )
    worst = 0.0
    for params in (
        Params("mono"),
        Params("mono", explode_subassemblies=False),
        Params("multi", "partner"),
        Params("multi", "sale_order", explode_subassemblies=False),
        Params("multi", "project", net_stock=False),
    ):
        best = None
        for _ in range(args.repeat):
            began = time.perf_counter()
            result = plan(
                todo,
                products,
                boms,
                params,
                stock=stock,
                open_supply=open_supply,
                forecast_consumers=consumers,
            )
            elapsed = time.perf_counter() - began
            best = elapsed if best is None else min(best, elapsed)
        worst = max(worst, best)
        lines = sum(len(p.lines) for p in result.proposals)
        _logger.info(
            "%-5s %-10s net=%-5s explode=%-5s %6.2f s %9.0f lines/s  "
            "%6d proposals %6d lines %6d skipped",
            params.mode,
            params.group_by if params.mode == "multi" else "-",
            params.net_stock,
            params.explode_subassemblies,
            best,
            len(todo) / best,
            len(result.proposals),
            lines,
            len(result.skipped),
        )
    _logger.info(
        "slowest: %.2f s for %d demand lines (target <= 5 s per 100,000)",
        worst,
        len(todo),
    )


if __name__ == "__main__":
    main()
