"""The monthly scorecards: months (compute, release, export), rankings per group, area and
center, each agent's scorecard with the drill-down to every source and the trend, the
amendment; the agent's own quality page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import ObjectDetailView, ObjectListView, get_restricted_or_404
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.people.services import employee_for
from ccops.quality import forms
from ccops.quality.choices import RELEASED_STATUSES, ScorecardStatus
from ccops.quality.filters import ScorecardMonthFilter
from ccops.quality.models import (
    AgentMonthStat,
    CoachingSession,
    Complaint,
    DisciplineRecord,
    Evaluation,
    KPIRule,
    Scorecard,
    ScorecardMonth,
    TestAttempt,
)
from ccops.quality.services import scorecards as services
from ccops.quality.services.common import month_start
from ccops.quality.views.common import run, user_site


class ScorecardMonthListView(ObjectListView):
    model = ScorecardMonth
    filterset_class = ScorecardMonthFilter
    template_name = "quality/scorecardmonth_list.html"
    columns = ["month", "site", "status", "computed_at", "released_at"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        last = month_start(month_start(today) - timezone.timedelta(days=1))
        context.update(
            month_form=forms.MonthSiteForm(initial={"month": last}),
            can_compute=has_model_perm(self.request.user, ScorecardMonth, "add"),
        )
        return context


class ScorecardMonthDetailView(ObjectDetailView):
    model = ScorecardMonth
    template_name = "quality/scorecardmonth_detail.html"
    fields = ["site", "month", "status", "computed_at", "released_at", "released_by"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sheet, user = self.object, self.request.user
        visible = Scorecard.objects.restrict(user, "view").values("pk")
        cards = services.current_scorecards(sheet).filter(pk__in=visible)
        cards = cards.select_related("employee", "team", "area")
        ranking = request_ranking(self.request)
        rows = services.ranked(
            services.current_scorecards(sheet).select_related("employee", "team", "area")
        )
        shown_ids = set(cards.values_list("pk", flat=True))
        rows = [r for r in rows if r["card"].pk in shown_ids]
        key = {"group": "rank_group", "area": "rank_area"}.get(ranking, "rank_center")
        if ranking in ("group", "area"):
            attr = "team" if ranking == "group" else "area"
            rows.sort(key=lambda r: (str(getattr(r["card"], attr) or ""), r[key]))
        context.update(
            rows=rows,
            ranking=ranking,
            rank_key=key,
            teams=services.team_summary(sheet),
            can_compute=sheet.status == ScorecardStatus.DRAFT
            and has_model_perm(user, ScorecardMonth, "add"),
            can_release=sheet.status == ScorecardStatus.DRAFT
            and sheet.computed_at
            and has_model_perm(user, ScorecardMonth, "change"),
            can_export=has_model_perm(user, ScorecardMonth, "view"),
            weights=sheet.weights,
        )
        return context


def trend_json(trend: list[dict]) -> dict:
    """The trend as chart data: months and the four dimensions (stacked)."""
    series = [
        ("service", _("Service quality")),
        ("work", _("Work quality")),
        ("skills", _("Business skills")),
        ("discipline", _("Labour discipline")),
    ]
    return {
        "labels": [f"{t['month']:%Y-%m}" for t in trend],
        "series": [
            {"label": str(label), "values": [round(t[key], 2) for t in trend]}
            for key, label in series
        ],
    }


def request_ranking(request) -> str:
    value = request.GET.get("ranking", "center")
    return value if value in ("center", "area", "group") else "center"


@require_POST
def scorecard_compute(request):
    check_model_perm(request.user, ScorecardMonth, "add")
    form = forms.MonthSiteForm(request.POST)
    site = user_site(request)
    if not form.is_valid() or site is None:
        messages.error(request, _("Choose the month."))
        return redirect("quality:scorecardmonth_list")
    response, sheet = run(
        request,
        "quality:scorecardmonth_list",
        lambda: services.scorecard_compute(
            site=site, month=form.cleaned_data["month"], actor=request.user
        ),
    )
    if sheet is not None:
        messages.success(
            request, _("%(n)s scorecards computed.") % {"n": sheet.notes.get("agents", 0)}
        )
        return redirect(sheet.get_absolute_url())
    return response


@require_POST
def scorecard_release(request, pk):
    check_model_perm(request.user, ScorecardMonth, "change")
    sheet = get_restricted_or_404(ScorecardMonth, request.user, pk, "change")
    response, _r = run(
        request,
        sheet,
        lambda: services.scorecard_release(sheet=sheet, actor=request.user),
        _("Released: the scorecards are frozen and the agents told."),
    )
    return response


def scorecard_export(request, pk):
    check_model_perm(request.user, ScorecardMonth, "view")
    sheet = get_restricted_or_404(ScorecardMonth, request.user, pk)
    data = services.export_xlsx(sheet, request.user)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="scorecards-{sheet.site.code}-{sheet.month:%Y-%m}.xlsx"'
    )
    return response


class ScorecardDetailView(ObjectDetailView):
    model = Scorecard
    template_name = "quality/scorecard_detail.html"
    fields = ["employee", "month", "team", "area", "signed_at", "amends", "reason"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        card, user = self.object, self.request.user
        d = card.details or {}
        evaluations = Evaluation.objects.restrict(user, "view").filter(
            pk__in=d.get("evaluations", [])
        )
        stat = AgentMonthStat.objects.restrict(user, "view").filter(pk=d.get("stats") or 0).first()
        rules = {r.kpi: r for r in KPIRule.objects.filter(site=card.month.site)}
        kpis = [
            {
                "rule": rules.get(k),
                "kpi": k,
                "points": p,
                "value": stat.kpi_value(k) if stat else None,
            }
            for k, p in (d.get("kpis") or {}).items()
        ]
        amendment = card.amendments.filter(archived_at__isnull=True).first()
        context.update(
            evaluations=evaluations.order_by("call_started_at"),
            complaints=Complaint.objects.restrict(user, "view").filter(
                pk__in=d.get("complaints", [])
            ),
            discipline=DisciplineRecord.objects.restrict(user, "view").filter(
                pk__in=d.get("discipline", [])
            ),
            attempt=TestAttempt.objects.restrict(user, "view")
            .filter(pk=d.get("test_attempt") or 0)
            .first(),
            stat=stat,
            kpis=kpis,
            kpi_max=d.get("kpi_max"),
            weights=card.month.weights or {},
            trend=(trend := services.trend(card.employee)),
            trend_json=trend_json(trend),
            amendment=amendment,
            can_amend=card.is_signed
            and amendment is None
            and has_model_perm(user, Scorecard, "change"),
            amend_form=forms.AmendForm(initial={f: getattr(card, f) for f in services.AMENDABLE}),
        )
        return context


@require_POST
def scorecard_amend(request, pk):
    check_model_perm(request.user, Scorecard, "change")
    card = get_restricted_or_404(Scorecard, request.user, pk, "change")
    form = forms.AmendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the corrected points and the reason."))
        return redirect(card.get_absolute_url())
    data = dict(form.cleaned_data)
    reason = data.pop("reason")
    response, amendment = run(
        request,
        card,
        lambda: services.scorecard_amend(scorecard=card, reason=reason, actor=request.user, **data),
        _("Amended: the released scorecard stays on record."),
    )
    return redirect(amendment.get_absolute_url()) if amendment else response


def my_quality(request):
    """The agent's own page: scorecards and trend, evaluations, tests, discipline,
    coaching."""
    me = employee_for(request.user)
    context = {"title": _("My quality"), "me": me}
    if me is not None:
        released = ScorecardMonth.objects.filter(site=me.site, status=ScorecardStatus.RELEASED)
        cards = [
            services.current_scorecards(s).filter(employee=me).first()
            for s in released.order_by("-month")[:12]
        ]
        context.update(
            cards=[c for c in cards if c],
            trend=(trend := services.trend(me)),
            trend_json=trend_json(trend),
            evaluations=Evaluation.objects.filter(agent=me, status__in=RELEASED_STATUSES).order_by(
                "-call_started_at"
            )[:20],
            attempts=TestAttempt.objects.filter(employee=me).select_related("test")[:8],
            discipline=DisciplineRecord.objects.filter(employee=me)[:20],
            coaching=CoachingSession.objects.filter(agent=me).order_by("-planned_for")[:10],
        )
    return render(request, "quality/my_quality.html", context)
