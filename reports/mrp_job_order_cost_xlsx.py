"""Cost workbook of job orders (OCA report_xlsx): one row per job order
line with every cost element, a totals row, number formats, frozen header
and autofilter."""

from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models

from .mrp_job_order_report import cost_elements

MONEY = "#,##0.00"
QTY = "#,##0.###"
PCT = "0.00%"


class JobOrderCostXlsx(models.AbstractModel):
    _name = "report.mrp_job_order.job_order_cost_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Job Order Cost Workbook"

    def _columns(self):
        """[(key, header, width, format, value(line))]."""
        _ = self.env._
        state_labels = dict(
            self.env["mrp.job.order.line"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        columns = [
            (
                "job_order",
                _("Job Order"),
                16,
                "text",
                lambda line: line.job_order_id.name,
            ),
            (
                "state",
                _("Status"),
                12,
                "text",
                lambda line: state_labels.get(line.state, ""),
            ),
            (
                "partner",
                _("Customer"),
                24,
                "text",
                lambda line: line.partner_id.display_name or "",
            ),
            (
                "product",
                _("Product"),
                30,
                "text",
                lambda line: line.product_id.display_name,
            ),
            ("qty", _("Quantity"), 11, "qty", lambda line: line.product_qty),
            ("produced", _("Produced"), 11, "qty", lambda line: line.qty_produced),
            ("uom", _("Unit"), 9, "text", lambda line: line.product_uom_id.name),
        ]
        for label, prefix in cost_elements(self.env):
            for suffix, header in (
                ("_estimated", _("%s Estimated", label)),
                ("_actual", _("%s Actual", label)),
                ("_variance", _("%s Variance", label)),
            ):
                columns.append(
                    (
                        prefix + suffix,
                        header,
                        14,
                        "money",
                        self._getter(prefix + suffix),
                    )
                )
        columns.append(
            (
                "cost_variance_pct",
                _("Variance %"),
                11,
                "pct",
                lambda line: line.cost_variance_pct / 100.0,
            )
        )
        return columns

    @staticmethod
    def _getter(name):
        return lambda line: line[name]

    def _formats(self, workbook):
        return {
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#D9D9D9", "bottom": 1, "text_wrap": True}
            ),
            "text": workbook.add_format({}),
            "qty": workbook.add_format({"num_format": QTY}),
            "money": workbook.add_format({"num_format": MONEY}),
            "pct": workbook.add_format({"num_format": PCT}),
            "total_text": workbook.add_format({"bold": True, "top": 1}),
            "total_money": workbook.add_format(
                {"bold": True, "top": 1, "num_format": MONEY}
            ),
            "total_pct": workbook.add_format(
                {"bold": True, "top": 1, "num_format": PCT}
            ),
        }

    def generate_xlsx_report(self, workbook, data, objects):
        sheet = workbook.add_worksheet(self.env._("Job Order Costs"))
        formats = self._formats(workbook)
        columns = self._columns()
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column[2])
            sheet.write(0, col, column[1], formats["header"])
        lines = objects.line_ids
        for row, line in enumerate(lines, start=1):
            for col, column in enumerate(columns):
                sheet.write(row, col, column[4](line), formats[column[3]])
        self._write_totals(sheet, formats, columns, lines)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(lines), 1), len(columns) - 1)

    def _write_totals(self, sheet, formats, columns, lines):
        """SUM formulas with their values cached, so that readers which do not
        calculate (and the tests) see the totals too."""
        row = len(lines) + 1
        sheet.write(row, 0, self.env._("Total"), formats["total_text"])
        cols = {column[0]: col for col, column in enumerate(columns)}
        for col, column in enumerate(columns):
            if column[3] != "money":
                continue
            total = sum(column[4](line) for line in lines)
            if lines:
                formula = "=SUM(%s:%s)" % (
                    xl_rowcol_to_cell(1, col),
                    xl_rowcol_to_cell(row - 1, col),
                )
                sheet.write_formula(row, col, formula, formats["total_money"], total)
            else:
                sheet.write_number(row, col, total, formats["total_money"])
        estimated = sum(lines.mapped("cost_estimated"))
        variance = sum(lines.mapped("cost_variance"))
        est_cell = xl_rowcol_to_cell(row, cols["cost_estimated"])
        var_cell = xl_rowcol_to_cell(row, cols["cost_variance"])
        sheet.write_formula(
            row,
            cols["cost_variance_pct"],
            "=IF(%s=0,0,%s/%s)" % (est_cell, var_cell, est_cell),
            formats["total_pct"],
            variance / estimated if estimated else 0.0,
        )
