"""A generation killed midway (process stopped after writing, before
committing) leaves no partial job order; the next run completes it."""
import os
import signal
import subprocess
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests.common import BaseCase

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = """
profile = env['mrp.job.order.profile'].search([('name', '=', 'Killed midway')])
run = profile.run()
print('GENERATED %%s' %% len(run.created_ids), flush=True)
import time
time.sleep(%s)
# what the scheduler's own transaction does at the end of a job (the shell
# itself rolls back)
env.cr.commit()
"""


class TestKilledGeneration(BaseCase):

    def setUp(self):
        super(TestKilledGeneration, self).setUp()
        self.db = odoo.tools.config['db_name']
        self.registry = odoo.registry(self.db)
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            part = env['product.product'].create({'name': 'Kill Part', 'type': 'product'})
            self.product = env['product.product'].create({'name': 'Kill Widget',
                                                          'type': 'product'})
            env['mrp.bom'].create({'product_tmpl_id': self.product.product_tmpl_id.id,
                                   'bom_line_ids': [(0, 0, {'product_id': part.id,
                                                            'product_qty': 2})]})
            self.order = env['sale.order'].create({
                'partner_id': env.ref('base.res_partner_12').id,
                'order_line': [(0, 0, {'product_id': self.product.id, 'product_uom_qty': 9,
                                       'product_uom': self.product.uom_id.id,
                                       'price_unit': 1})]})
            self.order.action_confirm()
            self.profile = env['mrp.job.order.profile'].create({
                'name': 'Killed midway', 'product_ids': [(6, 0, self.product.ids)]})
            self.ids = (self.product.id, part.id, self.order.id, self.profile.id)

    def tearDown(self):
        product_id, part_id, order_id, profile_id = self.ids
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env['mrp.job.order'].search([('line_ids.product_id', '=', product_id)]).unlink()
            env['mrp.job.order.profile'].browse(profile_id).unlink()
            env['sale.order'].browse(order_id).action_cancel()
            env['product.product'].browse([product_id, part_id]).write({'active': False})
        super(TestKilledGeneration, self).tearDown()

    def shell(self, sleep):
        return subprocess.Popen(
            [sys.executable, os.path.join(REPO, 'runtime', 'odoo-bin'), 'shell', '-c',
             odoo.tools.config.rcfile, '-d', self.db, '--log-level', 'warn',
             '--no-http'],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            universal_newlines=True)

    def job_orders(self):
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env['mrp.job.order'].search([('line_ids.product_id', '=', self.ids[0])])
            return [(o.state, o.line_ids.product_qty, sum(o.line_ids.demand_ids.mapped(
                'product_qty'))) for o in orders]

    def test_killed_run_leaves_nothing_and_next_run_completes(self):
        process = self.shell(60)
        process.stdin.write(SCRIPT % 60)
        process.stdin.close()
        line = process.stdout.readline()
        self.assertTrue(line.startswith('GENERATED 1'), line)
        process.send_signal(signal.SIGKILL)   # written, not committed
        process.wait(30)
        self.assertEqual(self.job_orders(), [])
        process = self.shell(0)
        out, _err = process.communicate(SCRIPT % 0, timeout=120)
        self.assertIn('GENERATED 1', out)
        self.assertEqual(self.job_orders(), [('draft', 9.0, 9.0)])
