"""Italian: i18n/it.po translates the whole template and Odoo shows it.

The file checks need no Odoo data; the others load the add-on's Italian
terms into the test database, as installing Italian does, and read labels,
menus, views and error messages back the way the web client gets them.
"""

import re

import polib  # pinned in runtime/requirements.txt

from odoo.exceptions import UserError
from odoo.tests import TransactionCase
from odoo.tools.misc import file_path

from odoo.addons.mrp_job_order.models.mrp_job_order_demand import SKIP_REASONS

MODULE = "mrp_job_order"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# the models whose field `reason` is a selection of SKIP_REASONS
SKIP_REASON_MODELS = ("mrp.job.order.run.skip", "mrp.job.order.generate.line")


class TestItalianFile(TransactionCase):
    """it.po against mrp_job_order.pot: complete, and safe to format."""

    def setUp(self):
        super().setUp()
        self.pot = polib.pofile(file_path(f"{MODULE}/i18n/{MODULE}.pot"))
        self.po = polib.pofile(file_path(f"{MODULE}/i18n/it.po"))

    def test_header(self):
        meta = self.po.metadata
        self.assertEqual(meta.get("Language"), "it")
        self.assertIn("charset=UTF-8", meta.get("Content-Type", ""))
        self.assertEqual(meta.get("Plural-Forms"), "nplurals=2; plural=(n != 1);")

    def test_every_msgid_translated(self):
        translated = {
            (e.msgctxt, e.msgid)
            for e in self.po
            if e.msgstr and not e.obsolete and "fuzzy" not in e.flags
        }
        missing = [e.msgid for e in self.pot if (e.msgctxt, e.msgid) not in translated]
        self.assertFalse(
            missing,
            "not translated in it.po (run runtime/export_pot.sh "
            "--merge, then translate): %r" % missing[:20],
        )

    def test_placeholders_and_tags_kept_in_order(self):
        for entry in self.po:
            if not entry.msgstr:
                continue
            self.assertEqual(
                PLACEHOLDER.findall(entry.msgid),
                PLACEHOLDER.findall(entry.msgstr),
                "placeholders differ: %r" % entry.msgid,
            )
            self.assertEqual(
                TAG.findall(entry.msgid),
                TAG.findall(entry.msgstr),
                "HTML tags differ: %r" % entry.msgid,
            )


class TestItalianInOdoo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # what installing Italian does for this add-on: activate it_IT and
        # load i18n/it.po (it_IT falls back on it.po), replacing older terms.
        # Terms of Python code (_()) are read from the same file when first
        # needed; the others (labels, selections, views, menus) go into the
        # database, rolled back with the class. Activating the language
        # invalidates the registry's caches, so TransactionCase clears them
        # all when the class ends: later tests do not see Italian.
        cls.env["res.lang"]._activate_lang("it_IT")
        cls.env["ir.module.module"]._load_module_terms(
            [MODULE], ["it_IT"], overwrite=True
        )
        cls.it = cls.env(context=dict(cls.env.context, lang="it_IT"))
        group_ids = [
            cls.env.ref(xid).id
            for xid in (
                "base.group_user",
                "stock.group_stock_user",
                "mrp_job_order.group_job_order_user",
            )
        ]
        cls.planner = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Pianificatore",
                    "login": "test_i18n_planner",
                    "lang": "it_IT",
                    "email": "test_i18n_planner@example.com",
                    "group_ids": [(6, 0, group_ids)],
                }
            )
        )

    def test_state_selection(self):
        selection = dict(
            self.it["mrp.job.order"].fields_get(["state"])["state"]["selection"]
        )
        self.assertEqual(
            selection,
            {
                "draft": "Bozza",
                "confirmed": "Confermata",
                "in_progress": "In corso",
                "done": "Completata",
                "cancel": "Annullata",
            },
        )

    def test_mode_and_source_selections(self):
        fields = self.it["mrp.job.order"].fields_get(["mode"])
        self.assertEqual(
            dict(fields["mode"]["selection"]),
            {"mono": "Mono-articolo", "multi": "Multi-articolo"},
        )
        sources = dict(
            self.it["mrp.job.order.demand"].fields_get(["source"])["source"][
                "selection"
            ]
        )
        self.assertEqual(sources["forecast"], "Previsione di vendita")
        self.assertEqual(sources["min_stock"], "Sottoscorta")
        self.assertEqual(sources["warehouse"], "Fabbisogno di magazzino")

    def test_skip_reason_selections(self):
        """Why a demand is not planned: a code, shown as its label, which
        is translated like any selection's (run log and preview alike)."""
        italian = {
            e.msgid: e.msgstr for e in polib.pofile(file_path(f"{MODULE}/i18n/it.po"))
        }
        for model in SKIP_REASON_MODELS:
            labels = dict(self.it[model].fields_get(["reason"])["reason"]["selection"])
            self.assertEqual(
                set(labels), {code for code, _label in SKIP_REASONS}, model
            )
            for code, english in SKIP_REASONS:
                self.assertNotEqual(
                    labels[code], english, f"{model}: {code} not in Italian"
                )
                self.assertEqual(labels[code], italian[english], f"{model}: {code}")
        labels = dict(
            self.it["mrp.job.order.run.skip"].fields_get(["reason"])["reason"][
                "selection"
            ]
        )
        self.assertEqual(labels["locked"], "L'ordine di vendita è bloccato.")
        self.assertEqual(
            labels["already_planned"], "La domanda è già pianificata su una commessa."
        )
        # and as a record shows it: the label of its code, in the reader's language
        skip_field = self.it["mrp.job.order.run.skip"]._fields["reason"]
        self.assertEqual(
            dict(skip_field._description_selection(self.it))["service"],
            "Un servizio non si produce.",
        )
        self.assertEqual(
            dict(
                skip_field._description_selection(
                    self.env(context=dict(self.env.context, lang="en_US"))
                )
            )["service"],
            "A service is not manufactured.",
        )

    def test_field_labels(self):
        fields = self.it["mrp.job.order.line"].fields_get(["qty_produced", "bom_id"])
        self.assertEqual(fields["qty_produced"]["string"], "Q.tà prodotta")
        self.assertEqual(fields["bom_id"]["string"], "Distinta base")
        fields = self.it["mrp.job.order"].fields_get(
            ["cost_estimated", "cost_variance"]
        )
        self.assertEqual(fields["cost_estimated"]["string"], "Costo preventivo")
        self.assertEqual(fields["cost_variance"]["string"], "Scostamento")
        # the same labels through the field reflection, as Odoo looks them up
        strings = self.it["ir.model.fields"].get_field_string("mrp.job.order.line")
        self.assertEqual(strings["qty_produced"], "Q.tà prodotta")
        selection = dict(
            self.it["ir.model.fields"].get_field_selection("mrp.job.order", "state")
        )
        self.assertEqual(selection["in_progress"], "In corso")

    def test_model_and_menu_names(self):
        self.assertEqual(
            self.it["ir.model"]._get("mrp.job.order").name, "Commessa di produzione"
        )
        menu = self.it.ref("mrp_job_order.menu_mrp_job_order_generate")
        self.assertEqual(menu.name, "Genera commesse")
        self.assertEqual(
            self.it.ref("mrp_job_order.menu_mrp_job_order_root").name, "Commesse"
        )

    def test_form_view_in_italian(self):
        # what the web client asks for when it opens a job order
        arch = self.it["mrp.job.order"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn("Preleva tutto", arch)
        self.assertIn("Versamento", arch)
        self.assertNotIn("Transfer All", arch)

    def test_error_message_in_the_users_language(self):
        # as a web client request: the context carries the user's language
        env = self.env(
            user=self.planner.id,
            context=self.env["res.users"].with_user(self.planner).context_get(),
        )
        self.assertEqual(env.lang, "it_IT")
        order = env["mrp.job.order"].create({})
        with self.assertRaises(UserError) as refused:
            order.action_confirm()
        self.assertEqual(
            refused.exception.args[0],
            "La commessa %s non ha righe: aggiungere i "
            "prodotti da realizzare." % order.name,
        )
        # an English user meets the same refusal in English
        with self.assertRaises(UserError) as refused:
            order.with_context(lang="en_US").action_confirm()
        self.assertEqual(
            refused.exception.args[0],
            "Job order %s has no lines: add the products to make." % order.name,
        )
