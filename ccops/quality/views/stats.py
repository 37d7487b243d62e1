"""Work quality: the statistician's months of agent figures (derive, import, correct,
sign, amend) and the KPI rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.quality import forms
from ccops.quality.filters import AgentStatMonthFilter, KPIRuleFilter
from ccops.quality.models import AgentMonthStat, AgentStatMonth, KPIRule
from ccops.quality.services import stats as services
from ccops.quality.views.common import run, user_site


class AgentStatMonthListView(ObjectListView):
    model = AgentStatMonth
    filterset_class = AgentStatMonthFilter
    template_name = "quality/agentstatmonth_list.html"
    columns = ["month", "site", "source", "filename", "signed_at", "signed_by", "amends"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            month_form=forms.MonthSiteForm(),
            upload_form=forms.UploadForm(),
            can_prepare=has_model_perm(self.request.user, AgentStatMonth, "add"),
        )
        return context


class AgentStatMonthDetailView(ObjectDetailView):
    model = AgentStatMonth
    template_name = "quality/agentstatmonth_detail.html"
    fields = [
        "site",
        "month",
        "source",
        "filename",
        "note",
        "created_by",
        "signed_at",
        "signed_by",
        "amends",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, user = self.object, self.request.user
        rows = AgentMonthStat.objects.restrict(user, "view").filter(period=period)
        rows = rows.select_related("employee").order_by("employee__employee_number")
        points, kpi_max = services.kpi_points_by_agent(period.site, rows)
        statistician = has_model_perm(user, AgentStatMonth, "change")
        context.update(
            rows=[
                {
                    "r": r,
                    "points": points.get(r.employee_id, {}),
                    "total": sum(points.get(r.employee_id, {}).values()),
                }
                for r in rows
            ],
            kpi_max=kpi_max,
            rules=KPIRule.objects.filter(site=period.site),
            can_sign=statistician and not period.is_signed and not period.archived_at,
            can_amend=statistician
            and period.is_signed
            and not period.amendments.filter(archived_at__isnull=True).exists(),
            amendments=period.amendments.all(),
            note_form=forms.NoteForm(),
        )
        return context


@require_POST
def agent_stats_derive(request):
    check_model_perm(request.user, AgentStatMonth, "add")
    form = forms.MonthSiteForm(request.POST)
    site = user_site(request)
    if not form.is_valid() or site is None:
        messages.error(request, _("Choose the month."))
        return redirect("quality:agentstatmonth_list")
    response, period = run(
        request,
        "quality:agentstatmonth_list",
        lambda: services.agent_stats_derive(
            site=site, month=form.cleaned_data["month"], actor=request.user
        ),
    )
    return redirect(period.get_absolute_url()) if period else response


@require_POST
def agent_stats_import(request):
    check_model_perm(request.user, AgentStatMonth, "add")
    month_form = forms.MonthSiteForm(request.POST)
    upload = forms.UploadForm(request.POST, request.FILES)
    site = user_site(request)
    if not (month_form.is_valid() and upload.is_valid()) or site is None:
        messages.error(request, _("Choose the month and the CSV file."))
        return redirect("quality:agentstatmonth_list")
    f = upload.cleaned_data["file"]
    if f.size > services.MAX_REPORT_BYTES:
        messages.error(request, _("The file is larger than 20 MB."))
        return redirect("quality:agentstatmonth_list")
    try:
        period = services.agent_stats_import(
            site=site,
            month=month_form.cleaned_data["month"],
            filename=f.name,
            content=f.read(),
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("quality:agentstatmonth_list")
    return redirect(period.get_absolute_url())


def _period(request, pk):
    check_model_perm(request.user, AgentStatMonth, "change")
    return get_restricted_or_404(AgentStatMonth, request.user, pk, "change")


@require_POST
def agent_stats_sign(request, pk):
    period = _period(request, pk)
    response, _r = run(
        request,
        period,
        lambda: services.agent_stats_sign(period=period, actor=request.user),
        _("Signed: these figures can no longer change."),
    )
    return response


@require_POST
def agent_stats_amend(request, pk):
    period = _period(request, pk)
    response, amendment = run(
        request,
        period,
        lambda: services.agent_stats_amend(
            period=period, note=request.POST.get("note", "")[:2000], actor=request.user
        ),
    )
    return redirect(amendment.get_absolute_url()) if amendment else response


class AgentMonthStatFormView(ObjectFormView):
    model = AgentMonthStat
    fields_ = [
        "calls_handled",
        "aht_seconds",
        "talk_seconds",
        "hold_seconds",
        "acw_seconds",
        "transfers",
        "login_seconds",
        "ready_seconds",
        "adherence_percent",
    ]

    def get_form_class(self):
        return modelform_factory(AgentMonthStat, fields=self.fields_)

    def get_success_url(self, obj=None):
        return obj.period.get_absolute_url()

    def save(self, form):
        return services.agent_stat_correct(
            row=self.object,
            actor=self.request.user,
            **{k: form.cleaned_data[k] for k in form.changed_data},
        )


class KPIRuleListView(ObjectListView):
    model = KPIRule
    filterset_class = KPIRuleFilter
    columns = ["kpi", "site", "better", "thresholds", "points", "order"]


class KPIRuleDetailView(ObjectDetailView):
    model = KPIRule
    template_name = "quality/kpirule_detail.html"
    fields = ["site", "kpi", "better", "order"]


class KPIRuleFormView(ObjectFormView):
    model = KPIRule
    form_class = forms.KPIRuleForm

    def get_initial(self):
        return {**super().get_initial(), "site": user_site(self.request)}


class KPIRuleArchiveView(ObjectArchiveView):
    model = KPIRule
