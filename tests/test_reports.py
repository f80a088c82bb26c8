"""The job order reports, rendered for real: PDFs through wkhtmltopdf,
checked as PDFs (valid, pages), their text read from the HTML rendering
(Debian's wkhtmltopdf draws text as outlines: nothing to read back from the
PDF); the cost workbook read back with openpyxl."""

import io

import lxml.html
import openpyxl

from odoo.tools.pdf import PdfFileReader

from .test_costs import CostCase


def money(value):
    return f"{value:,.2f}"


class TestReports(CostCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Styles are fetched by wkhtmltopdf from report.url; no server runs
        # during the tests, so point it at a closed local port: the fetch
        # fails at once instead of waiting (or reaching another server).
        cls.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        # The report asset bundles are built on first use and kept as
        # attachments: built once here, the tests' savepoints keep them.
        cls.render_pdf_bytes(
            "mrp_job_order.action_report_job_order_sheet",
            cls.env["mrp.job.order"].create({}),
        )

    @classmethod
    def render_pdf_bytes(cls, xml_id, orders):
        # Odoo renders HTML instead of PDF in tests unless told otherwise
        return (
            cls.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(xml_id, orders.ids)
        )

    def render_pdf(self, xml_id, orders):
        """(text of the report, number of pages of its PDF)."""
        content, kind = self.render_pdf_bytes(xml_id, orders)
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), content[:20])
        pages = len(PdfFileReader(io.BytesIO(content)).pages)
        self.assertGreaterEqual(pages, 1)
        html, kind = self.env["ir.actions.report"]._render_qweb_html(xml_id, orders.ids)
        self.assertEqual(kind, "html")
        text = lxml.html.fromstring(html).text_content()
        return " ".join(
            text.split()
        ), pages  # one space between words, whatever the layout

    def test_01_job_order_sheet(self):
        order = self.new_job_order(
            [(self.cabinet, 5)], date_deadline="2030-06-30 12:00:00"
        )
        order.with_user(self.planner).action_confirm()
        text, _pages = self.render_pdf(
            "mrp_job_order.action_report_job_order_sheet", order
        )
        self.assertIn(order.name, text)
        self.assertIn("Components to pick", text)
        for component in ("Screw", "Panel", "Hinge"):
            self.assertIn(component, text)
        self.assertIn(
            "%s: 100.000" % self.stock.display_name, text
        )  # where the screws are
        self.assertIn("06/30/2030", text)

    def test_02_cost_report(self):
        order = self.run_cabinets()
        text, _pages = self.render_pdf(
            "mrp_job_order.action_report_job_order_cost", order
        )
        self.assertIn(order.name, text)
        for amount in (210.0, 210.6, 0.6, 135.0, 138.0, 45.0, 27.6):
            self.assertIn(money(amount), text)
        self.assertIn("Job order total", text)

    def test_03_cost_report_many(self):
        first = self.run_cabinets()
        second = self.new_job_order([(self.shelf, 2)])
        second.with_user(self.planner).action_confirm()
        text, _pages = self.render_pdf(
            "mrp_job_order.action_report_job_order_cost", first | second
        )
        self.assertIn(first.name, text)
        self.assertIn(second.name, text)
        self.assertIn("Grand total", text)
        # 210.00 + 44.90 estimated, 210.60 + 0 actual
        self.assertIn(money(254.9), text)

    def test_04_cost_workbook(self):
        order = self.run_cabinets()
        other = self.new_job_order([(self.shelf, 2)])
        other.with_user(self.planner).action_confirm()
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "mrp_job_order.action_report_job_order_cost_xlsx", (order | other).ids, {}
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content), data_only=True).active
        header = [cell.value for cell in sheet[1]]
        rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(
            header[:7],
            [
                "Job Order",
                "Status",
                "Customer",
                "Product",
                "Quantity",
                "Produced",
                "Unit",
            ],
        )
        values = dict(zip(header, rows[order.name], strict=True))
        self.assertEqual(values["Product"], "Cabinet")
        self.assertEqual(values["Status"], "Done")
        self.assertEqual((values["Quantity"], values["Produced"]), (5, 5))
        expected = {
            "Material": (135.0, 138.0, 3.0),
            "Labour": (48.0, 45.0, -3.0),
            "Overhead": (27.0, 27.6, 0.6),
            "Total": (210.0, 210.6, 0.6),
        }
        for element, amounts in expected.items():
            got = tuple(
                round(values["%s %s" % (element, kind)], 2)
                for kind in ("Estimated", "Actual", "Variance")
            )
            self.assertEqual(got, amounts, element)
        self.assertAlmostEqual(values["Variance %"], 0.6 / 210, places=9)
        totals = dict(zip(header, rows["Total"], strict=True))
        self.assertAlmostEqual(totals["Total Estimated"], 254.9, places=2)
        self.assertAlmostEqual(totals["Total Actual"], 210.6, places=2)
        self.assertAlmostEqual(totals["Material Estimated"], 135.0 + 19.0, places=2)
        self.assertAlmostEqual(totals["Variance %"], (210.6 - 254.9) / 254.9, places=9)
        # formulas behind the totals, number formats, frozen header, filter
        formulas = openpyxl.load_workbook(io.BytesIO(content)).active
        total_row = sheet.max_row
        self.assertEqual(
            formulas.cell(total_row, header.index("Total Actual") + 1).value,
            "=SUM(R2:R3)",
        )
        self.assertEqual(
            sheet.cell(2, header.index("Total Actual") + 1).number_format, "#,##0.00"
        )
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, "A1:T3")

    def test_05_print_menu(self):
        """The three reports are in the Print menu of job orders."""
        model = self.env["ir.model"]._get("mrp.job.order")
        for xml_id in (
            "action_report_job_order_sheet",
            "action_report_job_order_cost",
            "action_report_job_order_cost_xlsx",
        ):
            report = self.env.ref("mrp_job_order." + xml_id)
            self.assertEqual(report.binding_model_id, model)
            self.assertEqual(report.binding_type, "report")

    def test_06_job_order_sheets_many(self):
        """Sheets of several job orders print as one PDF, whatever the
        wkhtmltopdf: without Odoo's patched Qt (this machine's) they are
        converted one by one and merged, instead of Odoo's refusal ("Tried
        to convert multiple documents in wkhtmltopdf using unpatched QT")."""
        first = self.new_job_order([(self.cabinet, 5)])
        second = self.new_job_order([(self.shelf, 2)])
        (first | second).with_user(self.planner).action_confirm()
        text, pages = self.render_pdf(
            "mrp_job_order.action_report_job_order_sheet", first | second
        )
        self.assertGreaterEqual(pages, 2)  # one sheet (at least a page) each
        self.assertIn(first.name, text)
        self.assertIn(second.name, text)
        # as the planner, from the Print menu
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.planner)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "mrp_job_order.action_report_job_order_sheet", (first | second).ids
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertEqual(len(PdfFileReader(io.BytesIO(content)).pages), pages)
