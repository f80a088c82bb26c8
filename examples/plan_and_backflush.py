#!/usr/bin/env python3
"""Plan a sales order into job orders and backflush them, from outside Odoo.

An integrator's script over Odoo 19's external API, JSON-2
(``POST /json/2/<model>/<method>``, an API key in ``Authorization: bearer``),
with nothing but the Python standard library.  It does what a planner does
in the web client, through the same public methods:

1. ``sale.order.action_create_job_order``: the generation wizard on the
   order, previewed ("Create Production Order" on the sales order);
2. ``mrp.job.order.generate.action_generate``: the job orders, pegged to
   the order's lines;
3. per job order ``action_confirm`` and ``action_transfer`` (components to
   work in progress);
4. ``action_backflush``: the backflush wizard, created from the context the
   action gives, then ``action_validate``: finished goods in, components
   consumed.

Usage::

    ODOO_API_KEY=... python3 examples/plan_and_backflush.py \\
        --url http://localhost:8069 --db mrp_job_order_demo S00042

The API key comes from the environment (not the command line, where other
users of the machine could read it): Preferences > Account Security > New
API Key in the web client.  A refusal (a ``UserError``: the order is not
confirmed, components are missing...) is printed in the planner's words and
the script exits with status 2; whatever the server did before that step
stays done, as in the web client.
"""

# a command-line tool: it speaks on the terminal, there is no Odoo logger
# pylint: disable=print-used
import argparse
import json
import os
import sys
import urllib.error
import urllib.request


class Refused(Exception):
    """An error answer of the server: its exception's name and message."""


class Odoo:
    """``odoo(model, method, ids=None, context=None, **kwargs)`` over JSON-2."""

    def __init__(self, url, db, api_key, timeout=300):
        self.url, self.db, self.api_key, self.timeout = (
            url.rstrip("/"),
            db,
            api_key,
            timeout,
        )

    def __call__(self, model, method, ids=None, context=None, **kwargs):
        body = dict(kwargs)
        if ids is not None:
            body["ids"] = list(ids)
        if context is not None:
            body["context"] = context
        request = urllib.request.Request(
            "%s/json/2/%s/%s" % (self.url, model, method),
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": "bearer %s" % self.api_key,
                # needed when the server hosts several databases
                "X-Odoo-Database": self.db,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read().decode())
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                details = json.loads(text)
            except ValueError:
                raise Refused("HTTP %s: %s" % (error.code, text[:500])) from None
            name = (
                str(details.get("name", "")).rsplit(".", 1)[-1]
                or "HTTP %s" % error.code
            )
            raise Refused("%s: %s" % (name, details.get("message", text))) from None


def plan_sale_order(odoo, name, net_stock=True):
    """The job orders planned for sales order ``name`` (ids)."""
    found = odoo("sale.order", "search", domain=[("name", "=", name)])
    if len(found) != 1:
        raise Refused("no sales order named %s" % name)
    wizard = odoo("sale.order", "action_create_job_order", ids=found)
    if not net_stock:
        # plan the full ordered quantities, stock on hand left for others
        odoo(
            "mrp.job.order.generate",
            "write",
            ids=[wizard["res_id"]],
            vals={"net_stock": False},
        )
    toast = odoo("mrp.job.order.generate", "action_generate", ids=[wizard["res_id"]])
    # a notification for the web client, then the list of the job orders
    # made, whose title says what happened ("1 job order(s) created, ...")
    action = toast["params"]["next"]
    print(action["name"])
    return odoo("mrp.job.order", "search", domain=action["domain"], order="id")


def backflush(odoo, order_id, at_most=None):
    """Confirm, transfer and backflush job order ``order_id``: each line's
    remaining quantity, or at most ``at_most`` of it."""
    order = odoo("mrp.job.order", "read", ids=[order_id], fields=["state"])[0]
    if order["state"] == "draft":
        odoo("mrp.job.order", "action_confirm", ids=[order_id])
    odoo("mrp.job.order", "action_transfer", ids=[order_id])
    action = odoo("mrp.job.order", "action_backflush", ids=[order_id])
    # the wizard as the web client makes it: its defaults come from the context
    wizard = odoo(
        action["res_model"], "create", vals_list=[{}], context=action["context"]
    )
    if at_most is not None:
        lines = odoo(action["res_model"], "read", ids=wizard, fields=["line_ids"])[0][
            "line_ids"
        ]
        for line in odoo(
            "mrp.job.order.backflush.line", "read", ids=lines, fields=["qty_to_produce"]
        ):
            if line["qty_to_produce"] > at_most:
                odoo(
                    "mrp.job.order.backflush.line",
                    "write",
                    ids=[line["id"]],
                    vals={"qty_to_produce": at_most},
                )
    odoo(action["res_model"], "action_validate", ids=wizard)


def report(odoo, order_ids):
    """What the job orders hold now, and which sales order lines they cover."""
    orders = odoo("mrp.job.order", "read", ids=order_ids, fields=["name", "state"])
    for order in orders:
        print("%s (%s)" % (order["name"], order["state"]))
        for line in odoo(
            "mrp.job.order.line",
            "search_read",
            domain=[("job_order_id", "=", order["id"])],
            fields=["product_id", "product_qty", "qty_produced"],
        ):
            print(
                "  %-40s produced %g of %g"
                % (line["product_id"][1], line["qty_produced"], line["product_qty"])
            )
        for peg in odoo(
            "mrp.job.order.demand",
            "search_read",
            domain=[("job_order_id", "=", order["id"])],
            fields=["sale_line_id", "product_qty"],
        ):
            if peg["sale_line_id"]:
                print(
                    "  covers %g of %s" % (peg["product_qty"], peg["sale_line_id"][1])
                )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "sale_order", help="name of a confirmed sales order, e.g. S00042"
    )
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument(
        "--at-most",
        type=float,
        default=None,
        help="backflush at most this quantity of each line (default: all)",
    )
    parser.add_argument(
        "--no-net-stock",
        action="store_true",
        help="plan the ordered quantities without netting stock on hand",
    )
    args = parser.parse_args(argv)
    api_key = os.environ.get("ODOO_API_KEY")
    if not api_key:
        parser.error("set ODOO_API_KEY to an API key of the user to act as")
    odoo = Odoo(args.url, args.db, api_key)
    try:
        order_ids = plan_sale_order(
            odoo, args.sale_order, net_stock=not args.no_net_stock
        )
        for order_id in order_ids:
            backflush(odoo, order_id, args.at_most)
        report(odoo, order_ids)
    except Refused as refused:
        print("refused: %s" % refused, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
