"""FilterSets of the registers, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.filters import SearchFilterMixin
from ccops.core.forms import DateInput
from ccops.registers.models import (
    AreaAccess,
    AreaAccessReview,
    AreaAuthorization,
    CleaningDuty,
    ConfidentialDocument,
    CustodyHandover,
    DisclosureRequest,
    LeakReport,
    RestrictedArea,
    RestRoom,
    Visit,
)


class _DayMixin(django_filters.FilterSet):
    """``since``/``until`` days on a datetime field (``day_field``)."""

    day_field = "created_at"
    since = django_filters.DateFilter(label=_("From"), method="filter_since", widget=DateInput)
    until = django_filters.DateFilter(label=_("Until"), method="filter_until", widget=DateInput)

    def filter_since(self, queryset, name, value):
        return queryset.filter(**{f"{self.day_field}__date__gte": value}) if value else queryset

    def filter_until(self, queryset, name, value):
        return queryset.filter(**{f"{self.day_field}__date__lte": value}) if value else queryset


class VisitFilter(_DayMixin, SearchFilterMixin):
    search_fields = ("visitor_name", "organisation", "badge_number", "host__full_name", "reason")
    day_field = "expected_at"

    class Meta:
        model = Visit
        fields = ["q", "site", "status", "kind", "host", "since", "until"]


class RestrictedAreaFilter(SearchFilterMixin):
    search_fields = ("code", "name", "location")

    class Meta:
        model = RestrictedArea
        fields = ["q", "site", "kind"]


class AreaAuthorizationFilter(django_filters.FilterSet):
    current = django_filters.BooleanFilter(label=_("Valid today"), method="filter_current")

    class Meta:
        model = AreaAuthorization
        fields = ["area", "employee", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        q = Q(revoked_at__isnull=True, valid_from__lte=today) & (
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        return queryset.filter(q) if value else queryset.exclude(q)


class AreaAccessFilter(_DayMixin):
    class Meta:
        model = AreaAccess
        fields = ["area", "status", "employee", "authorised", "since", "until"]


class AreaAccessReviewFilter(django_filters.FilterSet):
    class Meta:
        model = AreaAccessReview
        fields = ["area", "month"]


class DisclosureRequestFilter(_DayMixin, SearchFilterMixin):
    search_fields = (
        "reference",
        "requester_name",
        "requester_organisation",
        "document_number",
        "issuing_authority",
        "customer_reference",
    )
    day_field = "received_at"

    class Meta:
        model = DisclosureRequest
        fields = ["q", "site", "status", "basis", "authority_type", "since", "until"]


class ConfidentialDocumentFilter(SearchFilterMixin):
    search_fields = ("reference", "title", "location")
    check_due = django_filters.BooleanFilter(label=_("Check due"), method="filter_check_due")

    class Meta:
        model = ConfidentialDocument
        fields = ["q", "site", "category", "classification", "keeper", "check_due"]

    def filter_check_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = [d.pk for d in queryset if d.next_check_due <= timezone.localdate()]
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)


class CustodyHandoverFilter(django_filters.FilterSet):
    signed = django_filters.BooleanFilter(
        label=_("Signed by both"), field_name="signed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = CustodyHandover
        fields = ["site", "from_keeper", "to_keeper", "signed"]


class LeakReportFilter(SearchFilterMixin):
    search_fields = ("description", "handling")

    class Meta:
        model = LeakReport
        fields = ["q", "site", "kind", "status", "document"]


class RestRoomFilter(django_filters.FilterSet):
    class Meta:
        model = RestRoom
        fields = ["site"]


class CleaningDutyFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("From"), widget=DateInput
    )
    until = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Until"), widget=DateInput
    )
    done = django_filters.BooleanFilter(
        label=_("Done"), field_name="signed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = CleaningDuty
        fields = ["room", "kind", "assignee", "done", "since", "until"]
