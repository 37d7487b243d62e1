"""Knowledge API: categories, synonyms, departments and links to other records."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import ModelSchema, Schema, Status
from ninja.errors import HttpError

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk
from ccops.core.permissions import all_rows, can, not_found
from ccops.knowledge.api_parts.base import router
from ccops.knowledge.filters import (
    CategoryFilter,
    DepartmentFilter,
    SynonymFilter,
)
from ccops.knowledge.models import (
    Article,
    ArticleLink,
    Category,
    Department,
    Synonym,
)
from ccops.knowledge.services import articles

# --- reference data and links --------------------------------------------------------------


class CategoryOut(ModelSchema):
    class Meta:
        model = Category
        fields = ["id", "name", "parent", "order", "description", "archived_at"]


class CategoryIn(Schema):
    name: str
    parent: int | None = None
    order: int = 10
    description: str = ""


class CategoryPatch(Schema):
    name: str | None = None
    parent: int | None = None
    order: int | None = None
    description: str | None = None


def _category_data(data):
    if "parent" in data:
        data["parent"] = resolve_pk(Category, data["parent"], "parent")
    return data


register_crud(
    router,
    Category,
    path="categories",
    out_schema=CategoryOut,
    in_schema=CategoryIn,
    patch_schema=CategoryPatch,
    filterset=CategoryFilter,
    create=lambda *, actor, **data: articles.category_save(actor=actor, **_category_data(data)),
    update=lambda *, instance, actor, **data: articles.category_save(
        category=instance, actor=actor, **_category_data(data)
    ),
)


class SynonymOut(ModelSchema):
    class Meta:
        model = Synonym
        fields = ["id", "terms", "note", "archived_at"]


class SynonymIn(Schema):
    terms: str
    note: str = ""


class SynonymPatch(Schema):
    terms: str | None = None
    note: str | None = None


register_crud(
    router,
    Synonym,
    path="synonyms",
    out_schema=SynonymOut,
    in_schema=SynonymIn,
    patch_schema=SynonymPatch,
    filterset=SynonymFilter,
)


class DepartmentOut(ModelSchema):
    class Meta:
        model = Department
        fields = ["id", "name", "contact", "answer_hours", "archived_at"]


class DepartmentIn(Schema):
    name: str
    contact: str = ""
    answer_hours: int = 48


class DepartmentPatch(Schema):
    name: str | None = None
    contact: str | None = None
    answer_hours: int | None = None


register_crud(
    router,
    Department,
    path="departments",
    out_schema=DepartmentOut,
    in_schema=DepartmentIn,
    patch_schema=DepartmentPatch,
    filterset=DepartmentFilter,
)


class LinkOut(Schema):
    id: int
    article: int
    target_type: str
    target_id: int
    note: str


class LinkIn(Schema):
    article: int
    target_type: str
    target_id: int
    note: str = ""


def _link_out(link: ArticleLink) -> dict:
    return {
        "id": link.pk,
        "article": link.article_id,
        "target_type": link.target_type.app_label + "." + link.target_type.model,
        "target_id": link.target_id,
        "note": link.note,
    }


@router.get(
    "/links",
    response=list[LinkOut],
    operation_id="knowledge_articlelink_list",
    summary="Articles linked to a record (?target_type=shiftops.handover&target_id=)",
)
def links_list(request, target_type: str, target_id: int):
    require_perm(request, ArticleLink, "view")
    target = _target(request, target_type, target_id)
    readable = set(articles.readable_states(request.user))
    return [_link_out(link) for link in articles.links_to(target) if link.article.state in readable]


def _target(request, label: str, pk: int):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise ValidationError(
            {"target_type": _("There is no record type %(label)s.") % {"label": label}}
        ) from None
    target = all_rows(model).filter(pk=pk).first()
    if target is None or not can(request.user, target, "view"):
        raise HttpError(404, not_found(label, pk))
    return target


@router.post(
    "/links",
    response={201: LinkOut},
    operation_id="knowledge_articlelink_create",
    summary="Link an article to a record (a case, a handover, an incident)",
)
def link_create(request, payload: LinkIn):
    require_perm(request, ArticleLink, "add")
    target = _target(request, payload.target_type, payload.target_id)
    article = resolve_pk(Article, payload.article, "article", articles.articles_for(request.user))
    link = articles.article_link(
        article=article, target=target, actor=request.user, note=payload.note
    )
    return Status(201, _link_out(link))


@router.post(
    "/links/{int:pk}/archive",
    response=LinkOut,
    operation_id="knowledge_articlelink_archive",
    summary="Remove a link (archive it)",
)
def link_archive(request, pk: int):
    require_perm(request, ArticleLink, "delete")
    link = get_or_404(request, ArticleLink, pk, "delete")
    return _link_out(articles.article_unlink(link=link, actor=request.user))
