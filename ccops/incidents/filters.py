"""FilterSets of the incidents app, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccops.core.filters import SearchFilterMixin
from ccops.incidents.choices import IncidentKind, IncidentStatus, System
from ccops.incidents.models import (
    Acknowledgement,
    CallInOffer,
    FaultRecord,
    Incident,
    Playbook,
    SurgePlan,
)


class PlaybookFilter(SearchFilterMixin):
    search_fields = ("title_en", "title_zh", "summary_en", "summary_zh")
    current = django_filters.BooleanFilter(label=_("current version"), field_name="is_current")

    class Meta:
        model = Playbook
        fields = ["q", "kind", "current"]


class IncidentFilter(SearchFilterMixin):
    search_fields = ("title", "symptoms")
    open = django_filters.BooleanFilter(
        label=pgettext_lazy("incident", "open"), method="filter_open"
    )

    class Meta:
        model = Incident
        fields = ["q", "site", "kind", "severity", "status", "open"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        closed = Q(status=IncidentStatus.CLOSED)
        return queryset.exclude(closed) if value else queryset.filter(closed)


class FaultRecordFilter(SearchFilterMixin):
    """The searchable fault archive."""

    search_fields = (
        "incident__title",
        "incident__symptoms",
        "cause",
        "impact",
        "actions_taken",
        "responsible_department",
        "agreement",
    )
    kind = django_filters.ChoiceFilter(
        label=_("type"), choices=IncidentKind.choices, field_name="incident__kind"
    )
    system = django_filters.ChoiceFilter(
        label=_("system"), choices=System.choices, method="filter_system"
    )
    month = django_filters.CharFilter(label=_("month (YYYY-MM)"), method="filter_month")

    class Meta:
        model = FaultRecord
        fields = ["q", "kind", "system", "month"]

    def filter_system(self, queryset, name, value):
        if not value:
            return queryset
        ids = [
            r.pk for r in queryset.select_related("incident") if value in (r.incident.systems or [])
        ]
        return queryset.filter(pk__in=ids)

    def filter_month(self, queryset, name, value):
        try:
            year, month = (int(x) for x in value.split("-"))
            if not 1 <= month <= 12 or not 1990 <= year <= 2200:
                raise ValueError
        except ValueError:
            return queryset.none()
        return queryset.filter(window_start__year=year, window_start__month=month)


class AcknowledgementFilter(django_filters.FilterSet):
    pending = django_filters.BooleanFilter(
        label=_("not yet acknowledged"), field_name="acknowledged_at", lookup_expr="isnull"
    )

    class Meta:
        model = Acknowledgement
        fields = ["incident", "pending"]


class SurgePlanFilter(django_filters.FilterSet):
    class Meta:
        model = SurgePlan
        fields = ["incident", "queue"]


class CallInOfferFilter(django_filters.FilterSet):
    class Meta:
        model = CallInOffer
        fields = ["surge", "status"]
