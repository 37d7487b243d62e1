"""The engine's input messages are data, worded by the web layer in the reader's language:
an import with bad rows and a broken shift-template set read in Chinese on a Chinese page,
in English on an English one, and the command line keeps the English text."""

from __future__ import annotations

import html
import re
import string

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ccops.core import engine_messages
from ccops.core.testing import build_world
from ccops.engine.io.errors import MESSAGES, InputError, Message
from ccops.engine.schedule.templates import parse_templates
from ccops.wfm import tasks
from ccops.wfm.services import imports

HEADER = "call_id,arrival,queue,outcome,wait_seconds,handle_seconds,service_start,agent,priority\n"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_engine_message_has_a_wording_with_the_same_values():
    assert set(engine_messages.INPUT_TEXTS) == set(MESSAGES)
    for code, english in MESSAGES.items():
        worded = str(engine_messages.INPUT_TEXTS[code])
        assert set(re.findall(r"%\((\w+)\)s", worded)) <= _fields(english) | {"where"}, code


def test_a_message_reads_as_english_and_carries_its_code_and_values():
    message = Message("off_grid", step=30)
    assert message == "interval start is not on the 30-minute grid"
    assert (message.code, message.params) == ("off_grid", {"step": "30"})
    error = InputError(message, path="r.csv", line=4, column="start", value="08:10")
    assert str(error) == "r.csv, line 4, column 'start', value '08:10': " + message
    with translation.override("zh-hans"):
        text = engine_messages.error_text(error)
    assert text == "r.csv，第 4 行，列 'start'，值 '08:10'：时段开始时间不在 30 分钟的时段网格上"


def test_a_template_error_names_its_place_in_both_languages():
    data = {"sets": {"normal": [{"name": "early", "start_earliest": "7h", "length_minutes": 480}]}}
    with pytest.raises(InputError) as caught:
        parse_templates(data, source="Week")
    error = caught.value
    assert str(error) == (
        "Week, value '7h': template 'early'.start_earliest: expected a time HH:MM"
    )
    with translation.override("zh-hans"):
        text = engine_messages.error_text(error)
    assert text == "Week，值 '7h'：模板 'early' 的字段 start_earliest：应为 HH:MM 格式的时间"


def _bad_import(world):
    rows = [
        f"1,2026-03-02T08:00:03,{world.queue.code},answered,5,100,2026-03-02T08:00:08,A1,0",
        f"2,2026-03-02T08:10:00,{world.queue.code},answered,x,200,,A1,0",
        f"3,2026-03-02T08:20:00,{world.queue.code},answered,4,-9,,A1,0",
    ]
    actor = world.users["statistician"]
    batch = imports.import_create(
        site=world.site,
        preset="ccops-calls",
        filename="calls.csv",
        content=(HEADER + "\n".join(rows) + "\n").encode(),
        actor=actor,
    )
    with translation.override("zh-hans"):  # the importer's page was in Chinese
        imports.import_start(batch=batch, actor=actor)
    batch.refresh_from_db()
    with pytest.raises(InputError):
        tasks.import_run.call(job_id=batch.job_id, batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db
def test_an_import_with_bad_rows_reads_in_chinese_naming_row_field_and_value(client):
    world = build_world()
    batch = _bad_import(world)
    # the stored English (the API, the command line's wording) stays as it was
    assert batch.report["error"] == "calls.csv: 2 bad values"
    assert batch.report["problems"][0] == (
        "line 3, column 'wait_seconds', value 'x': expected a duration "
        "(a number of seconds or H:MM:SS)"
    )
    client.force_login(world.users["statistician"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = html.unescape(client.get(batch.get_absolute_url()).content.decode())
    assert "calls.csv：2 个错误值" in page
    assert "第 3 行，列 'wait_seconds'，值 'x'：应为时长（秒数或 H:MM:SS）" in page
    assert "第 4 行，列 'handle_seconds'，值 '-9'：时长为负数" in page
    assert "expected a duration" not in page
    listing = html.unescape(client.get(reverse("wfm:importbatch_list")).content.decode())
    assert "calls.csv：2 个错误值" in listing and "ccops 通话记录" in listing
    # the task's progress line (the job's language: the importer's)
    progress = html.unescape(
        client.get(reverse("core:job_progress", args=[batch.job_id])).content.decode()
    )
    assert "第 3 行，列 'wait_seconds'" in progress and "expected" not in progress
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html.unescape(client.get(batch.get_absolute_url()).content.decode())
    assert "line 3, column 'wait_seconds', value 'x': expected a duration" in english


@pytest.mark.django_db
def test_a_bad_template_set_is_refused_in_chinese(client):
    world = build_world()
    client.force_login(world.users["operations_supervisor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    definition = (
        "sets:\n  normal:\n    - name: early\n      start_earliest: '07:00'\n"
        "      length_minutes: 480\n      breaks:\n        - name: lunch\n"
        "          length_minutes: 30\n          earliest_after_start_minutes: 240\n"
        "          latest_after_start_minutes: 600\n"
    )
    response = client.post(
        reverse("wfm:shifttemplateset_add"),
        {"site": world.site.pk, "name": "Week", "definition": definition},
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["definition"]
    assert error == (
        "Week，值 '600'：模板 'early' 的字段 breaks[0] (lunch).latest_after_start_minutes："
        "这个时间开始的休息会在班次结束（480 分钟）之后才结束"
    )
    broken = client.post(
        reverse("wfm:shifttemplateset_add"),
        {"site": world.site.pk, "name": "Week", "definition": "sets: {normal: [name: x}"},
    )
    [error] = broken.context["form"].errors["definition"]
    assert error.startswith("不是有效的 YAML：请检查第 1 行") and "while" not in error
