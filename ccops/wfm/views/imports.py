"""Pages of imports: upload (a background task with progress) and the validation report."""

from __future__ import annotations

import gzip

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core import engine_messages
from ccops.core.generic import ObjectDetailView, ObjectListView, get_restricted_or_404
from ccops.core.models import Job
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.wfm.choices import ImportKind, ImportStatus
from ccops.wfm.filters import ImportFilter
from ccops.wfm.forms import ImportConfirmForm, ImportForm
from ccops.wfm.import_labels import report_label
from ccops.wfm.models import CallRecord, ImportBatch
from ccops.wfm.services import imports

#: How many of the call records an import replaced its page lists (all are in the CSV).
MAX_CALLS_SHOWN = 50


class ImportListView(ObjectListView):
    model = ImportBatch
    filterset_class = ImportFilter
    columns = [
        "filename",
        "site",
        "format_label",
        "status",
        "intervals_written",
        "problem",
        "created_by",
        "created_at",
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("site", "created_by")
            .defer("content", "superseded")
        )


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
        return super().get_queryset().defer("content", "superseded")

    def get_context_data(self, **kwargs):
        from ccops.engine.io.mapping import load_preset

        context = super().get_context_data(**kwargs)
        batch = self.object
        report = dict(batch.report or {})
        context["error"] = report.pop("error", None)
        context["problems"] = report.pop("problems", [])
        error_data = report.pop("error_data", None)
        if error_data:  # the engine's message as data: worded in the reader's language
            context["error"] = engine_messages.data_text(error_data)
            context["problems"] = engine_messages.problem_texts(error_data)
        context["per_queue"] = report.pop("per queue", {})
        context["plan"] = report.pop("replaces", None)
        context["report_rows"] = [(report_label(k), v) for k, v in report.items()]
        options = batch.options or {}
        context["queue_map"] = sorted((options.get("queue_map") or {}).items())
        context["target_seconds"] = options.get("target_seconds")
        context["confirmed"] = options.get("confirmed")
        context["keep_earlier"] = options.get("keep_earlier")
        try:
            context["uses_site_zone"] = bool(
                batch.preset != imports.ANONYMOUS_BANK and load_preset(batch.preset).source_timezone
            )
        except Exception:  # a preset renamed since the import
            context["uses_site_zone"] = False
        context["has_superseded"] = ImportBatch.objects.filter(
            pk=batch.pk, superseded__isnull=False
        ).exists()
        replaced = CallRecord.all_objects.filter(superseded_by=batch)
        context["replaced_calls"] = replaced.count()
        context["replaced_call_rows"] = list(
            replaced.select_related("queue").order_by("started_at", "pk")[:MAX_CALLS_SHOWN]
        )
        context["calls_superseded_later"] = list(
            CallRecord.all_objects.filter(batch=batch, superseded_by__isnull=False)
            .values("superseded_by")
            .annotate(n=Count("pk"))
            .order_by("superseded_by")
        )
        can_import = has_model_perm(self.request.user, ImportBatch, "add")
        context["can_confirm"] = batch.status == ImportStatus.REVIEW and can_import
        if context["can_confirm"]:
            context["confirm_form"] = ImportConfirmForm()
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
        {
            "form": form,
            "title": _("Import call records or an interval report"),
            "formats": _format_table(),
        },
    )


def _format_table() -> list[dict]:
    """Each format once, with what it reads: the kind and the columns it expects."""
    from ccops.engine.io.calls import ANONYMOUS_BANK_COLUMNS
    from ccops.engine.io.mapping import load_preset

    rows = []
    for name in imports.import_formats():
        if name == imports.ANONYMOUS_BANK:
            rows.append(
                {"name": name, "kind": ImportKind.CALLS.label, "columns": ANONYMOUS_BANK_COLUMNS}
            )
            continue
        mapping = load_preset(name)
        rows.append(
            {
                "name": name,
                "kind": ImportKind(mapping.kind).label,
                "columns": list(dict.fromkeys(mapping.source_columns())),
                "optional": set(mapping.optional_columns()),
                "utc": bool(mapping.source_timezone),
            }
        )
    return rows


@require_POST
def import_confirm(request, pk):
    """Write an import awaiting confirmation (or, with ``cancel``, drop it)."""
    check_model_perm(request.user, ImportBatch, "add")
    check_model_perm(request.user, Job, "add")
    batch = get_restricted_or_404(ImportBatch, request.user, pk)
    form = ImportConfirmForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("cancel"):
            imports.import_cancel(batch=batch, actor=request.user)
            messages.info(request, _("The import was cancelled: nothing was written."))
        else:
            imports.import_confirm(
                batch=batch,
                actor=request.user,
                keep_earlier=bool(form.cleaned_data.get("keep_earlier")),
            )
            messages.info(request, _("The import has started."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(batch.get_absolute_url())


def import_superseded(request, pk):
    """The earlier interval values an import replaced, as a CSV."""
    check_model_perm(request.user, ImportBatch, "view")
    batch = get_restricted_or_404(ImportBatch, request.user, pk)
    data = ImportBatch.objects.filter(pk=batch.pk).values_list("superseded", flat=True).first()
    if not data:
        raise Http404
    response = HttpResponse(gzip.decompress(bytes(data)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-replaced.csv"'
    return response


def import_replaced_calls(request, pk):
    """The earlier per-call records an import superseded (kept, counted nowhere), as a CSV."""
    from ccops.core.exports import csv_response

    check_model_perm(request.user, ImportBatch, "view")
    batch = get_restricted_or_404(ImportBatch, request.user, pk)
    rows = CallRecord.all_objects.filter(superseded_by=batch).select_related("queue")
    if not rows.exists():
        raise Http404
    site = batch.site
    fields = (
        "wait_seconds",
        "talk_seconds",
        "hold_seconds",
        "acw_seconds",
        "handle_seconds",
    )

    def when(value):  # to the second, in the site's zone with its offset
        return "" if value is None else value.astimezone(site.zone).isoformat(timespec="seconds")

    header = [
        _("call reference"),
        _("queue"),
        _("started"),
        _("answered"),
        _("ended"),
        _("outcome"),
        *[CallRecord._meta.get_field(f).verbose_name for f in fields],
        _("transferred"),
        _("ACD agent"),
        _("import"),
    ]
    data = (
        [
            r.call_reference,
            r.queue.code,
            when(r.started_at),
            when(r.answered_at),
            when(r.ended_at),
            r.get_outcome_display(),
            *["" if getattr(r, f) is None else getattr(r, f) for f in fields],
            _("yes") if r.transferred else _("no"),
            r.agent_login,
            r.batch_id or "",
        ]
        for r in rows.order_by("started_at", "pk").iterator(chunk_size=2000)
    )
    return csv_response(header, data, f"import-{batch.pk}-replaced-calls.csv")
