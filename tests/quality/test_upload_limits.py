"""The quality app's CSV uploads (ACD agent reports, satisfaction scores) have the limits of
the wfm imports (issue 12.2): the size as uploaded and decompressed, the length of a value,
errors naming the file, line, column and value, nothing written."""

from __future__ import annotations

import gzip

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ccops.core.testing import build_world
from ccops.engine.io import limits
from ccops.quality.models import AgentStatMonth, SatisfactionImport, SatisfactionScore
from ccops.quality.services import complaints as cpl
from ccops.quality.services import stats as st
from ccops.quality.services.common import month_start

pytestmark = pytest.mark.django_db


def agents(w, content: bytes, filename="acd.csv"):
    return st.agent_stats_import(
        site=w.site,
        month=month_start(timezone.localdate()),
        filename=filename,
        content=content,
        actor=w.users["statistician"],
    )


def scores(w, content: bytes, filename="csat.csv"):
    return cpl.satisfaction_import(
        site=w.site, filename=filename, content=content, actor=w.users["statistician"]
    )


IMPORTS = {
    "agent report": (agents, b"agent,calls_handled\n", "acd-7,10\n", AgentStatMonth),
    "satisfaction": (scores, b"call_reference,score\n", "REF-1,4\n", SatisfactionImport),
}


def messages(err) -> str:
    return "\n".join(err.value.messages)


@pytest.mark.parametrize("kind", IMPORTS)
def test_an_oversized_file_is_refused_naming_it(kind, monkeypatch):
    run, header, row, model = IMPORTS[kind]
    monkeypatch.setattr(st, "MAX_REPORT_BYTES", 2000)
    monkeypatch.setattr(cpl, "MAX_SATISFACTION_BYTES", 2000)
    w = build_world()
    with pytest.raises(ValidationError) as err:
        run(w, header + row.encode() * 300, filename="big.csv")
    assert messages(err) == "big.csv: the file is larger than 2 KB"
    assert not model.objects.exists()


@pytest.mark.parametrize("kind", IMPORTS)
def test_a_gzip_bomb_stops_at_the_decompressed_limit(kind, monkeypatch):
    run, header, row, model = IMPORTS[kind]
    monkeypatch.setattr(st, "MAX_REPORT_BYTES", 100_000)
    monkeypatch.setattr(cpl, "MAX_SATISFACTION_BYTES", 100_000)
    w = build_world()
    bomb = gzip.compress(header + row.encode() * 2_000_000)  # 16 MB in about 20 KB
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError) as err:
        run(w, bomb, filename="bomb.csv.gz")
    assert messages(err).startswith("bomb.csv.gz: the file decompresses to more than 391 KB")
    assert not model.objects.exists()


@pytest.mark.parametrize("kind", IMPORTS)
def test_an_over_long_value_is_refused_naming_line_column_and_value(kind):
    run, header, row, model = IMPORTS[kind]
    w = build_world()
    long = "9" * 5000
    content = header + row.encode() + (long + row[row.index(",") :]).encode()
    with pytest.raises(ValidationError) as err:
        run(w, content)
    column = header.decode().split(",")[0]
    text = messages(err)
    assert text.startswith(f"{'acd' if kind == 'agent report' else 'csat'}.csv, line 3, ")
    assert f"column '{column}', value '{'9' * 60}'… (5,000 characters)" in text
    assert text.endswith(f"value longer than {limits.MAX_FIELD_CHARS} characters")
    assert len(text) < 300 and not model.objects.exists()


def test_the_first_twenty_long_values_are_listed_and_the_rest_counted():
    w = build_world()
    rows = "".join(f"REF-{i},{'4' * 300}\n" for i in range(30))
    with pytest.raises(ValidationError) as err:
        scores(w, b"call_reference,score\n" + rows.encode())
    listed = err.value.messages
    assert len(listed) == 21 and listed[0].startswith("csat.csv: line 2, column 'score'")
    assert listed[-1] == "and 10 more problems"
    assert not SatisfactionScore.objects.exists()


def test_a_gzipped_report_within_the_limits_is_read():
    w = build_world()
    from ccops.people.models import Employee

    Employee.objects.filter(pk=w.employees["agent"].pk).update(acd_login="acd-7")
    period = agents(w, gzip.compress(b"agent,calls_handled\nacd-7,10\n"), filename="acd.csv.gz")
    assert period.rows.get().calls_handled == 10


def test_the_api_answers_422_naming_the_file(client, monkeypatch):
    monkeypatch.setattr(cpl, "MAX_SATISFACTION_BYTES", 2000)
    w = build_world()
    client.force_login(w.users["statistician"])
    response = client.post(
        f"/api/v1/quality/satisfaction/?site={w.site.pk}",
        {"file": SimpleUploadedFile("csat.csv", b"call_reference,score\n" + b"R,4\n" * 1000)},
    )
    assert response.status_code == 422, response.content
    assert "The file csat.csv is larger than 2 KB." in response.content.decode()
    bomb = gzip.compress(b"call_reference,score\n" + b"R,4\n" * 100_000)
    response = client.post(
        f"/api/v1/quality/satisfaction/?site={w.site.pk}",
        {"file": SimpleUploadedFile("csat.csv.gz", bomb)},
    )
    assert response.status_code == 422, response.content
    assert "csat.csv.gz: the file decompresses to more than" in response.content.decode()


@pytest.mark.parametrize("kind", IMPORTS)
def test_the_errors_are_worded_in_the_reader_s_language(kind, monkeypatch):
    from django.utils import translation

    run, header, row, model = IMPORTS[kind]
    w = build_world()
    with translation.override("zh-hans"):
        content = header + row.encode() + ("9" * 5000 + row[row.index(",") :]).encode()
        with pytest.raises(ValidationError) as err:
            run(w, content)
        text = messages(err)
        assert "第 3 行" in text and "value longer" not in text, text
        monkeypatch.setattr(st, "MAX_REPORT_BYTES", 2000)
        monkeypatch.setattr(cpl, "MAX_SATISFACTION_BYTES", 2000)
        with pytest.raises(ValidationError) as err:
            run(w, header + row.encode() * 300, filename="big.csv")
        assert messages(err) == "big.csv：文件大于 2 KB", messages(err)
    assert not model.objects.exists()
