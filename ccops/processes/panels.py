"""Home-page panels and menu entries of the process register and the projects."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ccops.core.home import register_panel
from ccops.core.navigation import register_menu_item
from ccops.core.roles import ALL_ROLES
from ccops.processes import services
from ccops.processes.choices import ProjectStatus
from ccops.processes.models import ImprovementProject
from ccops.processes.roles import REVIEWERS


def reviews_context(request):
    rows = services.versions_to_review(request.user)[:10]
    return {"versions": rows} if rows else None


def my_projects_context(request):
    user = request.user
    # The projects the user leads or is a member of (who works on a project); one query.
    rows = list(
        ImprovementProject.objects.restrict(user, "view")
        .filter(status=ProjectStatus.ACTIVE)
        .filter(Q(lead__user=user) | Q(members__user=user, members__archived_at__isnull=True))
        .distinct()
        .select_related("process", "lead")
        .order_by("step", "pk")[:10]
    )
    if not rows:
        return None
    for p in rows:
        p.gaps = services.step_gaps(p)
    return {"projects": rows}


def register() -> None:
    register_panel(
        "processes.reviews",
        title=_("Process changes to review"),
        template="processes/panels/_reviews.html",
        context=reviews_context,
        roles=REVIEWERS,
        order=13,
    )
    register_panel(
        "processes.my_projects",
        title=_("My improvement projects"),
        template="processes/panels/_my_projects.html",
        context=my_projects_context,
        roles=ALL_ROLES,
        order=20,
    )
    section = _("Processes")
    items = [
        (_("Process register"), "processes:process_list", "processes.view_process"),
        (
            _("Improvement board"),
            "processes:improvementproject_board",
            "processes.view_improvementproject",
        ),
        (
            _("Improvement projects"),
            "processes:improvementproject_list",
            "processes.view_improvementproject",
        ),
    ]
    for order, (label, name, perm) in enumerate(items):
        register_menu_item(
            "processes", section, label, name, permission=perm, order=order, section_order=55
        )
