"""Limits on imported files and the shared import pipeline (issue 12.2, issue 18.5)."""

from __future__ import annotations

import gzip
import io
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from ccops.engine.io.errors import InputError
from ccops.engine.io.history import history_to_csv_text
from ccops.engine.io.limits import MAX_REPORTED_PROBLEMS
from ccops.engine.io.mapping import load_preset
from ccops.engine.io.pipeline import (
    ImportOptions,
    QueueMapError,
    parse_queue_map,
    read_import,
)
from ccops.engine.io.source import open_source

HEADER = "call_id,arrival,queue,outcome,wait_seconds,handle_seconds,agent,priority\n"
OPTIONS = ImportOptions(interval_minutes=30)


def calls(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_gzip_bomb_is_refused_early_with_bounded_memory():
    bomb = gzip.compress(HEADER.encode() + b"1,2026-03-02T08:00:00," + b"a" * 40_000_000, 1)
    assert len(bomb) < 200_000
    tracemalloc.start()
    with pytest.raises(InputError, match="decompresses to more than 2 MB") as err:
        open_source(io.BytesIO(bomb), "calls.csv.gz", max_decompressed=2 * 1024 * 1024)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # never the 40 MB the file decompresses to
    assert str(err.value).startswith("calls.csv.gz: ")


def test_too_large_file_and_too_long_line_are_refused():
    with pytest.raises(InputError, match="larger than 1 MB"):
        open_source(b"x" * (1024 * 1024 + 1), "big.csv", max_bytes=1024 * 1024)
    long_line = calls("1,2026-03-02T08:00:00,Q," + "a" * 70_000 + ",1,1,A,0")
    with pytest.raises(InputError, match=r"line 2.*longer than 65,536 bytes"):
        read_import([(io.BytesIO(long_line), "calls.csv")], load_preset("ccops-calls"), OPTIONS)


def test_long_value_is_quoted_shortened():
    data = calls("1,2026-03-02T08:00:00," + "Q" * 5000 + ",answered,1,1,A,0")
    with pytest.raises(InputError) as err:
        read_import([(data, "calls.csv")], load_preset("ccops-calls"), OPTIONS)
    text = str(err.value)
    assert "value longer than 255 characters" in text and "5,000 characters" in text
    assert len(text) < 400


def test_up_to_twenty_bad_values_are_listed_by_line_with_the_count():
    rows = [f"{i},2026-03-02T08:{i % 60:02d}:00,Q,answered,{i},1,A,0" for i in range(40)]
    for i in range(3, 40, 2):  # 19 bad waits ...
        rows[i] = rows[i].replace(f",answered,{i},", ",answered,soon,")
    rows[6] = rows[6].replace("2026-03-02T08:06:00", "2026-03-02T28:06:00")  # ... 20
    rows[8] = rows[8].replace(",answered,", ",maybe,")  # ... 21
    with pytest.raises(InputError) as err:
        read_import([(calls(*rows), "calls.csv")], load_preset("ccops-calls"), OPTIONS)
    exc = err.value
    assert exc.total == 21 and len(exc.problems) == MAX_REPORTED_PROBLEMS
    lines = [p.line for p in exc.problems]
    assert lines == sorted(lines) and lines[:4] == [5, 7, 8, 9]
    assert "21 bad values; the first 20 are listed" in str(exc)
    assert "line 8, column 'arrival', value '2026-03-02T28:06:00'" in str(exc)
    assert "… and 1 more" in str(exc)


INTERVALS = "interval_start,queue,offered,answered,abandoned,answered_within_target\n"


def test_plausibility_answered_not_above_offered_counts_and_years_bounded():
    data = (
        INTERVALS
        + "2026-03-02T08:00:00,Q,10,12,0,5\n"
        + "2026-03-02T08:30:00,Q,10,5,11,5\n"
        + "2026-03-02T09:00:00,Q,250000,5,0,5\n"
        + "1899-03-02T09:30:00,Q,1,1,0,0\n"
    ).encode()
    mapping = _no_seconds(load_preset("generic-interval"))
    with pytest.raises(InputError) as err:
        read_import([(data, "report.csv")], mapping, OPTIONS)
    text = str(err.value)
    assert "line 2, column 'answered', value '12': more calls answered than offered" in text
    assert "line 3, column 'abandoned', value '11': more calls abandoned than offered" in text
    assert "line 4, column 'offered', value '250000': more than 100,000 calls" in text
    assert "line 5, column 'interval_start'" in text and "not between 1980 and 2100" in text


def _no_seconds(mapping):
    from ccops.engine.io.mapping import mapping_from_dict

    data = {k: getattr(mapping, k) for k in mapping.__dataclass_fields__}
    data.update(aht=(), asa=None)
    return mapping_from_dict(data)


def test_streams_are_named_by_their_display_name_not_a_path():
    bad = calls("1,2026-03-02T25:00:00,Q,answered,1,1,A,0")
    with pytest.raises(InputError, match=r"^my export\.csv, line 2, column 'arrival'"):
        read_import([(io.BytesIO(bad), "my export.csv")], load_preset("ccops-calls"), OPTIONS)


def test_queue_map_parser_is_shared():
    assert parse_queue_map("A=x\nB = y, C=x") == {"A": "x", "B": "y", "C": "x"}
    assert parse_queue_map(["A=x", "B=y,C=z"]) == {"A": "x", "B": "y", "C": "z"}
    with pytest.raises(QueueMapError) as err:
        parse_queue_map("A=x\nnonsense")
    assert err.value.part == "nonsense"


def test_partial_day_is_marked_outside_the_files_span():
    data = calls(
        "1,2026-03-02T08:05:00,Q,answered,1,100,A,0",
        "2,2026-03-02T09:40:00,Q,abandoned,9,,,0",
    )
    result = read_import([(data, "calls.csv")], load_preset("ccops-calls"), OPTIONS)
    starts = result.history["interval_start"].dt.strftime("%H:%M")
    assert list(starts[result.covered]) == ["08:00", "08:30", "09:00", "09:30"]
    assert result.report["intervals outside the files' time span"] == 44


def test_ccops_history_preset_reads_the_demo_history():
    from ccops.engine.synthetic import generate_center

    history = generate_center(weeks=1, queues=2, seed=3).history
    text = history_to_csv_text(history)
    result = read_import([(text.encode(), "history.csv")], load_preset("ccops-history"), OPTIONS)
    assert history_to_csv_text(result.history) == text


def test_utc_clock_preset_takes_the_site_zone_from_the_options():
    data = (
        b"Date,Queue,Abandoned,Total Queue,Total Talk,Total Hold,Total ACW,Users - Interacted\n"
        b"2026-03-02T07:10:00.000Z,Sales,NO,5000,60000,0,10000,Ann\n"
    )
    preset = load_preset("genesys-cloud-interactions")
    with pytest.raises(InputError, match="give the site's time zone"):
        read_import([(data, "interactions.csv")], preset, OPTIONS)
    berlin = ImportOptions(interval_minutes=30, timezone="Europe/Berlin")
    result = read_import([(data, "interactions.csv")], preset, berlin)
    row = result.history[result.history["calls"] > 0].iloc[0]
    assert row["interval_start"] == pd.Timestamp("2026-03-02 08:00")
    assert np.isclose(row["aht_seconds"], 70)


def test_zip_members_are_capped_before_they_are_opened():
    import zipfile

    def zipped(member: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(member, HEADER + "x" * 3_000_000)
        return out.getvalue()

    for name in ("cms.xlsx", "calls.csv.zip"):
        member = "xl/worksheets/sheet1.xml" if name.endswith("xlsx") else "calls.csv"
        with pytest.raises(InputError, match=f"^{name}: the file decompresses to more than 1 MB"):
            open_source(zipped(member), name, max_decompressed=1024 * 1024)
    small = open_source(gzip.compress(calls("1,2026-03-02T08:00:00,Q,answered,1,1,A,0")), "c.gz")
    assert small.format == "csv" and small.data.startswith(b"call_id,")


# --- rows and cells (issue 12.2: bounded memory) -------------------------------------------


def _xlsx(rows: int, columns: int = 8, *, declared: bool = False) -> bytes:
    """A workbook of ``rows`` calls; ``declared``: the sheet states its size (as Excel
    writes it; openpyxl's write-only mode does not)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=not declared)
    sheet = workbook.active if declared else workbook.create_sheet("Calls")
    sheet.title = "Calls"
    sheet.append(HEADER.strip().split(","))
    for i in range(rows):
        sheet.append(
            [str(i), f"2026-03-02T08:{i % 60:02d}:00", "Q", "answered", "1", "60", "A1", "0"]
            + ["x"] * (columns - 8)
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_excel_sheet_over_the_cell_cap_is_refused_before_it_is_read(monkeypatch):
    from ccops.engine.io import limits

    monkeypatch.setattr(limits, "MAX_EXCEL_CELLS", 1000)
    with pytest.raises(InputError) as err:
        read_import(
            [(_xlsx(200, columns=20, declared=True), "calls.xlsx")],
            load_preset("ccops-calls"),
            OPTIONS,
        )
    assert str(err.value) == (
        "calls.xlsx: the sheet has 201 rows x 20 columns, more than 1,000 cells; export only "
        "the columns needed, or split it"
    )
    with pytest.raises(InputError) as err:  # not declared: counted while streamed
        read_import([(_xlsx(200, columns=20), "c.xlsx")], load_preset("ccops-calls"), OPTIONS)
    assert str(err.value) == (
        "c.xlsx: the sheet has more than 1,000 cells (row 51); export only the columns needed, "
        "or split it"
    )


def test_a_file_over_the_row_cap_is_refused_csv_before_parsing_excel_while_streaming(
    monkeypatch,
):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from ccops.engine.io import limits

    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    rows = [f"{i},2026-03-02T08:{i % 60:02d}:00,Q,answered,1,60,A1,0" for i in range(101)]
    with pytest.raises(InputError, match=r"^calls.csv: the file has more than 100 rows \(101\)"):
        read_import([(calls(*rows), "calls.csv")], load_preset("ccops-calls"), OPTIONS)
    assert len(read_import([(calls(*rows[:100]), "c.csv")], load_preset("ccops-calls"), OPTIONS)
               .records) == 100  # fmt: skip
    content = _xlsx(101, declared=True)
    with pytest.raises(InputError, match=r"^calls.xlsx: the file has more than 100 rows \(101\)"):
        read_import([(content, "calls.xlsx")], load_preset("ccops-calls"), OPTIONS)
    # a sheet that does not declare its size is counted while it is streamed
    monkeypatch.setattr(ReadOnlyWorksheet, "max_row", property(lambda self: None))
    with pytest.raises(InputError, match=r"^calls.xlsx: the file has more than 100 rows \(101\)"):
        read_import([(content, "calls.xlsx")], load_preset("ccops-calls"), OPTIONS)


def test_excel_reads_only_the_mapped_columns_and_names_a_missing_sheet():
    content = _xlsx(3, columns=12)
    result = read_import([(content, "calls.xlsx")], load_preset("ccops-calls"), OPTIONS)
    assert len(result.records) == 3
    mapping = load_preset("ccops-calls").with_options(sheet="Nope")
    with pytest.raises(InputError, match="no such sheet; the workbook has: 'Calls'") as err:
        read_import([(content, "calls.xlsx")], mapping, OPTIONS)
    assert err.value.value == "Nope"
