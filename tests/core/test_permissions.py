"""Permission matrix of the core pages and API (every role x every URL and operation)."""

from __future__ import annotations

import itertools

from ccops.core.models import ApiToken, AuditEntry, CalendarPeriod, Job, Notification, Queue, Site
from ccops.core.roles import ALL_ROLES, SUPERVISORS
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix

_n = itertools.count(1)
SITE_ADMINS = {"center_director", "general_supervisor"}
OPS_ADMINS = {"center_director", "operations_supervisor", "general_supervisor"}


def site(w, u):
    return [w.site.pk]


def fresh_site(w, u):
    return [Site.objects.create(code=f"x{next(_n)}", name="Spare").pk]


def fresh_queue(w, u):
    return [Queue.objects.create(site=w.site, code=f"q{next(_n)}", name="Spare").pk]


def fresh_period(w, u):
    period = CalendarPeriod.objects.create(
        kind="holiday", name="Spare", start_date=w.period.start_date, end_date=w.period.end_date
    )
    return [period.pk]


def audit_entry(w, u):
    return [AuditEntry.objects.order_by("pk").first().pk]


def own_job(w, u):
    return [Job.objects.create(kind="test", title="Test", owner=u).pk]


def own_finished_job(w, u):
    job = Job.objects.create(
        kind="test",
        title="Test",
        owner=u,
        status=Job.Status.SUCCEEDED,
        result_text="a,b\n",
        result_filename="test.csv",
    )
    return [job.pk]


def own_notification(w, u):
    return [Notification.objects.create(user=u, message="Hello").pk]


def own_token(w, u):
    from ccops.core.services import api_token_create

    token, _raw = api_token_create(user=u, name="t", actor=u)
    return [token.pk]


class TestCorePermissions(PermissionMatrix):
    pages = {
        "home": Check(ALL_ROLES),
        "core:site_list": Check(ALL_ROLES),
        "core:site_detail": Check(ALL_ROLES, args=site),
        "core:site_add": Check(SITE_ADMINS),
        "core:site_edit": Check(SITE_ADMINS, args=site),
        "core:site_archive": Check(SITE_ADMINS, args=site),
        "core:queue_list": Check(ALL_ROLES),
        "core:queue_detail": Check(ALL_ROLES, args=lambda w, u: [w.queue.pk]),
        "core:queue_add": Check(OPS_ADMINS),
        "core:queue_edit": Check(OPS_ADMINS, args=lambda w, u: [w.queue.pk]),
        "core:queue_archive": Check(OPS_ADMINS, args=lambda w, u: [w.queue.pk]),
        "core:calendarperiod_list": Check(ALL_ROLES),
        "core:calendarperiod_detail": Check(ALL_ROLES, args=lambda w, u: [w.period.pk]),
        "core:calendarperiod_add": Check(OPS_ADMINS),
        "core:calendarperiod_edit": Check(OPS_ADMINS, args=lambda w, u: [w.period.pk]),
        "core:calendarperiod_archive": Check(OPS_ADMINS, args=lambda w, u: [w.period.pk]),
        "core:auditentry_list": Check(SUPERVISORS),
        "core:auditentry_detail": Check(SUPERVISORS, args=audit_entry),
        "core:job_list": Check(ALL_ROLES),
        "core:job_detail": Check(ALL_ROLES, args=own_job),
        "core:job_progress": Check(ALL_ROLES, args=own_job),
        "core:job_download": Check(ALL_ROLES, args=own_finished_job),
        "core:notification_list": Check(ALL_ROLES),
        "core:notifications_read": Check(ALL_ROLES, method="post", ok=(302,)),
        "core:account": Check(ALL_ROLES),
        "core:apitoken_revoke": Check(ALL_ROLES, args=own_token, method="post", ok=(302,)),
        "password_change": Check(ALL_ROLES),
        "password_change_done": Check(ALL_ROLES),
        "logout": Check(ALL_ROLES, method="post", ok=(302,)),
        "login": Check(ALL_ROLES, ok=(302,), anonymous=(200,), public=True),
        "healthz": Check(ALL_ROLES, anonymous=(200,), public=True),
        "set_language": Check(
            ALL_ROLES,
            method="post",
            data=lambda w, u: {"language": "zh-hans", "next": "/"},
            ok=(302,),
            public=True,
        ),
    }
    api = {
        "core_me": Check(ALL_ROLES),
        "core_notification_list": Check(ALL_ROLES),
        "core_notification_read": Check(ALL_ROLES, args=own_notification, method="post"),
        "core_notifications_read_all": Check(ALL_ROLES, method="post"),
        "core_site_list": Check(ALL_ROLES),
        "core_site_get": Check(ALL_ROLES, args=site),
        "core_site_create": Check(
            SITE_ADMINS,
            method="post",
            data=lambda w, u: {"code": f"n{next(_n)}", "name": "New", "interval_minutes": 15},
            ok=(201,),
        ),
        "core_site_update": Check(
            SITE_ADMINS, args=fresh_site, method="patch", data=lambda w, u: {"name": "Renamed"}
        ),
        "core_site_archive": Check(SITE_ADMINS, args=fresh_site, method="post"),
        "core_queue_list": Check(ALL_ROLES),
        "core_queue_get": Check(ALL_ROLES, args=lambda w, u: [w.queue.pk]),
        "core_queue_create": Check(
            OPS_ADMINS,
            method="post",
            data=lambda w, u: {"site": w.site.pk, "code": f"n{next(_n)}", "name": "New"},
            ok=(201,),
        ),
        "core_queue_update": Check(
            OPS_ADMINS,
            args=fresh_queue,
            method="patch",
            data=lambda w, u: {"service_level_percent": 90},
        ),
        "core_queue_archive": Check(OPS_ADMINS, args=fresh_queue, method="post"),
        "core_calendarperiod_list": Check(ALL_ROLES),
        "core_calendarperiod_get": Check(ALL_ROLES, args=lambda w, u: [w.period.pk]),
        "core_calendarperiod_create": Check(
            OPS_ADMINS,
            method="post",
            data=lambda w, u: {
                "kind": "emergency",
                "name": "Outage",
                "start_date": "2026-12-01",
                "end_date": "2026-12-02",
            },
            ok=(201,),
        ),
        "core_calendarperiod_update": Check(
            OPS_ADMINS, args=fresh_period, method="patch", data=lambda w, u: {"name": "Renamed"}
        ),
        "core_calendarperiod_archive": Check(OPS_ADMINS, args=fresh_period, method="post"),
        "core_auditentry_list": Check(SUPERVISORS),
        "core_auditentry_get": Check(SUPERVISORS, args=audit_entry),
        "core_job_list": Check(ALL_ROLES),
        "core_job_get": Check(ALL_ROLES, args=own_job),
    }


class TestJobsOwnRows(OwnRowsTests):
    model = Job
    list_url = "core:job_list"
    detail_url = "core:job_detail"
    api_list = "core_job_list"

    def own(self, w):
        return Job.objects.create(kind="t", title="Mine", owner=w.users["agent"])

    def others(self, w):
        return Job.objects.create(kind="t", title="Theirs", owner=w.other_agent)


def test_agent_cannot_revoke_someone_elses_token(client, db):
    from django.urls import reverse

    from ccops.core.services import api_token_create
    from ccops.core.testing import build_world

    w = build_world()
    token, _raw = api_token_create(user=w.other_agent, name="theirs", actor=w.other_agent)
    client.force_login(w.users["agent"])
    response = client.post(reverse("core:apitoken_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
