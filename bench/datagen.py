"""Deterministic (seeded) benchmark data, loaded through the ORM into a
database that has mrp_job_order installed.

    P finished products, each with a two-level BOM (sub-assemblies made of raw
    materials, plus raw materials) and operations; P/5 sub-assemblies (BOM and
    operations of their own); P/2 raw materials, some bought in kg and used in
    g; C customers; L sales order lines (1..9 per order) confirmed the
    ordinary way (Odoo creates their deliveries); monthly forecasts;
    reordering rules below their minimum; components on hand for everything
    (set by an inventory adjustment, so the stock has a value).

Runs inside an Odoo environment (see run.py ``worker``); every random choice
comes from one ``random.Random(seed)``, so the same arguments give the same
data.
"""

import datetime
import random
import time

CONTEXT = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_auto_subscribe_no_notify": True,
}
# Odoo 11's data had six routings: six operation sets, one drawn for each BOM
OPERATION_SETS = 6


def _log(message):
    # runs in bench/run.py's worker, whose Odoo log level is warn: progress
    # goes to the console directly, not through a logger Odoo filters
    print(f"[datagen] {message}", flush=True)  # pylint: disable=print-used


def generate(env, seed=1, products=200, customers=100, lines=10000, commit=None):
    rnd = random.Random(seed)
    env = env(context=dict(env.context, **CONTEXT))
    commit = commit or (lambda: None)
    started = time.time()
    company = env.ref("base.main_company")
    warehouse = env.ref("stock.warehouse0")
    stock = warehouse.lot_stock_id
    unit = env.ref("uom.product_uom_unit")
    kg = env.ref("uom.product_uom_kgm")
    gram = env.ref("uom.product_uom_gram")
    category = env["product.category"].create(
        {
            "name": "Bench",
            "property_cost_method": "average",
            "property_valuation": "periodic",
        }
    )
    Product = env["product.product"]

    def product_vals(name, cost, uom=unit, **extra):
        vals = {
            "name": name,
            "type": "consu",
            "is_storable": True,
            "uom_id": uom.id,
            "standard_price": cost,
            "categ_id": category.id,
            "default_code": name,
        }
        vals.update(extra)
        return vals

    # -- catalogue ------------------------------------------------------------
    # random draws in the 11.0 order (raws, subs, finished), products
    # created in one batch per kind
    raw_count, sub_count = max(products // 2, 4), max(products // 5, 2)
    raws = list(
        Product.create(
            [
                product_vals(
                    "BR%05d" % n,
                    round(rnd.uniform(0.5, 20), 2),
                    kg if n % 10 == 0 else unit,
                )
                for n in range(raw_count)
            ]
        )
    )
    subs = list(
        Product.create([product_vals("BS%05d" % n, 0.0) for n in range(sub_count)])
    )
    finished = list(
        Product.create(
            [
                product_vals(
                    "BF%05d" % n,
                    0.0,
                    sale_ok=True,
                    list_price=round(rnd.uniform(50, 500), 2),
                    sale_delay=rnd.choice((0, 3, 7, 14)),
                )
                for n in range(products)
            ]
        )
    )
    Workcenter = env["mrp.workcenter"]
    workcenters = Workcenter.create([{"name": "Bench WC %d" % n} for n in range(3)])
    # Odoo 19 has no routings: each of the six operation sets of the 11.0
    # data is copied on the BOMs that drew it
    operation_sets = [
        [
            (
                0,
                0,
                {
                    "name": "Op %d.%d" % (n, k),
                    "workcenter_id": workcenters[(n + k) % 3].id,
                    "time_mode": "manual",
                    "time_cycle_manual": float(rnd.choice((5, 10, 30))),
                },
            )
            for k in range(1 + n % 2)
        ]
        for n in range(OPERATION_SETS)
    ]

    def raw_line(raw):
        if raw.uom_id == kg:
            return (
                0,
                0,
                {
                    "product_id": raw.id,
                    "product_qty": float(rnd.choice((50, 250))),
                    "product_uom_id": gram.id,
                },
            )
        return (
            0,
            0,
            {
                "product_id": raw.id,
                "product_qty": float(rnd.choice((1, 2, 4))),
                "product_uom_id": unit.id,
            },
        )

    bom_vals = []
    for sub in subs:
        operations = rnd.choice(operation_sets)
        bom_vals.append(
            {
                "product_tmpl_id": sub.product_tmpl_id.id,
                "product_qty": 1.0,
                "product_uom_id": unit.id,
                "company_id": company.id,
                "operation_ids": operations,
                "bom_line_ids": [
                    raw_line(r) for r in rnd.sample(raws, rnd.randint(2, 4))
                ],
            }
        )
    for item in finished:
        bom_lines = [
            (
                0,
                0,
                {
                    "product_id": s.id,
                    "product_qty": float(rnd.choice((1, 2))),
                    "product_uom_id": unit.id,
                },
            )
            for s in rnd.sample(subs, rnd.randint(1, 2))
        ]
        bom_lines += [raw_line(r) for r in rnd.sample(raws, rnd.randint(1, 3))]
        operations = rnd.choice(operation_sets)
        bom_vals.append(
            {
                "product_tmpl_id": item.product_tmpl_id.id,
                "product_qty": 1.0,
                "product_uom_id": unit.id,
                "company_id": company.id,
                "operation_ids": operations,
                "bom_line_ids": bom_lines,
            }
        )
    env["mrp.bom"].create(bom_vals)
    _log(
        "%d finished, %d sub-assemblies, %d raw materials"
        % (len(finished), len(subs), len(raws))
    )

    # -- stock: components for everything, a little finished stock ---------------
    # an inventory adjustment (stock.quant in inventory mode), as a user
    # would set it: the quantities come in through valued moves
    on_hand = [(raw, 1000000.0) for raw in raws] + [(sub, 100000.0) for sub in subs]
    on_hand += [
        (item, float(rnd.randint(5, 30)))
        for item in rnd.sample(finished, max(len(finished) // 10, 1))
    ]
    Quant = env["stock.quant"].with_context(inventory_mode=True)
    quants = Quant.create(
        [
            {"product_id": p.id, "location_id": stock.id, "inventory_quantity": qty}
            for p, qty in on_hand
        ]
    )
    quants._apply_inventory()
    commit()
    _log("stock set (%.0f s)" % (time.time() - started))

    # -- customers and sales orders -------------------------------------------
    Partner = env["res.partner"]
    partners = list(
        Partner.create([{"name": "Bench Customer %04d" % n} for n in range(customers)])
    )
    # the sales taxes of the products in this company (the demo data gives
    # them the taxes of every company)
    taxes = {
        item.id: item.taxes_id.filtered(lambda t: t.company_id == company).ids
        for item in finished
    }
    now = datetime.datetime.now().replace(microsecond=0)
    SaleOrder = env["sale.order"]
    made, orders = 0, SaleOrder.browse()
    batch, dates = [], []
    while made < lines:
        count = min(rnd.randint(1, 9), lines - made)
        partner = rnd.choice(partners)
        order_lines = []
        for _n in range(count):
            item = rnd.choice(finished)
            order_lines.append(
                (
                    0,
                    0,
                    {
                        "product_id": item.id,
                        "name": item.default_code,
                        "product_uom_qty": float(rnd.randint(1, 20)),
                        "product_uom_id": unit.id,
                        "price_unit": item.list_price,
                        "tax_ids": [(6, 0, taxes[item.id])],
                        "customer_lead": float(item.sale_delay),
                    },
                )
            )
        date = now - datetime.timedelta(
            days=rnd.randint(0, 20), hours=rnd.randint(0, 23)
        )
        batch.append(
            {
                "partner_id": partner.id,
                "partner_invoice_id": partner.id,
                "partner_shipping_id": partner.id,
                "warehouse_id": warehouse.id,
                "date_order": date,
                "job_order_priority": rnd.choice(("0", "0", "0", "1", "1", "2", "3")),
                "order_line": order_lines,
            }
        )
        dates.append(date)
        made += count
        if len(batch) >= 100:
            orders |= _create_confirmed(SaleOrder, batch, dates)
            batch, dates = [], []
            commit()
            _log(
                "%d sales order lines confirmed (%.0f s)"
                % (made, time.time() - started)
            )
    if batch:
        orders |= _create_confirmed(SaleOrder, batch, dates)
    commit()
    _log("%d sales order lines confirmed (%.0f s)" % (made, time.time() - started))

    # -- forecasts: three months from this one ---------------------------------
    # (stock_demand_estimate 19.0 takes its dates directly, no date range)
    first = now.date().replace(day=1)
    months = []
    for n in range(3):
        start = (first + datetime.timedelta(days=32 * n)).replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
            days=1
        )
        months.append((start, end))
    estimates = []
    for item in rnd.sample(finished, max(len(finished) // 4, 1)):
        for start, end in months:
            estimates.append(
                {
                    "manual_date_from": start,
                    "manual_date_to": end,
                    "product_id": item.id,
                    "location_id": stock.id,
                    "product_uom_qty": float(rnd.randint(20, 200)),
                    "product_uom": unit.id,
                }
            )
    env["stock.demand.estimate"].create(estimates)

    # -- reordering rules below their minimum (no stock, no incoming) ----------
    Orderpoint = env["stock.warehouse.orderpoint"]
    stocked = set(
        env["stock.quant"].search([("location_id", "=", stock.id)]).product_id.ids
    )
    candidates = [p for p in subs + finished if p.id not in stocked]
    # (Odoo 19's rules round to a replenishment unit, not to a multiple)
    Orderpoint.create(
        [
            {
                "product_id": item.id,
                "warehouse_id": warehouse.id,
                "location_id": stock.id,
                "product_min_qty": 10.0,
                "product_max_qty": 50.0,
            }
            for item in rnd.sample(
                candidates, min(len(candidates), max(products // 10, 1))
            )
        ]
    )
    commit()
    _log(
        "done: %d orders, %d lines in %.0f s"
        % (len(orders), made, time.time() - started)
    )
    return {"orders": len(orders), "lines": made}


def _create_confirmed(SaleOrder, vals_list, dates):
    """Sales orders created and confirmed the ordinary way (Odoo 19 has no
    procurement groups to write by hand, and its confirmation is fast
    enough: the deliveries are what Odoo makes of them). Confirmation sets
    the order date to now: each order gets back the date drawn for it, the
    date the demand is planned for."""
    orders = SaleOrder.create(vals_list)
    orders.action_confirm()
    by_date = {}
    for order, date in zip(orders, dates, strict=True):
        by_date.setdefault(date, SaleOrder.browse())
        by_date[date] |= order
    for date, group in by_date.items():
        group.write({"date_order": date})
    return orders
