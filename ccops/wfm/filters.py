"""FilterSets of the wfm models, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ccops.core.filters import SearchFilterMixin
from ccops.wfm.models import (
    Forecast,
    ImportBatch,
    IntervalStat,
    IntradayAdjustment,
    Schedule,
    ScheduledShift,
    ShiftSwapRequest,
    ShiftTemplateSet,
    StaffingPlan,
    TimeOffRequest,
)


class _Period(django_filters.FilterSet):
    since = django_filters.DateTimeFilter(field_name="end", lookup_expr="gt", label=_("From"))
    until = django_filters.DateTimeFilter(field_name="start", lookup_expr="lt", label=_("Until"))


class ShiftFilter(SearchFilterMixin, _Period):
    search_fields = ("employee__full_name", "employee__employee_number", "template")
    employee = django_filters.NumberFilter(field_name="employee_id", label=_("Employee id"))
    # a schedule is named by its site: fetch the sites with the choices (no query per choice)
    schedule = django_filters.ModelChoiceFilter(
        queryset=Schedule.objects.select_related("site").defer("summary"), label=_("schedule")
    )

    class Meta:
        model = ScheduledShift
        fields = ["q", "schedule", "employee", "queue", "since", "until"]


class TimeOffFilter(SearchFilterMixin, _Period):
    search_fields = ("employee__full_name", "employee__employee_number", "reason")

    class Meta:
        model = TimeOffRequest
        fields = ["q", "status", "kind", "emergency", "since", "until"]


class SwapFilter(SearchFilterMixin):
    search_fields = ("requester__full_name", "colleague__full_name", "reason")

    class Meta:
        model = ShiftSwapRequest
        fields = ["q", "status"]


class ImportFilter(SearchFilterMixin):
    search_fields = ("filename", "preset")

    class Meta:
        model = ImportBatch
        fields = ["q", "site", "kind", "status"]


class IntervalStatFilter(django_filters.FilterSet):
    since = django_filters.DateTimeFilter(
        field_name="interval_start", lookup_expr="gte", label=_("From")
    )
    until = django_filters.DateTimeFilter(
        field_name="interval_start", lookup_expr="lt", label=_("Until")
    )

    class Meta:
        model = IntervalStat
        fields = ["site", "queue", "batch", "since", "until"]


class ForecastFilter(django_filters.FilterSet):
    class Meta:
        model = Forecast
        fields = ["site", "queue", "status", "method"]


class StaffingPlanFilter(SearchFilterMixin):
    search_fields = ("name", "notes")

    class Meta:
        model = StaffingPlan
        fields = ["q", "site", "queue", "period_type"]


class TemplateSetFilter(SearchFilterMixin):
    search_fields = ("name", "description")

    class Meta:
        model = ShiftTemplateSet
        fields = ["q", "site"]


class ScheduleFilter(django_filters.FilterSet):
    class Meta:
        model = Schedule
        fields = ["site", "week_start", "status"]


class AdjustmentFilter(_Period):
    class Meta:
        model = IntradayAdjustment
        fields = ["site", "queue", "kind", "since", "until"]
