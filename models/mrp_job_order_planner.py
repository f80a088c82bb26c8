"""Generation: demand in, job orders out.

Thin glue around the planning engine: read the facts set-wise, let
``planning.plan`` decide, then write job orders and pegging in batches.
"""

import time
from datetime import datetime

from odoo import api, fields, models

from .. import planning
from ..bridge.planning_bridge import collect_structure
from .mrp_job_order_demand_source import _end_of


class _Additions:
    """What a generation adds to open job orders, written at once."""

    __slots__ = (
        "new_lines",
        "new_index",
        "new_refs",
        "pegging",
        "increments",
        "existing_refs",
        "notes",
    )

    def __init__(self):
        self.new_lines, self.new_index, self.new_refs = [], {}, []
        self.pegging, self.increments, self.existing_refs, self.notes = [], {}, {}, {}


class MrpJobOrderPlanner(models.AbstractModel):
    _name = "mrp.job.order.planner"
    _description = "Job Order Generation"

    # records (lines and pegging) written between two flushes
    _RECOMPUTE_BATCH = 400

    # -- plan ---------------------------------------------------------------
    @api.model
    def _plan(self, params, unselected=()):
        """(demand, the engine's result, errors, demand already planned) for
        ``params`` (a dict, see mrp.job.order.generate.params._params_dict).
        Writes nothing."""
        company = self.env["res.company"].browse(params["company_id"])
        Source = self.env["mrp.job.order.demand.source"]
        raw, already_planned = Source._collect(params)
        unselected = set(unselected)
        products = self.env["product.product"].browse(
            sorted({d["product_id"] for d in raw})
        )
        engine_products, engine_boms = collect_structure(self.env, products, company)
        demands = [
            planning.Demand(
                d["key"],
                d["source"],
                d["product_id"],
                d["qty"],
                d["date"],
                priority=d["priority"],
                partner_id=d["partner_id"],
                project_id=d["project_id"],
                sale_order_id=d["sale_order_id"],
                warehouse_id=d["warehouse_id"],
                reference=d["reference"],
                period=d["period"],
                skip_reason=d["skip_reason"],
                selected=d["key"] not in unselected,
                net=d["net"],
            )
            for d in raw
        ]
        stock, open_supply = (
            self._supply(engine_products, raw, params)
            if params["net_stock"]
            else ({}, {})
        )
        engine_params = planning.Params(
            mode=params["mode"],
            group_by=params["group_by"],
            net_stock=params["net_stock"],
            explode_subassemblies=params["explode_subassemblies"],
        )
        errors = []
        consumers = Source._forecast_consumers(params, raw)
        try:
            result = planning.plan(
                demands,
                engine_products,
                engine_boms,
                engine_params,
                stock=stock,
                open_supply=open_supply,
                forecast_consumers=consumers,
            )
        except planning.PlanningError as error:
            # one broken product (a BOM cycle...) must not stop the others
            result, errors = self._plan_per_product(
                demands,
                engine_products,
                engine_boms,
                engine_params,
                stock,
                open_supply,
                consumers,
            )
            if not errors:
                errors = [str(error)]
        return raw, result, errors, already_planned

    @api.model
    def _plan_per_product(
        self, demands, products, boms, params, stock, open_supply, consumers
    ):
        good, errors, failing = [], [], set()
        Product = self.env["product.product"]
        for product_id in sorted({d.product_id for d in demands}):
            subset = [d for d in demands if d.product_id == product_id]
            try:
                planning.plan(
                    subset,
                    products,
                    boms,
                    params,
                    stock=stock,
                    open_supply=open_supply,
                    forecast_consumers=consumers,
                )
                good += subset
            except planning.PlanningError as error:
                failing.add(product_id)
                errors.append(
                    "%s: %s" % (Product.browse(product_id).display_name, error)
                )
        for demand in demands:
            if demand.product_id in failing:
                demand.skip_reason = "error"
                good.append(demand)
        result = planning.plan(
            good,
            products,
            boms,
            params,
            stock=stock,
            open_supply=open_supply,
            forecast_consumers=consumers,
        )
        return result, errors

    @api.model
    def _supply(self, engine_products, raw, params):
        """Stock on hand per (product, warehouse), and open job order
        quantities not pegged to any demand."""
        warehouse_ids = sorted({d["warehouse_id"] for d in raw if d["warehouse_id"]})
        product_ids = sorted(engine_products)
        stock, open_supply = {}, {}
        Product = self.env["product.product"]
        for warehouse_id in warehouse_ids:
            products = Product.with_context(warehouse_id=warehouse_id).browse(
                product_ids
            )
            for product in products:
                if product.qty_available:
                    stock[(product.id, warehouse_id)] = product.qty_available
        lines = (
            self.env["mrp.job.order.line"]
            .sudo()
            .search(
                [
                    ("product_id", "in", product_ids),
                    ("warehouse_id", "in", warehouse_ids),
                    ("state", "in", ("draft", "confirmed", "in_progress")),
                ]
            )
        )
        pegged = (
            dict(
                self.env["mrp.job.order.demand"]
                .sudo()
                ._read_group(
                    [("line_id", "in", lines.ids)], ["line_id"], ["product_qty:sum"]
                )
            )
            if lines
            else {}
        )
        for line in lines:
            product = line.product_id
            qty = line.product_uom_id._compute_quantity(
                line.qty_remaining, product.uom_id, round=False
            )
            unpegged = min(
                qty,
                line.product_uom_id._compute_quantity(
                    line.product_qty, product.uom_id, round=False
                )
                - pegged.get(line, 0.0),
            )
            if unpegged > 0:
                key = (product.id, line.warehouse_id.id)
                open_supply[key] = open_supply.get(key, 0.0) + unpegged
        return stock, open_supply

    # -- apply --------------------------------------------------------------
    @api.model
    def _lock(self, company):
        """Serialise generations of a company across workers: the second
        waits for the first, then fails to serialise and is retried with a
        snapshot that sees the first one's pegging."""
        self.env["mrp.job.order.run.lock"]._acquire(company)

    @api.model
    def _generate(self, params, unselected=(), profile=None):
        """Plan and write; return the run log record."""
        started = time.time()
        company = self.env["res.company"].browse(params["company_id"])
        self._lock(company)
        # chunks of a background run write what it planned: planning the
        # same demand again now would plan it twice
        self.env["mrp.job.order.run"]._check_no_background(company)
        reduced, (raw, result, errors, already_planned) = self._reduce_and_plan(
            params, unselected
        )
        created, updated = self._apply(result, raw, params)
        updated |= reduced - created
        return (
            self.env["mrp.job.order.run"]
            .sudo()
            ._log(
                params,
                raw,
                result,
                created,
                updated,
                errors,
                time.time() - started,
                profile,
                already_planned=already_planned,
            )
        )

    @api.model
    def _reduce_and_plan(self, params, unselected=()):
        """Under the generation lock: take decreased demand off open job
        orders (with update existing), then plan. (the job orders reduced,
        what ``_plan`` returns)"""
        reduced = (
            self._reduce_excess(params)
            if params["update_existing"]
            else self.env["mrp.job.order"]
        )
        return reduced, self._plan(params, unselected)

    @api.model
    def _excess_domain(self, params):
        """The pegging with an excess that a generation of ``params`` may
        reduce: sales demand (the only one flagged with an excess) within
        the generation's own selection -- its products, categories,
        warehouses, customers, sales orders or lines and horizon -- so
        that a generation never touches job orders of demand it was not
        asked to plan."""
        if not params["use_sale"]:
            return None
        domain = [
            ("excess_qty", ">", 0),
            ("source", "=", "sale"),
            ("company_id", "=", params["company_id"]),
            ("state", "in", ("draft", "confirmed")),
        ]
        if params["sale_line_ids"]:
            domain.append(("sale_line_id", "in", params["sale_line_ids"]))
        if params["sale_order_ids"]:
            domain.append(("sale_order_id", "in", params["sale_order_ids"]))
        if params["partner_ids"]:
            domain.append(("partner_id", "child_of", params["partner_ids"]))
        if params["product_ids"]:
            domain.append(("product_id", "in", params["product_ids"]))
        if params["categ_ids"]:
            domain.append(("product_id.categ_id", "child_of", params["categ_ids"]))
        if params["warehouse_ids"]:
            domain.append(("warehouse_id", "in", params["warehouse_ids"]))
        if params["date_to"]:
            domain += [
                "|",
                ("date", "=", False),
                ("date", "<=", _end_of(params["date_to"])),
            ]
        return domain

    @api.model
    def _reduce_excess(self, params):
        """Demand decreased after planning: take the excess off open job
        orders that have not started; started ones keep it (flagged).
        Only the demand the generation is asked to plan (_excess_domain)."""
        domain = self._excess_domain(params)
        if domain is None:
            return self.env["mrp.job.order"]
        excess = self.env["mrp.job.order.demand"].search(domain)
        reduced = self.env["mrp.job.order"]
        for record in excess:
            line = record.line_id
            if (
                line.qty_transferred
                or line.qty_produced
                or any(
                    sibling.qty_transferred or sibling.qty_produced
                    for sibling in line.job_order_id.line_ids
                )
            ):
                continue
            order = line.job_order_id
            qty = record.excess_qty
            line_qty = line.product_id.uom_id._compute_quantity(
                qty, line.product_uom_id, round=False
            )
            note = self.env._(
                "Reduced by %(qty)s %(uom)s of %(product)s: %(demand)s decreased after "
                "planning.",
                qty=qty,
                uom=line.product_id.uom_id.name,
                product=line.product_id.display_name,
                demand=record.sale_line_id.order_id.name or record.display_name,
            )
            if record.product_qty - qty > 1e-9:
                record.write(
                    {"product_qty": record.product_qty - qty, "excess_qty": 0.0}
                )
            else:
                record.unlink()
            remaining = line.product_qty - line_qty
            if remaining > 1e-9:
                line.with_context(
                    job_order_no_manual_demand=True
                ).product_qty = remaining
            else:
                line.unlink()
            if not order.line_ids:
                order._action_cancel()
            order.message_post(body=note)
            reduced |= order
        return reduced

    @api.model
    def _job_type(self, params):
        if params["type_id"]:
            return self.env["mrp.job.order.type"].browse(params["type_id"])
        company = self.env["res.company"].browse(params["company_id"])
        return self.env["mrp.job.order.type"]._default_for_company(company)

    @staticmethod
    def _group_key(proposal):
        return "|".join(str(part) for part in proposal.key)

    @api.model
    def _apply(self, result, raw, params):
        """Write the proposals. New job orders are created together, each
        with its lines and their pegging (one2many commands), tracking off,
        in batches of about _RECOMPUTE_BATCH records (lines and pegging) so
        that the ORM's pending computations stay small; proposals adding to
        open job orders write their lines and pegging in batches too."""
        job_type = self._job_type(params)
        JobOrder = self.env["mrp.job.order"].with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            job_order_no_manual_demand=True,
        )
        by_key = {d["key"]: d for d in raw}
        created, updated = JobOrder.browse(), JobOrder.browse()
        existing = (
            self._open_orders(result, job_type, params)
            if params["update_existing"]
            else {}
        )
        explode = params["explode_subassemblies"]
        uoms = self._product_uoms(result)
        line_by_ref = {}
        pending_parents = []
        to_create = []  # (job order values, [(proposal line ref, line index)])
        pending = 0

        def create_pending():
            if not to_create:
                return JobOrder.browse()
            orders = JobOrder.create([vals for vals, _refs in to_create])
            for order, (_vals, refs) in zip(orders, to_create, strict=True):
                # lines are created in the order of the commands
                lines = order.line_ids.sorted("id")
                for ref, index in refs:
                    line_by_ref[ref] = lines[index]
            to_create.clear()
            return orders

        additions = _Additions()
        for proposal in result.proposals:
            order = existing.get(self._group_key(proposal))
            if order:
                updated |= order
                for proposal_line in proposal.lines:
                    self._add_to_order(
                        additions, order, proposal_line, by_key, explode, uoms
                    )
            else:
                vals = self._prepare_job_order(proposal, job_type, params, by_key)
                # proposal lines of the same product and BOM (a product both
                # ordered and short as a sub-assembly) share a line
                lines_vals, index_of, refs = [], {}, []
                for proposal_line in proposal.lines:
                    same = (proposal_line.product_id, proposal_line.bom_id)
                    if proposal_line.bom_id and same in index_of:
                        line_vals = lines_vals[index_of[same]]
                        line_vals["product_qty"] += proposal_line.qty
                        line_vals["demand_ids"] += self._prepare_line(
                            proposal_line, by_key, explode, uoms
                        )["demand_ids"]
                        refs.append((proposal_line.ref, index_of[same]))
                    else:
                        index_of.setdefault(same, len(lines_vals))
                        refs.append((proposal_line.ref, len(lines_vals)))
                        lines_vals.append(
                            self._prepare_line(proposal_line, by_key, explode, uoms)
                        )
                vals["line_ids"] = [
                    fields.Command.create(line_vals) for line_vals in lines_vals
                ]
                to_create.append((vals, refs))
            for proposal_line in proposal.lines:
                if proposal_line.parents:
                    pending_parents.append(proposal_line)
            pending += sum(1 + len(line.allocations) for line in proposal.lines)
            if pending >= self._RECOMPUTE_BATCH:
                created |= create_pending()
                self.env.flush_all()
                pending = 0
        created |= create_pending()
        self._write_additions(additions, line_by_ref)
        self._peg_subassemblies(pending_parents, line_by_ref)
        self.env.flush_all()
        return created, updated - created

    @api.model
    def _product_uoms(self, result):
        """{product id: its UoM id} for every product of the proposals, read at once."""
        ids = sorted({line.product_id for line in result.iter_lines()})
        return {
            product.id: product.uom_id.id
            for product in self.env["product.product"].browse(ids)
        }

    @api.model
    def _prepare_line(self, proposal_line, by_key, explode, uoms):
        return {
            "product_id": proposal_line.product_id,
            "bom_id": proposal_line.bom_id,
            "product_qty": proposal_line.qty,
            "product_uom_id": uoms[proposal_line.product_id],
            "explode_subassemblies": explode,
            "date_deadline": self._datetime(proposal_line.date),
            "demand_ids": [
                fields.Command.create(self._prepare_pegging(by_key[key], qty))
                for key, qty in proposal_line.allocations
            ],
        }

    @staticmethod
    def _datetime(day):
        """A demand date as the datetime Odoo stores (start of that day)."""
        if not day:
            return False
        return (
            day
            if isinstance(day, datetime)
            else datetime.combine(day, datetime.min.time())
        )

    @api.model
    def _open_orders(self, result, job_type, params):
        keys = [self._group_key(p) for p in result.proposals]
        if not keys:
            return {}
        orders = self.env["mrp.job.order"].search(
            [
                ("group_key", "in", keys),
                ("type_id", "=", job_type.id),
                ("company_id", "=", params["company_id"]),
                ("state", "in", ("draft", "confirmed")),
            ],
            order="id",
        )
        found = {}
        for order in orders:
            if any(
                line.qty_transferred or line.qty_produced for line in order.line_ids
            ):
                continue  # started: never touched
            found.setdefault(order.group_key, order)
        return found

    @api.model
    def _prepare_job_order(self, proposal, job_type, params, by_key):
        dates = [line.date for line in proposal.lines if line.date]
        priority = max(
            [line.priority for line in proposal.lines]
            + [int(params.get("priority") or 0)]
        )
        sale_orders = {
            by_key[key]["sale_order_id"]
            for line in proposal.lines
            for key, _qty in line.allocations
            if by_key[key]["sale_order_id"]
        }
        references = sorted(
            {
                by_key[key]["reference"]
                for line in proposal.lines
                for key, _qty in line.allocations
                if by_key[key]["reference"]
            }
        )
        return {
            "type_id": job_type.id,
            "company_id": params["company_id"],
            "mode": proposal.mode,
            "group_key": self._group_key(proposal),
            "warehouse_id": proposal.warehouse_id or job_type.warehouse_id.id or False,
            "partner_id": proposal.partner_id or False,
            "project_id": proposal.project_id or False,
            "sale_order_ids": [fields.Command.set(sorted(sale_orders))],
            "priority": str(min(priority, 3)),
            "date_deadline": self._datetime(min(dates)) if dates else False,
            "origin": ", ".join(references)[:250] or self.env._("Generation"),
        }

    @api.model
    def _add_to_order(self, additions, order, proposal_line, by_key, explode, uoms):
        """Plan ``proposal_line`` into the open job order ``order``: on its
        line of the same product, BOM and unit that has not started, else on
        a new line. Collected in ``additions``, written by _write_additions."""
        pegging = [
            self._prepare_pegging(by_key[key], qty)
            for key, qty in proposal_line.allocations
        ]
        same = (order.id, proposal_line.product_id, proposal_line.bom_id)
        line = order.line_ids.filtered(
            lambda candidate: (
                candidate.product_id.id == proposal_line.product_id
                and candidate.bom_id.id == proposal_line.bom_id
                and candidate.product_uom_id.id == uoms[proposal_line.product_id]
                and not candidate.qty_transferred
            )
        )[:1]
        if line:
            for vals in pegging:
                vals.update(line_id=line.id, job_order_id=order.id)
            additions.pegging += pegging
            additions.increments[line] = (
                additions.increments.get(line, 0.0) + proposal_line.qty
            )
            additions.existing_refs[proposal_line.ref] = line
        elif same in additions.new_index:
            vals = additions.new_lines[additions.new_index[same]]
            vals["product_qty"] += proposal_line.qty
            vals["demand_ids"] += [fields.Command.create(v) for v in pegging]
            additions.new_refs.append((proposal_line.ref, additions.new_index[same]))
        else:
            vals = self._prepare_line(proposal_line, by_key, explode, uoms)
            vals["job_order_id"] = order.id
            additions.new_index[same] = len(additions.new_lines)
            additions.new_refs.append((proposal_line.ref, len(additions.new_lines)))
            additions.new_lines.append(vals)
        additions.notes.setdefault(order, []).append(
            (proposal_line.qty, proposal_line.product_id)
        )

    @api.model
    def _write_additions(self, additions, line_by_ref):
        """New lines and pegging of open job orders created at once; lines
        that grow written once each; one message per job order."""
        Line = self.env["mrp.job.order.line"].with_context(
            tracking_disable=True, job_order_no_manual_demand=True
        )
        lines = Line.create(additions.new_lines) if additions.new_lines else Line
        for ref, index in additions.new_refs:
            line_by_ref[ref] = lines[index]
        line_by_ref.update(additions.existing_refs)
        if additions.pegging:
            self.env["mrp.job.order.demand"].create(additions.pegging)
        for line, qty in additions.increments.items():
            line.with_context(job_order_no_manual_demand=True).product_qty += qty
        product = {
            p.id: p
            for p in self.env["product.product"].browse(
                {
                    product_id
                    for notes in additions.notes.values()
                    for _qty, product_id in notes
                }
            )
        }
        for order, notes in additions.notes.items():
            order.message_post(
                body=self.env._(
                    "Generation added: %s",
                    ", ".join(
                        "%s %s %s"
                        % (
                            qty,
                            product[product_id].uom_id.name,
                            product[product_id].display_name,
                        )
                        for qty, product_id in notes
                    ),
                )
            )

    @api.model
    def _prepare_pegging(self, demand, qty):
        source = demand["source"]
        vals = {
            "source": source,
            "product_id": demand["product_id"],
            "product_qty": qty,
            "date": self._datetime(demand["date"]),
            "partner_id": demand["partner_id"] or False,
            "warehouse_id": demand["warehouse_id"] or False,
        }
        field = {
            "sale": "sale_line_id",
            "forecast": "estimate_id",
            "min_stock": "orderpoint_id",
        }.get(source)
        if field:
            vals[field] = demand["record_id"]
        return vals

    @api.model
    def _peg_subassemblies(self, proposal_lines, line_by_ref):
        """Pegging of sub-assembly lines to the parent lines consuming them,
        written at once."""
        vals_list = []
        for proposal_line in proposal_lines:
            line = line_by_ref[proposal_line.ref]
            for parent_ref, qty in proposal_line.parents:
                parent = line_by_ref[parent_ref]
                vals_list.append(
                    {
                        "line_id": line.id,
                        "job_order_id": line.job_order_id.id,
                        "source": "subassembly",
                        "product_id": line.product_id.id,
                        "product_qty": qty,
                        "parent_line_id": parent.id,
                        "date": parent.date_deadline,
                        "partner_id": parent.partner_id.id,
                        "warehouse_id": parent.warehouse_id.id,
                    }
                )
        if vals_list:
            self.env["mrp.job.order.demand"].create(vals_list)
