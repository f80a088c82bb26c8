"""Planning engine of mrp_job_order, in plain Python (no odoo import) so
that it can be tested, benchmarked and reused on other Odoo versions.

Relative imports only: the package is imported both as
odoo.addons.mrp_job_order.planning and as a top-level `planning`.
"""

from .bom import explode
from .chunks import chunk_proposals
from .engine import MESSAGES, plan, skip_message
from .model import (
    Bom,
    BomLine,
    Demand,
    Params,
    PlanningError,
    Product,
    Proposal,
    ProposalLine,
    Result,
    Skipped,
)
from .serial import decode, dump_proposals, encode, load_proposals
from .uom import ceil_steps, round_up, to_qty

__all__ = [
    "Bom",
    "BomLine",
    "Demand",
    "MESSAGES",
    "Params",
    "PlanningError",
    "Product",
    "Proposal",
    "ProposalLine",
    "Result",
    "Skipped",
    "ceil_steps",
    "chunk_proposals",
    "decode",
    "dump_proposals",
    "encode",
    "explode",
    "load_proposals",
    "plan",
    "round_up",
    "skip_message",
    "to_qty",
]
