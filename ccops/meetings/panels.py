"""The meetings app's home-page panels and menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ccops.core.home import register_panel
from ccops.core.models import Site
from ccops.core.navigation import register_menu_item
from ccops.core.roles import MANAGERS, SUPERVISORS
from ccops.meetings import services
from ccops.meetings.choices import OPEN_STATUSES
from ccops.meetings.models import ActionItem
from ccops.meetings.roles import APPROVERS


def my_action_items_context(request):
    items = (
        ActionItem.objects.filter(owner__user=request.user, status__in=OPEN_STATUSES)
        .select_related("owner", "meeting__site")
        .order_by("due_date")[:20]
    )
    return {"items": items} if items else None


def overdue_action_items_context(request):
    return {"items": services.overdue_action_items(request.user)[:20]}


def requests_to_decide_context(request):
    waiting = services.requests_waiting_for(request.user)[:10]
    return {"requests": waiting} if waiting else None


def exchange_due_context(request):
    return services.experience_exchange_due(Site.objects.restrict(request.user, "view"))


def register() -> None:
    register_panel(
        "meetings.my_action_items",
        title=_("My action items"),
        template="meetings/panels/_my_action_items.html",
        context=my_action_items_context,
        order=9,
        wide=True,
    )
    register_panel(
        "meetings.overdue_action_items",
        title=_("Overdue action items"),
        template="meetings/panels/_overdue_action_items.html",
        context=overdue_action_items_context,
        roles=SUPERVISORS | MANAGERS,
        order=14,
        wide=True,
    )
    register_panel(
        "meetings.requests_to_decide",
        title=_("Emergency-meeting requests to decide"),
        template="meetings/panels/_requests_to_decide.html",
        context=requests_to_decide_context,
        roles=APPROVERS,
        order=7,
    )
    register_panel(
        "meetings.exchange_due",
        title=_("Experience exchange"),
        template="meetings/panels/_exchange_due.html",
        context=exchange_due_context,
        roles=SUPERVISORS,
        order=40,
    )
    section = _("Meetings")
    for order, (label, name, perm) in enumerate(
        [
            (_("Meetings"), "meetings:meeting_list", "meetings.view_meeting"),
            (_("Action items"), "meetings:actionitem_list", "meetings.view_actionitem"),
            (
                _("Emergency-meeting requests"),
                "meetings:emergencymeetingrequest_list",
                "meetings.view_emergencymeetingrequest",
            ),
            (
                _("Experience exchanges"),
                "meetings:experienceexchange_list",
                "meetings.view_experienceexchange",
            ),
        ]
    ):
        register_menu_item(
            "meetings", section, label, name, permission=perm, order=order, section_order=40
        )
