"""FilterSets of the knowledge models, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core.filters import SearchFilterMixin
from ccops.knowledge.choices import WAITING_STATUSES, ArticleState, CaseStatus
from ccops.knowledge.models import (
    Article,
    Category,
    Department,
    DifficultCase,
    ManualEdition,
    Synonym,
)
from ccops.knowledge.search import category_subtree


class DifficultCaseFilter(SearchFilterMixin):
    search_fields = ("question", "answer", "call_reference", "told_customer")
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices, label=_("Status"))
    waiting = django_filters.BooleanFilter(
        label=_("Waiting for an answer"), method="filter_waiting"
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    mine = django_filters.BooleanFilter(label=_("Waiting for me"), method="filter_mine")

    class Meta:
        model = DifficultCase
        fields = ["q", "status", "level", "queue", "team", "waiting", "overdue", "mine"]

    def filter_waiting(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=WAITING_STATUSES)
        return queryset.exclude(status__in=WAITING_STATUSES)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=WAITING_STATUSES, due_at__lt=timezone.now())

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(assignee__user=self.request.user, status__in=WAITING_STATUSES)


def _categories(request=None):
    return Category.objects.all()


class ArticleFilter(SearchFilterMixin):
    search_fields = ("title", "tags")
    category = django_filters.ModelChoiceFilter(
        queryset=_categories, label=_("Category"), method="filter_category"
    )
    state = django_filters.ChoiceFilter(choices=ArticleState.choices, label=_("State"))
    review_due = django_filters.BooleanFilter(
        label=_("Due for re-verification"), method="filter_review_due"
    )
    tag = django_filters.CharFilter(label=_("Tag"), method="filter_tag")

    class Meta:
        model = Article
        fields = ["q", "category", "state", "visibility", "owner", "tag", "review_due"]

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(category_id__in=category_subtree([value.pk]))

    def filter_review_due(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            state=ArticleState.PUBLISHED, next_review_on__lt=timezone.localdate()
        )

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__icontains=value.strip()) if value.strip() else queryset


class CategoryFilter(SearchFilterMixin):
    search_fields = ("name", "description")

    class Meta:
        model = Category
        fields = ["q", "parent"]


class SynonymFilter(SearchFilterMixin):
    search_fields = ("terms", "note")

    class Meta:
        model = Synonym
        fields = ["q"]


class DepartmentFilter(SearchFilterMixin):
    search_fields = ("name", "contact")

    class Meta:
        model = Department
        fields = ["q"]


class ManualEditionFilter(SearchFilterMixin):
    search_fields = ("title", "version")

    class Meta:
        model = ManualEdition
        fields = ["q", "site"]
