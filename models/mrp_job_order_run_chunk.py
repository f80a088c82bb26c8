import json
import time

from odoo import fields, models

from .. import planning
from ..planning.keys import stable_key

STATES = [("pending", "Waiting"), ("done", "Written"), ("failed", "Failed")]


class MrpJobOrderRunChunk(models.Model):
    """Part of a background run: proposals of one warehouse, written by one
    queue job in a transaction of its own. Its pegging and its 'Written'
    state commit together, so a retried chunk (worker killed, lost race)
    either finds itself written or writes everything again from scratch."""

    _name = "mrp.job.order.run.chunk"
    _description = "Job Order Generation Chunk"
    _order = "run_id, sequence"

    run_id = fields.Many2one(
        "mrp.job.order.run", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    demand_count = fields.Integer("Demand Lines", readonly=True)
    proposal_count = fields.Integer("Job Orders Proposed", readonly=True)
    state = fields.Selection(STATES, default="pending", readonly=True, required=True)
    duration = fields.Float("Duration (s)", readonly=True, digits=(16, 2))
    created_ids = fields.Many2many(
        "mrp.job.order",
        "mrp_job_order_run_chunk_created_rel",
        "chunk_id",
        "job_order_id",
        readonly=True,
    )
    updated_ids = fields.Many2many(
        "mrp.job.order",
        "mrp_job_order_run_chunk_updated_rel",
        "chunk_id",
        "job_order_id",
        readonly=True,
    )
    job_uuid = fields.Char(
        "Job", readonly=True, index=True, help="Its job in the job queue."
    )
    # the proposals and their demand, emptied once written
    payload = fields.Text(readonly=True, groups="base.group_system")

    def _prepare_chunk(self, sequence, proposals, by_key):
        keys = {
            key
            for proposal in proposals
            for line in proposal.lines
            for key, _qty in line.allocations
        }
        demand = [
            {
                name: by_key[key][name]
                for name in (
                    "key",
                    "source",
                    "product_id",
                    "date",
                    "partner_id",
                    "warehouse_id",
                    "record_id",
                    "sale_order_id",
                    "reference",
                )
            }
            for key in sorted(keys, key=stable_key)
        ]
        return {
            "sequence": sequence,
            "warehouse_id": proposals[0].warehouse_id or False,
            "demand_count": len(keys),
            "proposal_count": len(proposals),
            "payload": json.dumps(
                {
                    "proposals": planning.dump_proposals(proposals),
                    "demand": planning.encode(demand),
                }
            ),
        }

    def _job_run(self):
        """Write this chunk's proposals as job orders with their pegging."""
        self.ensure_one()
        chunk = self.sudo()
        if chunk.state == "done":
            return "Already written."
        started = time.time()
        run = chunk.run_id
        params, _unselected = run._background_params()
        data = json.loads(chunk.payload)
        proposals = planning.load_proposals(data["proposals"])
        demand = planning.decode(data["demand"])
        created, updated = self.run_id._planner()._apply(
            planning.Result(proposals, [], []), demand, params
        )
        chunk.write(
            {
                "state": "done",
                "payload": False,
                "duration": time.time() - started,
                "created_ids": [fields.Command.set(created.ids)],
                "updated_ids": [fields.Command.set(updated.ids)],
            }
        )
        return "%d job order(s) created, %d updated." % (len(created), len(updated))

    def _job_failed(self, exc_name=None, exc_message=None, exc_info=None):
        self.ensure_one()
        self.sudo().state = "failed"
        self.run_id._job_failed(
            exc_name=exc_name, exc_message=exc_message, exc_info=exc_info
        )
