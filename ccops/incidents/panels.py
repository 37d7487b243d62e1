"""Home-page panels and menu entries of the incidents app."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ccops.core.detail_panels import register_detail_panel
from ccops.core.home import register_panel
from ccops.core.navigation import register_menu_item
from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.incidents.choices import OPEN_STATUSES, CallInStatus
from ccops.incidents.models import Acknowledgement, CallInOffer, Incident, SurgePlan
from ccops.incidents.services import pending_acknowledgements


def open_incidents_context(request):
    rows = list(
        Incident.objects.restrict(request.user, "view")
        .filter(status__in=OPEN_STATUSES)
        .select_related("lead")
        .order_by("-started_at")[:10]
    )
    return {"incidents": rows} if rows else None


def my_causes_context(request):
    rows = list(pending_acknowledgements(request.user)[:10])
    return {"acks": rows} if rows else None


def unacknowledged_context(request):
    rows = list(
        Acknowledgement.objects.restrict(request.user, "view")
        .values("incident", "incident__title")
        .annotate(
            missing=Count("pk", filter=Q(acknowledged_at__isnull=True)),
            total=Count("pk"),
        )
        .filter(missing__gt=0)
        .order_by("-incident")[:10]
    )
    return {"rows": rows} if rows else None


def my_call_ins_context(request):
    rows = list(
        CallInOffer.objects.filter(employee__user=request.user, status=CallInStatus.OFFERED)
        .select_related("surge__incident")
        .order_by("start")[:5]
    )
    return {"offers": rows} if rows else None


def leave_frozen_context(request, obj):
    """On a leave request's page: the surge plans whose leave freeze covers it."""
    frozen = [
        plan
        for plan in SurgePlan.objects.filter(
            incident__site_id=obj.employee.site_id,
            leave_frozen_until__gt=obj.start,
            recovery_at__lt=obj.end,
        ).select_related("incident")
    ]
    return {"plans": frozen} if frozen else None


def register() -> None:
    register_detail_panel(
        "incidents.leave_frozen",
        models={"wfm.timeoffrequest"},
        template="incidents/panels/_leave_frozen.html",
        context=leave_frozen_context,
        order=5,
    )
    register_panel(
        "incidents.open",
        title=_("Open incidents"),
        template="incidents/panels/_open.html",
        context=open_incidents_context,
        roles=ALL_ROLES,
        order=1,
    )
    register_panel(
        "incidents.my_causes",
        title=_("Fault causes to acknowledge"),
        template="incidents/panels/_my_causes.html",
        context=my_causes_context,
        roles=ALL_ROLES,
        order=2,
    )
    register_panel(
        "incidents.call_in",
        title=_("Can you come in?"),
        template="incidents/panels/_call_in.html",
        context=my_call_ins_context,
        roles=ALL_ROLES,
        order=2,
    )
    register_panel(
        "incidents.unacknowledged",
        title=_("Causes not yet acknowledged"),
        template="incidents/panels/_unacknowledged.html",
        context=unacknowledged_context,
        roles=SUPERVISORS | MANAGERS,
        order=40,
    )
    section = _("Incidents")
    items = [
        (_("Incidents"), "incidents:incident_list", "incidents.view_incident"),
        (_("Declare an incident"), "incidents:incident_add", "incidents.add_incident"),
        (_("Emergency playbooks"), "incidents:playbook_list", "incidents.view_playbook"),
        (_("Fault archive"), "incidents:faultrecord_list", "incidents.view_faultrecord"),
        (_("Monthly fault report"), "incidents:fault_report", "incidents.view_faultreport"),
        (
            _("Cause acknowledgements"),
            "incidents:acknowledgement_list",
            "incidents.view_acknowledgement",
        ),
        (_("Call-in requests"), "incidents:callinoffer_list", "incidents.view_callinoffer"),
    ]
    for order, (label, name, perm) in enumerate(items):
        register_menu_item(
            "incidents", section, label, name, permission=perm, order=order, section_order=45
        )
