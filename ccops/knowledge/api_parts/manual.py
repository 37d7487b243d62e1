"""Knowledge API: service-manual editions (compile, publish, acknowledge, who has not)."""

from __future__ import annotations

from ninja import ModelSchema, Schema, Status
from ninja.errors import HttpError

from ccops.core.apitools import register_crud, require_perm, resolve_pk
from ccops.core.models import Site
from ccops.core.permissions import not_found
from ccops.knowledge.api_parts.base import router
from ccops.knowledge.filters import (
    ManualEditionFilter,
)
from ccops.knowledge.models import (
    ManualAcknowledgement,
    ManualEdition,
    ManualEntry,
)
from ccops.knowledge.services import manual
from ccops.people.models import Employee

# --- the service manual ----------------------------------------------------------------------


class EntryOut(ModelSchema):
    class Meta:
        model = ManualEntry
        fields = [
            "id",
            "chapter",
            "chapter_title",
            "order",
            "kind",
            "title",
            "body",
            "revision",
            "lesson",
        ]


class EditionOut(ModelSchema):
    published: bool
    entries: list[EntryOut]

    class Meta:
        model = ManualEdition
        fields = [
            "id",
            "site",
            "version",
            "title",
            "foreword",
            "signed_at",
            "signed_by",
            "created_at",
            "archived_at",
        ]

    @staticmethod
    def resolve_published(obj):
        return obj.is_published

    @staticmethod
    def resolve_entries(obj):
        return list(obj.entries.order_by("chapter", "order"))


class EditionIn(Schema):
    site: int
    version: str
    title: str
    foreword: str = ""


class AckOut(ModelSchema):
    class Meta:
        model = ManualAcknowledgement
        fields = ["id", "edition", "employee", "created_at"]


class ReaderOut(Schema):
    id: int
    full_name: str
    team: str


def _editions(request):
    rows = ManualEdition.objects.all()
    if not request.user.has_perm("knowledge.change_manualedition"):
        rows = rows.filter(signed_at__isnull=False)
    return rows


def _edition_compile(*, actor, site, **data):
    return manual.edition_compile(actor=actor, site=resolve_pk(Site, site, "site"), **data)


register_crud(
    router,
    ManualEdition,
    path="editions",
    out_schema=EditionOut,
    filterset=ManualEditionFilter,
    queryset=_editions,
)


@router.post(
    "/editions/",
    response={201: EditionOut},
    operation_id="knowledge_manualedition_create",
    summary="Compile a new edition from the published articles and lessons",
)
def edition_create(request, payload: EditionIn):
    require_perm(request, ManualEdition, "add")
    return Status(201, _edition_compile(actor=request.user, **payload.dict()))


def _edition_or_404(request, pk):
    edition = _editions(request).restrict(request.user, "view").filter(pk=pk).first()
    if edition is None:
        raise HttpError(404, not_found(ManualEdition._meta.verbose_name, pk))
    return edition


@router.post(
    "/editions/{int:pk}/publish",
    response=EditionOut,
    operation_id="knowledge_manualedition_publish",
    summary="Publish an edition (the floor staff are asked to read it)",
)
def edition_publish(request, pk: int):
    require_perm(request, ManualEdition, "change")
    return manual.edition_publish(edition=_edition_or_404(request, pk), actor=request.user)


@router.post(
    "/editions/{int:pk}/acknowledge",
    response=AckOut,
    operation_id="knowledge_manualedition_acknowledge",
    summary="Confirm you have read a published edition",
)
def edition_acknowledge(request, pk: int):
    require_perm(request, ManualAcknowledgement, "add")
    return manual.edition_acknowledge(edition=_edition_or_404(request, pk), actor=request.user)


@router.get(
    "/editions/{int:pk}/outstanding",
    response=list[ReaderOut],
    operation_id="knowledge_manualedition_outstanding",
    summary="Who has not confirmed reading a published edition (in your scope)",
)
def edition_outstanding(request, pk: int):
    require_perm(request, ManualEdition, "view")
    edition = _edition_or_404(request, pk)
    visible = Employee.objects.restrict(request.user, "view").values("pk")
    return [
        {"id": e.pk, "full_name": e.full_name, "team": str(e.team or "")}
        for e in manual.outstanding(edition).filter(pk__in=visible)
    ]
