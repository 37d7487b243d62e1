"""Pages of imports: upload (a background task with progress) and the validation report."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ccops.core.generic import ObjectDetailView, ObjectListView
from ccops.core.models import Job
from ccops.core.permissions import check_model_perm
from ccops.wfm.filters import ImportFilter
from ccops.wfm.forms import ImportForm
from ccops.wfm.models import ImportBatch
from ccops.wfm.services import imports


class ImportListView(ObjectListView):
    model = ImportBatch
    filterset_class = ImportFilter
    columns = [
        "filename",
        "site",
        "preset",
        "status",
        "intervals_written",
        "created_by",
        "created_at",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("site", "created_by").defer("content")


class ImportDetailView(ObjectDetailView):
    model = ImportBatch
    template_name = "wfm/importbatch_detail.html"
    fields = [
        "site",
        "kind",
        "preset",
        "filename",
        "status",
        "rows_read",
        "intervals_written",
        "first_interval",
        "last_interval",
        "created_by",
        "created_at",
    ]

    def get_queryset(self):
        return super().get_queryset().defer("content")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = dict(self.object.report or {})
        context["error"] = report.pop("error", None)
        context["per_queue"] = report.pop("per queue", {})
        context["report_rows"] = [(k, v) for k, v in report.items()]
        context["options"] = json.dumps(self.object.options, ensure_ascii=False)
        return context


def import_add(request):
    """Upload a file; the import runs as a background task (progress on the import page)."""
    check_model_perm(request.user, ImportBatch, "add")
    check_model_perm(request.user, Job, "add")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = imports.import_create(
                site=data["site"],
                preset=data["preset"],
                filename=data["file"].name,
                content=data["file"].read(),
                queue_map=data["queue_map"],
                target_seconds=data["target_seconds"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            imports.import_start(batch=batch, actor=request.user)
            messages.info(request, _("The import has started."))
            return redirect(batch.get_absolute_url())
    return render(
        request,
        "wfm/import_form.html",
        {"form": form, "title": _("Import call records or an interval report")},
    )
