"""API of imports (multipart upload, a background task) and interval statistics."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import ModelSchema, Schema, Status
from pydantic import ValidationError as PydanticValidationError

from ccops.core.apitools import get_or_404, register_crud, require_perm
from ccops.core.models import Job, Site
from ccops.core.permissions import not_found
from ccops.wfm.api_parts.base import router
from ccops.wfm.filters import ImportFilter, IntervalStatFilter
from ccops.wfm.models import ImportBatch, IntervalStat
from ccops.wfm.services import imports as import_services


class ImportOut(ModelSchema):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "site",
            "kind",
            "preset",
            "filename",
            "status",
            "job",
            "created_by",
            "rows_read",
            "intervals_written",
            "first_interval",
            "last_interval",
            "report",
            "options",
            "created_at",
        ]


class ImportIn(Schema):
    site: int
    preset: str
    queue_map: str = ""
    target_seconds: float | None = None


class IntervalStatOut(ModelSchema):
    class Meta:
        model = IntervalStat
        fields = [
            "id",
            "site",
            "queue",
            "batch",
            "interval_start",
            "interval_minutes",
            "offered",
            "answered",
            "abandoned",
            "answered_within_target",
            "aht_seconds",
            "asa_seconds",
        ]


register_crud(
    router,
    ImportBatch,
    path="imports",
    out_schema=ImportOut,
    filterset=ImportFilter,
    queryset=lambda request: ImportBatch.objects.defer("content", "superseded"),
    archive=False,
)
register_crud(
    router,
    IntervalStat,
    path="interval-stats",
    out_schema=IntervalStatOut,
    filterset=IntervalStatFilter,
    archive=False,
)


@router.post(
    "/imports/",
    response={201: ImportOut},
    operation_id="wfm_importbatch_create",
    summary="Upload a file to import (multipart); the import runs as a background task",
)
def import_upload(request):
    """Multipart fields: ``site`` (id), ``preset``, ``file``, optional ``queue_map``
    (SOURCE=QUEUE_CODE lines) and ``target_seconds``."""
    from ccops.wfm.forms import parse_queue_map

    require_perm(request, ImportBatch, "add")
    require_perm(request, Job, "add")
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": _("Send the file as the multipart form field “file”.")})
    try:
        payload = ImportIn(**{k: v for k, v in request.POST.items() if k in ImportIn.model_fields})
    except PydanticValidationError as exc:
        raise ValidationError(
            {".".join(str(p) for p in e["loc"]) or "form": e["msg"] for e in exc.errors()}
        ) from None
    site = Site.objects.filter(pk=payload.site).first()
    if site is None:
        raise ValidationError({"site": not_found(Site._meta.verbose_name, payload.site)})
    try:
        queue_map = parse_queue_map(payload.queue_map)
    except ValidationError as exc:
        raise ValidationError({"queue_map": " ".join(exc.messages)}) from None
    if upload.size > import_services.max_upload_bytes():
        from ccops.engine.io.limits import megabytes

        raise ValidationError(
            {
                "file": _("The file %(name)s is larger than %(limit)s.")
                % {"name": upload.name, "limit": megabytes(import_services.max_upload_bytes())}
            }
        )
    batch = import_services.import_create(
        site=site,
        preset=payload.preset,
        filename=upload.name,
        content=upload.read(),
        queue_map=queue_map,
        target_seconds=payload.target_seconds,
        actor=request.user,
    )
    import_services.import_start(batch=batch, actor=request.user)
    batch.refresh_from_db()
    return Status(201, batch)


class ImportConfirmIn(Schema):
    #: Keep the earlier values of the intervals outside the file's time span (as the page's
    #: box, ticked by default); false sets them to 0 calls.
    keep_earlier: bool = True


@router.post(
    "/imports/{int:pk}/confirm",
    response={200: ImportOut},
    operation_id="wfm_importbatch_confirm",
    summary="Go ahead with an import awaiting confirmation (it replaces the earlier values "
    "its report lists; keep_earlier keeps those outside the file's time span)",
)
def import_confirm(request, pk: int, payload: ImportConfirmIn | None = None):
    require_perm(request, ImportBatch, "add")
    require_perm(request, Job, "add")
    batch = get_or_404(request, ImportBatch, pk)
    import_services.import_confirm(
        batch=batch,
        actor=request.user,
        keep_earlier=True if payload is None else bool(payload.keep_earlier),
    )
    batch.refresh_from_db()
    return batch


@router.post(
    "/imports/{int:pk}/cancel",
    response={200: ImportOut},
    operation_id="wfm_importbatch_cancel",
    summary="Drop an import awaiting confirmation (nothing is written)",
)
def import_cancel(request, pk: int):
    require_perm(request, ImportBatch, "add")
    batch = get_or_404(request, ImportBatch, pk)
    import_services.import_cancel(batch=batch, actor=request.user)
    batch.refresh_from_db()
    return batch
