"""Permission matrix of the meetings pages and API; agents' own action items."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix
from ccops.meetings import services
from ccops.meetings.models import ActionItem
from tests.meetings.helpers import item, meeting
from tests.shiftops.helpers import employee_of

ORGANISERS = SUPERVISORS | MANAGERS
REQUESTERS = MANAGERS | {"quality_supervisor", "general_supervisor", "operations_supervisor"}
APPROVERS = (REQUESTERS - {"group_manager"}) | {"center_director"}
EXCHANGERS = ORGANISERS | {"trainer"}
NOW = "2026-11-27T08:00:00Z"


def my_meeting(w, u):
    return [meeting(w, attendees=[employee_of(w, u)]).pk]


def my_item(w, u):
    return [item(w, owner=employee_of(w, u)).pk]


def closable_item(w, u):
    """An item reported done, of a meeting the user chairs (or any, for supervisors)."""
    a = item(w, meeting(w, chair=employee_of(w, u), actor=w.users["quality_supervisor"]))
    services.action_item_report_progress(item=a, text="Done", done=True, actor=w.users["agent"])
    return [a.pk]


def group_request(w, u):
    """A group manager's request: every approver in the chain may decide it first."""
    req = services.emergency_request_raise(
        site=w.site, reason="Outage", proposed_at=timezone.now(), actor=w.users["group_manager"]
    )
    return [req.pk]


def exchange(w, u):
    return [
        services.experience_exchange_record(
            site=w.site, held_on=timezone.localdate(), topic="Fraud", actor=w.users["trainer"]
        ).pk
    ]


class TestMeetingsPermissions(PermissionMatrix):
    pages = {
        "meetings:meeting_list": Check(ALL_ROLES),
        "meetings:meeting_detail": Check(ALL_ROLES, args=my_meeting),
        "meetings:meeting_add": Check(ORGANISERS),
        "meetings:meeting_edit": Check(ORGANISERS, args=my_meeting),
        "meetings:meeting_archive": Check(ORGANISERS, args=my_meeting),
        "meetings:actionitem_list": Check(ALL_ROLES),
        "meetings:actionitem_detail": Check(ALL_ROLES, args=my_item),
        "meetings:actionitem_add": Check(ORGANISERS),
        "meetings:actionitem_edit": Check(ORGANISERS, args=my_item),
        "meetings:actionitem_archive": Check(ORGANISERS, args=my_item),
        "meetings:actionitem_progress": Check(
            ALL_ROLES, args=my_item, method="post", data=lambda w, u: {"text": "On it"}, ok=(302,)
        ),
        "meetings:actionitem_close": Check(
            ORGANISERS,
            args=closable_item,
            method="post",
            data=lambda w, u: {"outcome": "done"},
            ok=(302,),
        ),
        "meetings:emergencymeetingrequest_list": Check(REQUESTERS | APPROVERS),
        "meetings:emergencymeetingrequest_detail": Check(
            REQUESTERS | APPROVERS, args=group_request
        ),
        "meetings:emergencymeetingrequest_add": Check(REQUESTERS),
        "meetings:emergencymeetingrequest_decide": Check(
            APPROVERS,
            args=group_request,
            method="post",
            data=lambda w, u: {"approve": "true"},
            ok=(302,),
        ),
        "meetings:experienceexchange_list": Check(ALL_ROLES),
        "meetings:experienceexchange_detail": Check(ALL_ROLES, args=exchange),
        "meetings:experienceexchange_add": Check(EXCHANGERS),
        "meetings:experienceexchange_edit": Check(EXCHANGERS, args=exchange),
        "meetings:experienceexchange_archive": Check(EXCHANGERS, args=exchange),
        "meetings:experiencelesson_add": Check(
            EXCHANGERS, args=exchange, method="post", data=lambda w, u: {"text": "L"}, ok=(302,)
        ),
    }
    api = {
        "meetings_meeting_list": Check(ALL_ROLES),
        "meetings_meeting_get": Check(ALL_ROLES, args=my_meeting),
        "meetings_meeting_create": Check(
            ORGANISERS,
            method="post",
            data=lambda w, u: {
                "site": w.site.pk,
                "kind": "weekly_quality",
                "title": "Weekly",
                "starts_at": NOW,
                "chair": employee_of(w, u).pk,
                "attendees": [w.employees["agent"].pk],
            },
            ok=(201,),
        ),
        "meetings_meeting_update": Check(
            ORGANISERS, args=my_meeting, method="patch", data=lambda w, u: {"minutes": "Held"}
        ),
        "meetings_meeting_archive": Check(ORGANISERS, args=my_meeting, method="post"),
        "meetings_actionitem_list": Check(ALL_ROLES),
        "meetings_actionitem_get": Check(ALL_ROLES, args=my_item),
        "meetings_actionitem_create": Check(
            ORGANISERS,
            method="post",
            data=lambda w, u: {
                "meeting": my_meeting(w, u)[0],
                "title": "Check headsets",
                "owner": w.employees["agent"].pk,
                "due_date": str(timezone.localdate() + dt.timedelta(days=3)),
            },
            ok=(201,),
        ),
        "meetings_actionitem_update": Check(
            ORGANISERS, args=my_item, method="patch", data=lambda w, u: {"title": "Renamed"}
        ),
        "meetings_actionitem_archive": Check(ORGANISERS, args=my_item, method="post"),
        "meetings_actionitem_progress": Check(
            ALL_ROLES, args=my_item, method="post", data=lambda w, u: {"text": "On it"}, ok=(201,)
        ),
        "meetings_actionitem_close": Check(
            ORGANISERS, args=closable_item, method="post", data=lambda w, u: {"outcome": "done"}
        ),
        "meetings_emergencymeetingrequest_list": Check(REQUESTERS | APPROVERS),
        "meetings_emergencymeetingrequest_get": Check(REQUESTERS | APPROVERS, args=group_request),
        "meetings_emergencymeetingrequest_create": Check(
            REQUESTERS,
            method="post",
            data=lambda w, u: {"site": w.site.pk, "reason": "Outage", "proposed_at": NOW},
            ok=(201,),
        ),
        "meetings_emergencymeetingrequest_decide": Check(
            APPROVERS, args=group_request, method="post", data=lambda w, u: {"approve": True}
        ),
        "meetings_experienceexchange_list": Check(ALL_ROLES),
        "meetings_experienceexchange_get": Check(ALL_ROLES, args=exchange),
        "meetings_experienceexchange_create": Check(
            EXCHANGERS,
            method="post",
            data=lambda w, u: {"site": w.site.pk, "held_on": "2026-11-20", "topic": "Fraud"},
            ok=(201,),
        ),
        "meetings_experienceexchange_update": Check(
            EXCHANGERS, args=exchange, method="patch", data=lambda w, u: {"summary": "Good"}
        ),
        "meetings_experienceexchange_archive": Check(EXCHANGERS, args=exchange, method="post"),
        "meetings_experiencelesson_create": Check(
            EXCHANGERS, args=exchange, method="post", data=lambda w, u: {"text": "L"}, ok=(201,)
        ),
    }


class TestActionItemsOwnRows(OwnRowsTests):
    model = ActionItem
    list_url = "meetings:actionitem_list"
    detail_url = "meetings:actionitem_detail"
    api_list = "meetings_actionitem_list"

    def own(self, w):
        return item(w)

    def others(self, w):
        return item(w, owner=w.other_employee)
