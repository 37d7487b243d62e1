"""FilterSets of the meetings models, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.filters import SearchFilterMixin
from ccops.meetings.choices import OPEN_STATUSES
from ccops.meetings.models import ActionItem, EmergencyMeetingRequest, ExperienceExchange, Meeting


class MeetingFilter(SearchFilterMixin):
    search_fields = ("title", "agenda", "minutes", "decisions")

    class Meta:
        model = Meeting
        fields = ["q", "site", "kind", "status"]


class ActionItemFilter(SearchFilterMixin):
    search_fields = ("title", "description")
    open = django_filters.BooleanFilter(label=_("Still open"), method="filter_open")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = ActionItem
        fields = ["q", "meeting", "owner", "status", "open", "overdue"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_STATUSES)
            if value
            else queryset.exclude(status__in=OPEN_STATUSES)
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())


class EmergencyMeetingRequestFilter(django_filters.FilterSet):
    class Meta:
        model = EmergencyMeetingRequest
        fields = ["site", "status"]


class ExperienceExchangeFilter(SearchFilterMixin):
    search_fields = ("topic", "summary", "lessons__text")

    class Meta:
        model = ExperienceExchange
        fields = ["q", "site"]
