"""FilterSets of the quality models, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.filters import SearchFilterMixin
from ccops.quality.choices import OPEN_EVALUATION_STATUSES, CoachingStatus
from ccops.quality.models import (
    AgentStatMonth,
    CalibrationSession,
    CoachingSession,
    Complaint,
    ComplaintSummary,
    DisciplineRecord,
    Evaluation,
    EvaluationDispute,
    EvaluationForm,
    KPIRule,
    QAPlan,
    SatisfactionImport,
    Scorecard,
    ScorecardMonth,
    SkillsTest,
    TestAttempt,
)
from ccops.wfm.models import CallRecord


class MonthFilter(django_filters.DateFilter):
    """Rows of the calendar month of the given day."""

    def filter(self, qs, value):
        if not value:
            return qs
        first = value.replace(day=1)
        after = (first.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
        return qs.filter(**{f"{self.field_name}__gte": first, f"{self.field_name}__lt": after})


class EvaluationFormFilter(SearchFilterMixin):
    search_fields = ("name", "description")

    class Meta:
        model = EvaluationForm
        fields = ["q", "site", "queue", "skill"]


class QAPlanFilter(django_filters.FilterSet):
    class Meta:
        model = QAPlan
        fields = ["site", "status", "month"]


class CallRecordFilter(SearchFilterMixin):
    search_fields = ("call_reference", "agent_login", "employee__full_name")
    since = django_filters.DateTimeFilter(
        field_name="started_at", lookup_expr="gte", label=_("From")
    )
    until = django_filters.DateTimeFilter(
        field_name="started_at", lookup_expr="lt", label=_("Until")
    )
    long_calls = django_filters.NumberFilter(
        field_name="handle_seconds", lookup_expr="gte", label=_("Handle time at least (s)")
    )

    class Meta:
        model = CallRecord
        fields = ["q", "site", "queue", "outcome", "transferred", "employee", "since", "until"]


class EvaluationFilter(SearchFilterMixin):
    search_fields = ("call_reference", "agent__full_name", "agent__employee_number")
    open = django_filters.BooleanFilter(label=_("Still to score"), method="filter_open")
    month = MonthFilter(field_name="call_started_at__date", label=_("Month of the call"))

    class Meta:
        model = Evaluation
        fields = ["q", "site", "status", "agent", "inspector", "plan", "open", "month"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_EVALUATION_STATUSES)
        return queryset.exclude(status__in=OPEN_EVALUATION_STATUSES)


class DisputeFilter(django_filters.FilterSet):
    class Meta:
        model = EvaluationDispute
        fields = ["status"]


class CoachingFilter(SearchFilterMixin):
    search_fields = ("topic", "notes", "agent__full_name")
    open = django_filters.BooleanFilter(label=_("Still open"), method="filter_open")

    class Meta:
        model = CoachingSession
        fields = ["q", "status", "agent", "coach", "open"]

    def filter_open(self, queryset, name, value):
        states = (CoachingStatus.PLANNED, CoachingStatus.HELD)
        if value is None:
            return queryset
        return queryset.filter(status__in=states) if value else queryset.exclude(status__in=states)


class CalibrationFilter(SearchFilterMixin):
    search_fields = ("title", "call_reference")

    class Meta:
        model = CalibrationSession
        fields = ["q", "site", "status", "form_version__form"]


class ComplaintFilter(SearchFilterMixin):
    search_fields = ("description", "customer", "call_reference", "findings")
    month = MonthFilter(field_name="received_on", label=_("Month received"))

    class Meta:
        model = Complaint
        fields = ["q", "site", "status", "outcome", "category", "agent", "month"]


class ComplaintSummaryFilter(django_filters.FilterSet):
    class Meta:
        model = ComplaintSummary
        fields = ["site"]


class SatisfactionImportFilter(django_filters.FilterSet):
    class Meta:
        model = SatisfactionImport
        fields = ["site"]


class SkillsTestFilter(SearchFilterMixin):
    search_fields = ("title",)

    class Meta:
        model = SkillsTest
        fields = ["q", "site", "status", "year", "quarter"]


class TestAttemptFilter(django_filters.FilterSet):
    class Meta:
        model = TestAttempt
        fields = ["test", "status", "employee"]


class AgentStatMonthFilter(django_filters.FilterSet):
    class Meta:
        model = AgentStatMonth
        fields = ["site", "source"]


class KPIRuleFilter(django_filters.FilterSet):
    class Meta:
        model = KPIRule
        fields = ["site", "kpi"]


class DisciplineFilter(SearchFilterMixin):
    search_fields = ("description", "employee__full_name", "employee__employee_number")
    month = MonthFilter(field_name="occurred_on", label=_("Month"))

    class Meta:
        model = DisciplineRecord
        fields = ["q", "site", "kind", "status", "employee", "derived", "month"]


class ScorecardMonthFilter(django_filters.FilterSet):
    class Meta:
        model = ScorecardMonth
        fields = ["site", "status"]


class ScorecardFilter(SearchFilterMixin):
    search_fields = ("employee__full_name", "employee__employee_number")

    class Meta:
        model = Scorecard
        fields = ["q", "month", "employee", "team", "area"]
