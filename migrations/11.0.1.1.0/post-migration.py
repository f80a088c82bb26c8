"""11.0.1.1.0: a backflush moves each component once for all the lines and
keeps each line's share (mrp.job.order.consumption); the actual material
cost of a line is the sum of its shares. Component moves made before, one
per line, become one share each, so that costs stay as they were."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env['mrp.job.order.consumption']._migrate_line_moves()
