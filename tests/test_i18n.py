"""Italian: i18n/it.po translates the whole template and Odoo shows it.

The file checks run without a database; the others load the add-on's Italian
terms into the test database, as installing Italian does, and read labels,
menus, views and error messages back the way the web client gets them.
"""
import os
import re

from odoo.exceptions import UserError
from odoo.modules.module import get_module_resource
from odoo.tests.common import SavepointCase

import polib  # pinned in runtime/requirements.txt (Odoo 11 uses it too)

MODULE = 'mrp_job_order'
PLACEHOLDER = re.compile(r'%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]')
TAG = re.compile(r'</?[a-zA-Z][^>]*>')


class TestItalianFile(SavepointCase):
    """it.po against mrp_job_order.pot: complete, and safe to format."""

    def setUp(self):
        super(TestItalianFile, self).setUp()
        self.pot = polib.pofile(get_module_resource(MODULE, 'i18n', MODULE + '.pot'))
        self.po = polib.pofile(get_module_resource(MODULE, 'i18n', 'it.po'))

    def test_header(self):
        meta = self.po.metadata
        self.assertEqual(meta.get('Language'), 'it')
        self.assertIn('charset=UTF-8', meta.get('Content-Type', ''))
        self.assertEqual(meta.get('Plural-Forms'), 'nplurals=2; plural=(n != 1);')

    def test_every_msgid_translated(self):
        translated = {(e.msgctxt, e.msgid) for e in self.po
                      if e.msgstr and not e.obsolete and 'fuzzy' not in e.flags}
        missing = [e.msgid for e in self.pot if (e.msgctxt, e.msgid) not in translated]
        self.assertFalse(missing, 'not translated in it.po (run runtime/export_pot.sh '
                                  '--merge, then translate): %r' % missing[:20])

    def test_placeholders_and_tags_kept_in_order(self):
        for entry in self.po:
            if not entry.msgstr:
                continue
            self.assertEqual(PLACEHOLDER.findall(entry.msgid), PLACEHOLDER.findall(entry.msgstr),
                             'placeholders differ: %r' % entry.msgid)
            self.assertEqual(TAG.findall(entry.msgid), TAG.findall(entry.msgstr),
                             'HTML tags differ: %r' % entry.msgid)


class TestItalianInOdoo(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestItalianInOdoo, cls).setUpClass()
        # what installing Italian does for this add-on: activate it_IT and
        # load i18n/it.po (it_IT falls back on it.po), replacing older terms
        cls.env['ir.translation'].with_context(overwrite=True).load_module_terms(
            [MODULE], ['it_IT'])
        cls.env['ir.translation'].clear_caches()
        cls.it = cls.env(context=dict(cls.env.context, lang='it_IT'))
        group_ids = [cls.env.ref(xid).id for xid in (
            'base.group_user', 'stock.group_stock_user', 'mrp_job_order.group_job_order_user')]
        cls.planner = cls.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Pianificatore', 'login': 'test_i18n_planner', 'lang': 'it_IT',
            'email': 'test_i18n_planner@example.com',
            'groups_id': [(6, 0, group_ids)]})

    @classmethod
    def tearDownClass(cls):
        super(TestItalianInOdoo, cls).tearDownClass()
        # the rollback removed Italian; forget what the caches learnt of it
        # (active languages, translated terms) so later tests do not see it
        cls.registry.clear_caches()

    def test_state_selection(self):
        selection = dict(self.it['mrp.job.order'].fields_get(['state'])['state']['selection'])
        self.assertEqual(selection, {
            'draft': 'Bozza', 'confirmed': 'Confermata', 'in_progress': 'In corso',
            'done': 'Completata', 'cancel': 'Annullata'})

    def test_mode_and_source_selections(self):
        fields = self.it['mrp.job.order'].fields_get(['mode'])
        self.assertEqual(dict(fields['mode']['selection']),
                         {'mono': 'Mono-articolo', 'multi': 'Multi-articolo'})
        sources = dict(self.it['mrp.job.order.demand'].fields_get(['source'])['source']['selection'])
        self.assertEqual(sources['forecast'], 'Previsione di vendita')
        self.assertEqual(sources['min_stock'], 'Sottoscorta')
        self.assertEqual(sources['warehouse'], 'Fabbisogno di magazzino')

    def test_field_labels(self):
        fields = self.it['mrp.job.order.line'].fields_get(['qty_produced', 'bom_id'])
        self.assertEqual(fields['qty_produced']['string'], 'Q.tà prodotta')
        self.assertEqual(fields['bom_id']['string'], 'Distinta base')
        fields = self.it['mrp.job.order'].fields_get(['cost_estimated', 'cost_variance'])
        self.assertEqual(fields['cost_estimated']['string'], 'Costo preventivo')
        self.assertEqual(fields['cost_variance']['string'], 'Scostamento')
        # the same labels through the translation table, as Odoo looks them up
        strings = self.it['ir.translation'].get_field_string('mrp.job.order.line')
        self.assertEqual(strings['qty_produced'], 'Q.tà prodotta')
        self.assertEqual(self.env['ir.translation']._get_source(
            'mrp.job.order,state', 'selection', 'it_IT', 'In Progress'), 'In corso')

    def test_model_and_menu_names(self):
        self.assertEqual(self.it['ir.model']._get('mrp.job.order').name,
                         'Commessa di produzione')
        menu = self.it.ref('mrp_job_order.menu_mrp_job_order_generate')
        self.assertEqual(menu.name, 'Genera commesse')
        self.assertEqual(self.it.ref('mrp_job_order.menu_mrp_job_order_root').name, 'Commesse')

    def test_form_view_in_italian(self):
        arch = self.it['mrp.job.order'].fields_view_get(view_type='form')['arch']
        self.assertIn('Preleva tutto', arch)
        self.assertIn('Versamento', arch)
        self.assertNotIn('Transfer All', arch)

    def test_error_message_in_the_users_language(self):
        # as a web client request: the context carries the user's language
        env = self.env(user=self.planner.id,
                       context=self.env['res.users'].sudo(self.planner).context_get())
        self.assertEqual(env.lang, 'it_IT')
        order = env['mrp.job.order'].create({})
        with self.assertRaises(UserError) as refused:
            order.action_confirm()
        self.assertEqual(refused.exception.name, 'La commessa %s non ha righe: aggiungere i '
                                                 'prodotti da realizzare.' % order.name)
        # an English user meets the same refusal in English
        with self.assertRaises(UserError) as refused:
            order.with_context(lang='en_US').action_confirm()
        self.assertEqual(refused.exception.name, 'Job order %s has no lines: add the products '
                                                 'to make.' % order.name)
