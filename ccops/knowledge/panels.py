"""The knowledge app's home-page panels, menu entries and panels on other apps' record
pages (the handover's linked articles and cases; an incident's linked articles)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ccops.core.detail_panels import register_detail_panel
from ccops.core.home import register_panel
from ccops.core.models import Site
from ccops.core.navigation import register_menu_item
from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.knowledge.choices import ACTIVE_STATUSES
from ccops.knowledge.models import DifficultCase
from ccops.knowledge.roles import EDITORS, REVIEWERS
from ccops.knowledge.services import articles, cases, manual


def my_cases_context(request):
    rows = (
        DifficultCase.objects.filter(reported_by__user=request.user, status__in=ACTIVE_STATUSES)
        .select_related("assignee", "department")
        .order_by("-occurred_at")[:15]
    )
    return {"cases": rows} if rows else None


def waiting_for_me_context(request):
    rows = list(cases.cases_waiting_for(request.user)[:20])
    return {"cases": rows} if rows else None


def overdue_cases_context(request):
    return {"cases": cases.overdue_cases(request.user)[:20]}


def to_write_up_context(request):
    rows = articles.answered_cases_without_article(request.user)[:10]
    return {"cases": rows} if rows else None


def in_review_context(request):
    rows = articles.revisions_in_review(request.user)[:15]
    return {"revisions": rows} if rows else None


def reverify_context(request):
    return {"articles": articles.articles_due_for_review(request.user)[:15]}


def acknowledge_context(request):
    edition = manual.edition_to_acknowledge(request.user)
    return {"edition": edition} if edition else None


def manual_status_context(request):
    sites = Site.objects.restrict(request.user, "view")
    state = manual.edition_due(sites)
    last = state["last"]
    if last is not None:
        state["outstanding"] = manual.outstanding(last).count()
        state["readers"] = manual.readers(last).count()
    return state


def linked_articles_context(request, obj):
    if not request.user.has_perm("knowledge.view_articlelink"):
        return None
    readable = set(articles.readable_states(request.user))
    links = [link for link in articles.links_to(obj) if link.article.state in readable]
    return {
        "links": links,
        "can_link": request.user.has_perm("knowledge.add_articlelink"),
        "target_type": obj._meta.label_lower,
        "target_id": obj.pk,
    }


def handover_cases_context(request, handover):
    if not request.user.has_perm("knowledge.view_difficultcase"):
        return None
    problems = list(handover.checks.filter(status="problem"))
    recorded = {
        c.handover_check_id: c
        for c in DifficultCase.objects.restrict(request.user, "view").filter(
            handover_check__in=problems
        )
    }
    if not problems:
        return None
    return {
        "problems": [(check, recorded.get(check.pk)) for check in problems],
        "can_record": request.user.has_perm("knowledge.add_difficultcase"),
    }


def register() -> None:
    register_panel(
        "knowledge.acknowledge",
        title=_("New service manual"),
        template="knowledge/panels/_acknowledge.html",
        context=acknowledge_context,
        order=3,
    )
    register_panel(
        "knowledge.waiting_for_me",
        title=_("Difficult cases waiting for my answer"),
        template="knowledge/panels/_waiting_for_me.html",
        context=waiting_for_me_context,
        roles=ALL_ROLES,
        order=6,
        wide=True,
    )
    register_panel(
        "knowledge.my_cases",
        title=_("My difficult cases"),
        template="knowledge/panels/_my_cases.html",
        context=my_cases_context,
        order=11,
        wide=True,
    )
    register_panel(
        "knowledge.overdue_cases",
        title=_("Overdue difficult cases"),
        template="knowledge/panels/_overdue_cases.html",
        context=overdue_cases_context,
        roles=SUPERVISORS | MANAGERS,
        order=15,
        wide=True,
    )
    register_panel(
        "knowledge.in_review",
        title=_("Article revisions to review"),
        template="knowledge/panels/_in_review.html",
        context=in_review_context,
        roles=REVIEWERS,
        order=8,
        wide=True,
    )
    register_panel(
        "knowledge.to_write_up",
        title=_("Answered cases for the knowledge base"),
        template="knowledge/panels/_to_write_up.html",
        context=to_write_up_context,
        roles=EDITORS,
        order=9,
        wide=True,
    )
    register_panel(
        "knowledge.reverify",
        title=_("Articles due for re-verification"),
        template="knowledge/panels/_reverify.html",
        context=reverify_context,
        roles=EDITORS | REVIEWERS,
        order=16,
        wide=True,
    )
    register_panel(
        "knowledge.manual_status",
        title=_("Service manual"),
        template="knowledge/panels/_manual_status.html",
        context=manual_status_context,
        roles=SUPERVISORS | REVIEWERS,
        order=41,
    )
    register_detail_panel(
        "knowledge.handover_cases",
        models={"shiftops.handover"},
        template="knowledge/panels/_handover_cases.html",
        context=handover_cases_context,
        order=10,
    )
    register_detail_panel(
        "knowledge.linked_articles",
        models={"shiftops.handover", "incidents.incident", "knowledge.difficultcase"},
        template="knowledge/panels/_linked_articles.html",
        context=linked_articles_context,
        order=20,
    )
    section = _("Knowledge")
    for order, (label, name, perm) in enumerate(
        [
            (_("Search"), "knowledge:search", "knowledge.view_article"),
            (_("Articles"), "knowledge:article_list", "knowledge.view_article"),
            (_("Categories"), "knowledge:category_list", "knowledge.view_category"),
            (_("Difficult cases"), "knowledge:difficultcase_list", "knowledge.view_difficultcase"),
            (
                _("Record a difficult case"),
                "knowledge:difficultcase_add",
                "knowledge.add_difficultcase",
            ),
            (_("Service manual"), "knowledge:manualedition_list", "knowledge.view_manualedition"),
            (_("Synonyms"), "knowledge:synonym_list", "knowledge.view_synonym"),
            (_("Departments"), "knowledge:department_list", "knowledge.view_department"),
        ]
    ):
        register_menu_item(
            "knowledge", section, label, name, permission=perm, order=order, section_order=45
        )
