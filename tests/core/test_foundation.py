"""The platform rules every app relies on: one API error shape, error answers that roll
back, a lock before a transition, input limits, safe exports, one date/time helper and
notifications from any app."""

from __future__ import annotations

import datetime as dt
import json
import threading
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from ccops.core import formats, services
from ccops.core.errors import Conflict, validation_body
from ccops.core.exports import safe_cell, safe_row
from ccops.core.limits import BoundedTextField, shorten
from ccops.core.middleware import AtomicWritesMiddleware
from ccops.core.models import Notification, Site
from ccops.core.testing import build_world, race, requires_row_locks

# --- one error shape --------------------------------------------------------------------


def _shape(body: dict) -> None:
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    for item in body["errors"]:
        assert set(item) == {"field", "message"} and isinstance(item["message"], str)


def test_model_validation_error_names_the_field(client, db):
    world = build_world()
    client.force_login(world.users["center_director"])
    response = client.post(
        "/api/v1/core/sites/",
        data=json.dumps({"code": "x1", "name": "X", "time_zone": "Mars/Olympus"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    _shape(body)
    assert body["errors"][0]["field"] == "time_zone"
    assert "Mars/Olympus" in body["detail"]


def test_schema_error_names_the_field(client, db):
    world = build_world()
    client.force_login(world.users["center_director"])
    response = client.post(
        "/api/v1/core/sites/",
        data=json.dumps({"name": "no code", "interval_minutes": "often"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    _shape(body)
    assert {"code", "interval_minutes"} <= {item["field"] for item in body["errors"]}


def test_not_found_forbidden_and_unauthenticated_share_the_shape(client, db):
    world = build_world()
    _shape(client.get("/api/v1/core/me").json())  # 401
    client.force_login(world.users["agent"])
    forbidden = client.post(
        "/api/v1/core/sites/",
        data=json.dumps({"code": "y", "name": "Y"}),
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    _shape(forbidden.json())
    missing = client.get("/api/v1/core/sites/999999")
    assert missing.status_code == 404
    _shape(missing.json())


def test_conflict_is_409_and_validation_body_joins_messages():
    body = validation_body(ValidationError({"start": "too early", "__all__": "overlaps"}))
    assert body["detail"] == "start: too early; overlaps"
    assert body["errors"] == [
        {"field": "start", "message": "too early"},
        {"field": None, "message": "overlaps"},
    ]
    assert isinstance(Conflict("taken"), ValidationError)


# --- an error answer commits nothing ----------------------------------------------------------


def test_api_error_answer_rolls_back_what_the_request_wrote(db):
    from ccops.web import api as web_api

    request = RequestFactory().post("/api/v1/core/sites/")
    request.ccops_atomic = True
    with transaction.atomic():  # the request's transaction (AtomicWritesMiddleware)
        Site.objects.create(code="halfway", name="Half written")
        response = web_api._unexpected(request, RuntimeError("boom"))
    assert response.status_code == 500
    _shape(json.loads(response.content))
    assert not Site.objects.filter(code="halfway").exists()


def test_a_server_error_page_rolls_back_the_request(db):
    def view(request):
        Site.objects.create(code="page500", name="Written before the crash")
        return HttpResponse(status=500)

    AtomicWritesMiddleware(view)(RequestFactory().post("/somewhere/"))
    assert not Site.objects.filter(code="page500").exists()

    def good(request):
        Site.objects.create(code="page200", name="Kept")
        return HttpResponse(status=200)

    AtomicWritesMiddleware(good)(RequestFactory().post("/somewhere/"))
    assert Site.objects.filter(code="page200").exists()


# --- lock before the transition ----------------------------------------------------------------


def test_lock_for_update_rereads_the_row(db):
    site = Site.objects.create(code="lk", name="Before")
    Site.objects.filter(pk=site.pk).update(name="After")
    with transaction.atomic():
        assert services.lock_for_update(site).name == "After"


def test_require_state_raises_conflict_with_the_state_shown(db):
    world = build_world()
    note = Notification.objects.create(user=world.users["agent"], message="m")
    services.require_state(note, "message", ["m"])
    with pytest.raises(Conflict, match="already"):
        services.require_state(note, "message", ["other"])


def test_race_starts_calls_together_and_keeps_their_errors():
    seen = []
    lock = threading.Lock()

    def call(i):
        def run():
            with lock:
                seen.append(i)
            if i == 2:
                raise ValueError("second")
            return i

        return run

    outcome = race(call(1), call(2), call(3))
    assert outcome.results == [1, None, 3]
    assert isinstance(outcome.errors[1], ValueError)
    assert sorted(seen) == [1, 2, 3]


@requires_row_locks()
@pytest.mark.django_db(transaction=True)
def test_parallel_reads_of_one_notification_mark_it_once():
    """Two parallel "mark as read" requests on PostgreSQL: the row lock makes the second
    see the first's answer, so one audit entry is written, not two."""
    from ccops.core.models import AuditEntry

    world = build_world()
    user = world.users["agent"]
    note = Notification.objects.create(user=user, message="m")

    def read():
        c = Client()
        c.force_login(user)
        return c.post(f"/api/v1/core/notifications/{note.pk}/read")

    outcome = race(read, read, read)
    assert outcome.statuses == [200, 200, 200], outcome.errors
    entries = AuditEntry.objects.filter(action="notification_read", object_id=str(note.pk))
    assert entries.count() == 1


# --- input limits and exports ----------------------------------------------------------------


def test_shorten_quotes_long_values_with_their_length():
    assert shorten("abc") == "'abc'"
    long = shorten("x" * 300_000)
    assert long.startswith("'xxxx") and "300,000 characters" in long and len(long) < 100


def test_bounded_text_field_is_enforced_by_model_validation():
    field = BoundedTextField(max_length=5)
    field.clean("12345", None)
    with pytest.raises(ValidationError):
        field.clean("123456", None)


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_prefixes_are_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_plain_values_pass_unchanged():
    assert safe_row(["Li Na", 3, -2.5, None, dt.date(2026, 12, 1)]) == [
        "Li Na",
        3,
        -2.5,
        None,
        dt.date(2026, 12, 1),
    ]


# --- one date and time helper -------------------------------------------------------------------


SHIFT = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)  # 07:30 on Sunday in Shanghai


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", "2026-12-06 07:30", "Sun 6 Dec 2026, 07:30"),
        ("zh-hans", "2026-12-06 07:30", "2026年12月6日 星期日 07:30"),
    ],
)
def test_datetimes_are_shown_in_the_site_zone_and_language(language, short, long):
    with translation.override(language):
        assert formats.format_datetime(SHIFT, "Asia/Shanghai") == short
        assert formats.format_datetime(SHIFT, "Asia/Shanghai", long=True) == long
        assert formats.format_date(SHIFT, "Asia/Shanghai") == "2026-12-06"
        assert formats.format_time(SHIFT, zoneinfo.ZoneInfo("Asia/Shanghai")) == "07:30"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_fast_iso_styles_write_what_django_would(language):
    from django.utils.formats import date_format, time_format

    zone = zoneinfo.ZoneInfo("Asia/Shanghai")
    with translation.override(language):
        for hours in range(0, 24 * 400, 37):
            value = (SHIFT + dt.timedelta(hours=hours, minutes=hours % 60)).astimezone(zone)
            assert formats.format_time(value) == time_format(value, "TIME_FORMAT")
            assert formats.format_date(value, zone) == date_format(
                value.date(), "SHORT_DATE_FORMAT"
            )
            assert formats.format_datetime(value, zone) == date_format(
                value, "SHORT_DATETIME_FORMAT"
            )


def test_ranges_and_sites_as_zones(db):
    site = Site.objects.create(code="sh", name="Shanghai", time_zone="Asia/Shanghai")
    end = SHIFT + dt.timedelta(hours=8)
    with translation.override("en"):
        assert formats.format_range(SHIFT, end, site) == "2026-12-06 07:30–15:30"
        night = formats.format_range(
            SHIFT + dt.timedelta(hours=12), end + dt.timedelta(hours=12), site
        )
        assert night == "2026-12-06 19:30 – 2026-12-07 03:30"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        formats.format_datetime(dt.datetime(2026, 12, 1, 8, 0))


# --- notifications from any app ----------------------------------------------------------------


def test_notifications_can_be_emailed_after_commit(db, settings):
    from django.core import mail

    settings.CCOPS_EMAIL_NOTIFICATIONS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    user = world.users["agent"]
    user.email = "agent@example.org"
    user.save()
    with transaction.atomic():
        note = services.notify(
            user=user, message="Case %(n)s was answered", params={"n": 7}, url="/x/"
        )
        assert mail.outbox == []  # not before the commit
    # TestCase-style tests never commit: run the on-commit hook the way a commit would
    services._notification_email(note.pk)
    assert len(mail.outbox) == 1 and "Case 7 was answered" in mail.outbox[0].subject
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_the_home_page_counts_the_unread_notifications_once(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = build_world()
    agent = world.users["agent"]
    services.notify(user=agent, message="A shift was added")
    client.force_login(agent)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200 and "A shift was added" in page.text
    counts = [q["sql"] for q in queries if "COUNT" in q["sql"] and "core_notification" in q["sql"]]
    assert len(counts) == 1, counts  # the menu's badge and the home panel share it
