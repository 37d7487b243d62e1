"""FilterSets of the core models, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ccops.core.models import AuditEntry, CalendarPeriod, Job, Queue, Site


class SearchFilterMixin(django_filters.FilterSet):
    """A ``q`` text search over ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    def filter_search(self, queryset, name, value):
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class SiteFilter(SearchFilterMixin):
    search_fields = ("code", "name", "address")

    class Meta:
        model = Site
        fields = ["q", "interval_minutes"]


class QueueFilter(SearchFilterMixin):
    search_fields = ("code", "name", "description")

    class Meta:
        model = Queue
        fields = ["q", "site", "channel"]


class CalendarPeriodFilter(SearchFilterMixin):
    search_fields = ("name", "notes")
    date = django_filters.DateFilter(label=_("On day"), method="filter_date")

    class Meta:
        model = CalendarPeriod
        fields = ["q", "site", "kind", "date"]

    def filter_date(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)


def _audited_types(request=None):
    from ccops.core import audit

    ids = [
        ct.pk
        for ct in ContentType.objects.all()
        if ct.model_class() is not None and audit.is_audited(ct.model_class())
    ]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(method="filter_actor", label=_("Actor"))
    action = django_filters.CharFilter(lookup_expr="iexact", label=_("Action"))
    content_type = django_filters.ModelChoiceFilter(queryset=_audited_types, label=_("Record type"))
    object_id = django_filters.CharFilter(label=_("Record id"))
    via = django_filters.ChoiceFilter(choices=AuditEntry.VIA_CHOICES, label=_("Via"))
    since = django_filters.DateTimeFilter(field_name="time", lookup_expr="gte", label=_("From"))
    until = django_filters.DateTimeFilter(field_name="time", lookup_expr="lt", label=_("Until"))
    q = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label=_("Record")
    )

    def filter_actor(self, queryset, name, value):
        """By the person's name or number (stored with the entry) or the login name."""
        return queryset.filter(Q(actor_name__icontains=value) | Q(actor__username__iexact=value))

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "content_type", "object_id", "via", "since", "until", "q"]


class JobFilter(django_filters.FilterSet):
    class Meta:
        model = Job
        fields = ["status", "kind"]
