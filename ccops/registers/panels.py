"""The registers' home-page panels, menu entries and the rest-room piece of the agent's
schedule (a page slot of ``wfm/my_schedule.html``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.home import register_panel
from ccops.core.navigation import register_menu_item
from ccops.core.roles import ALL_ROLES, SUPERVISORS
from ccops.core.slots import register_slot
from ccops.people.services import employee_for
from ccops.registers.choices import OPEN_VISIT_STATUSES, VisitStatus
from ccops.registers.models import (
    CleaningDuty,
    ConfidentialDocument,
    DisclosureRequest,
    LeakReport,
    RestrictedArea,
    Visit,
)
from ccops.registers.roles import (
    AUTHORIZERS,
    DISCLOSURE_KEEPERS,
    DOOR,
    STAFF,
)
from ccops.registers.services import areas, custody, disclosure, restroom, visitors


def visits_to_decide_context(request):
    rows = list(visitors.waiting_for_approval(request.user)[:10])
    return {"visits": rows} if rows else None


def door_context(request):
    if not visitors.works_the_door(request.user):
        return None
    rows = Visit.objects.restrict(request.user, "view")
    present = visitors.on_site(rows).aggregate(visits=Count("pk"), people=Sum("party_size"))
    return {
        "on_site": present["visits"],
        "people": present["people"] or 0,
        "overdue": list(visitors.overdue_sign_outs(rows)[:10]),
        "waiting": list(rows.filter(status=VisitStatus.AWAITING, kind="walk_in")[:10]),
        "expected": rows.filter(
            status=VisitStatus.APPROVED, expected_at__date=timezone.localdate()
        ).count(),
    }


def my_visitors_context(request):
    rows = list(
        Visit.objects.filter(host__user=request.user, status__in=OPEN_VISIT_STATUSES)
        .select_related("site")
        .order_by("expected_at")[:10]
    )
    return {"visits": rows} if rows else None


def areas_context(request):
    user = request.user
    waiting = list(areas.entries_waiting(user)[:10])
    due = (
        areas.reviews_due(list(RestrictedArea.objects.restrict(user, "view")))
        if user.has_perm("registers.add_areaaccessreview")
        else []
    )
    if not waiting and not due:
        return None
    return {"waiting": waiting, "reviews_due": due, "month": areas.last_month()}


def disclosures_context(request):
    user = request.user
    if not user.has_perm("registers.view_disclosurerequest"):
        return None
    to_decide = disclosure.to_decide(user)
    rows = DisclosureRequest.objects.restrict(user, "view")
    return {
        "to_decide": to_decide[:10],
        "open": rows.filter(status__in=["received", "verified", "approved"]).count(),
        "received": rows.filter(status="received").count(),
        "approved": rows.filter(status="approved").count(),
    }


def custody_context(request):
    user = request.user
    to_sign = custody.handovers_to_sign(user)
    mine = ConfidentialDocument.objects.filter(keeper__user=user).count()
    checks_due = (
        custody.checks_due(ConfidentialDocument.objects.restrict(user, "view"))[:10]
        if user.has_perm("registers.add_custodycheck")
        else []
    )
    leaks = (
        list(LeakReport.objects.restrict(user, "view").exclude(status="closed")[:10])
        if user.has_perm("registers.oversee_leakreport")
        else []
    )
    if not (to_sign or mine or checks_due or leaks):
        return None
    return {"to_sign": to_sign, "mine": mine, "checks_due": checks_due, "leaks": leaks}


def cleaning_context(request):
    user = request.user
    today = timezone.localdate()
    mine = list(
        CleaningDuty.objects.filter(
            assignee__user=user, signed_at__isnull=True, due_date__lte=today + dt.timedelta(days=2)
        ).select_related("room")[:6]
    )
    missed = (
        list(restroom.missed_duties(CleaningDuty.objects.restrict(user, "view"))[:10])
        if user.has_perm("registers.add_cleaningduty")
        else []
    )
    if not mine and not missed:
        return None
    return {"mine": mine, "missed": missed, "today": today}


def _my_upcoming_shifts(user, days: int = 7):
    from ccops.wfm.services.calendar import my_shifts

    employee = employee_for(user)
    if employee is None:
        return None, []
    now = timezone.now()
    return employee, list(my_shifts(employee, since=now, until=now + dt.timedelta(days=days)))


def rest_room_panel_context(request):
    employee, shifts = _my_upcoming_shifts(request.user, days=2)
    rests = restroom.long_rests(shifts)
    if not rests:
        return None
    return {
        "rests": rests,
        "zone": employee.site.zone,
        "min_minutes": restroom.REST_ROOM_MIN_MINUTES,
    }


def rest_room_slot_context(request, page):
    """The rest-room rule beside the rests on the agent's own schedule page."""
    shifts = page.get("shifts") or []
    rests = restroom.long_rests(shifts)
    if not rests:
        return None
    return {"rests": rests, "zone": page.get("zone"), "min_minutes": restroom.REST_ROOM_MIN_MINUTES}


def register() -> None:
    register_panel(
        "registers.visits_to_decide",
        title=_("Visits to authorize"),
        template="registers/panels/_visits_to_decide.html",
        context=visits_to_decide_context,
        roles=AUTHORIZERS,
        order=6,
    )
    register_panel(
        "registers.door",
        title=_("Visitors on site"),
        template="registers/panels/_door.html",
        context=door_context,
        roles=DOOR,
        order=8,
    )
    register_panel(
        "registers.my_visitors",
        title=_("My visitors"),
        template="registers/panels/_my_visitors.html",
        context=my_visitors_context,
        roles=STAFF,
        order=12,
    )
    register_panel(
        "registers.areas",
        title=_("Restricted areas"),
        template="registers/panels/_areas.html",
        context=areas_context,
        roles=DOOR | SUPERVISORS,
        order=16,
    )
    register_panel(
        "registers.disclosures",
        title=_("Customer-data disclosures"),
        template="registers/panels/_disclosures.html",
        context=disclosures_context,
        roles=DISCLOSURE_KEEPERS,
        order=15,
    )
    register_panel(
        "registers.custody",
        title=_("Confidential documents"),
        template="registers/panels/_custody.html",
        context=custody_context,
        roles=ALL_ROLES,
        order=30,
    )
    register_panel(
        "registers.cleaning",
        title=_("Rest-room cleaning"),
        template="registers/panels/_cleaning.html",
        context=cleaning_context,
        roles=ALL_ROLES,
        order=35,
    )
    register_panel(
        "registers.rest_room",
        title=_("Rest room on my long rests"),
        template="registers/panels/_rest_room.html",
        context=rest_room_panel_context,
        roles=ALL_ROLES,
        order=11,
    )
    register_slot(
        "wfm.my_schedule",
        key="registers.rest_room",
        template="registers/slots/_rest_room.html",
        context=rest_room_slot_context,
    )
    section = _("Registers")
    items = [
        (_("Visitor register"), "registers:visit_list", "registers.view_visit"),
        (_("Visitors on site now"), "registers:visit_on_site", "registers.oversee_visit"),
        (_("Restricted areas"), "registers:restrictedarea_list", "registers.view_restrictedarea"),
        (_("Restricted-area log"), "registers:areaaccess_list", "registers.view_areaaccess"),
        (_("Access reviews"), "registers:areaaccessreview_list", "registers.view_areaaccessreview"),
        (
            _("Disclosure requests"),
            "registers:disclosurerequest_list",
            "registers.view_disclosurerequest",
        ),
        (_("Disclosure report"), "registers:disclosure_report", "registers.view_disclosurereport"),
        (
            _("Confidential documents"),
            "registers:confidentialdocument_list",
            "registers.view_confidentialdocument",
        ),
        (
            _("Custody handovers"),
            "registers:custodyhandover_list",
            "registers.view_custodyhandover",
        ),
        (_("Leak reports"), "registers:leakreport_list", "registers.view_leakreport"),
        (_("Rest rooms"), "registers:restroom_list", "registers.view_restroom"),
        (_("Cleaning rota"), "registers:cleaningduty_list", "registers.view_cleaningduty"),
    ]
    for order, (label, name, perm) in enumerate(items):
        register_menu_item(
            "registers", section, label, name, permission=perm, order=order, section_order=50
        )
