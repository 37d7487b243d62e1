"""FilterSets of the shift-operations models, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ccops.core.filters import SearchFilterMixin
from ccops.shiftops.models import (
    AttendanceRecord,
    Briefing,
    ChecklistItemTemplate,
    DutyDiaryEntry,
    Handover,
    HandoverQuestion,
    HandoverTime,
)


class HandoverFilter(SearchFilterMixin):
    search_fields = ("notes", "outgoing_lead__full_name", "incoming_lead__full_name")
    since = django_filters.DateTimeFilter(
        field_name="handover_at", lookup_expr="gte", label=_("From")
    )
    until = django_filters.DateTimeFilter(
        field_name="handover_at", lookup_expr="lt", label=_("Until")
    )
    signed = django_filters.BooleanFilter(
        field_name="signed_at", lookup_expr="isnull", exclude=True, label=_("Signed by both")
    )

    class Meta:
        model = Handover
        fields = ["q", "site", "since", "until", "signed"]


class DutyDiaryEntryFilter(SearchFilterMixin):
    search_fields = ("text",)
    since = django_filters.DateTimeFilter(field_name="time", lookup_expr="gte", label=_("From"))
    until = django_filters.DateTimeFilter(field_name="time", lookup_expr="lt", label=_("Until"))

    class Meta:
        model = DutyDiaryEntry
        fields = ["q", "site", "category", "handover", "since", "until"]


class BriefingFilter(SearchFilterMixin):
    search_fields = ("topics", "problems_raised", "questions_asked")

    class Meta:
        model = Briefing
        fields = ["q", "site", "team", "kind"]


class HandoverTimeFilter(django_filters.FilterSet):
    class Meta:
        model = HandoverTime
        fields = ["site"]


class ChecklistItemTemplateFilter(SearchFilterMixin):
    search_fields = ("text",)

    class Meta:
        model = ChecklistItemTemplate
        fields = ["q", "site", "category"]


class HandoverQuestionFilter(SearchFilterMixin):
    search_fields = ("topic", "text")

    class Meta:
        model = HandoverQuestion
        fields = ["q", "topic", "kind", "for_handovers", "for_tests"]


class AttendanceRecordFilter(django_filters.FilterSet):
    since = django_filters.DateTimeFilter(
        field_name="shift_start", lookup_expr="gte", label=_("From")
    )
    until = django_filters.DateTimeFilter(
        field_name="shift_start", lookup_expr="lt", label=_("Until")
    )

    class Meta:
        model = AttendanceRecord
        fields = ["employee", "status", "ready_in_time", "since", "until"]
