"""FilterSets of the process register and the projects (pages and API)."""

from __future__ import annotations

import django_filters

from ccops.core.filters import SearchFilterMixin
from ccops.processes.models import ImprovementProject, Process, ProcessVersion


class ProcessFilter(SearchFilterMixin):
    search_fields = ("code", "name", "purpose")

    class Meta:
        model = Process
        fields = ["q", "category", "owner"]


class ProcessVersionFilter(django_filters.FilterSet):
    class Meta:
        model = ProcessVersion
        fields = ["process", "status"]


class ImprovementProjectFilter(SearchFilterMixin):
    search_fields = ("title", "problem", "goal")

    class Meta:
        model = ImprovementProject
        fields = ["q", "process", "step", "status", "lead"]
