"""Helpers every export (Excel, CSV) uses.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula: an employee named ``=HYPERLINK(...)`` would run in the
planner's Excel. :func:`safe_cell` prefixes such text with an apostrophe (OWASP's advice
for CSV injection); numbers, dates and booleans pass unchanged.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` made safe to write into a spreadsheet cell or a CSV field."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values) -> list:
    """:func:`safe_cell` of each value of a row."""
    return [safe_cell(v) for v in values]


#: A list export holds at most this many rows (narrow the filter for more).
MAX_EXPORT_ROWS = 50_000


def csv_response(header, rows, filename: str):
    """A CSV download: UTF-8 with a byte-order mark (Excel opens Chinese text right), every
    cell through :func:`safe_cell`."""
    import csv
    import io

    from django.http import HttpResponse

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def list_export(queryset, columns, *, fmt: str, filename: str):
    """The rows of a list page (its filter applied, every page) as CSV or Excel: one column
    per list column, the values as the page shows them (dates and times in the site's
    zone, people by name), formula prefixes neutralised."""
    import io

    from django.http import HttpResponse

    from ccops.core.templatetags.ccops import cell_text

    header = [str(label) for _name, label in columns]
    rows = (
        safe_row([cell_text(obj, name) for name, _label in columns])
        for obj in queryset[:MAX_EXPORT_ROWS].iterator(chunk_size=2000)
    )
    if fmt == "csv":
        return csv_response(header, rows, f"{filename}.csv")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(filename[:31])
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
