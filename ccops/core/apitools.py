"""Building blocks of the REST API (django-ninja): authentication and permission-checked
CRUD operations that reuse the pages' FilterSets, ``restrict()`` and services.

    router = Router(tags=["core"])
    register_crud(router, Queue, path="queues", out_schema=QueueOut, in_schema=QueueIn,
                  filterset=QueueFilter)

registers ``GET /queues/`` (paginated, filtered by the FilterSet's query parameters),
``GET /queues/{id}``, ``POST /queues/``, ``PATCH /queues/{id}`` and
``POST /queues/{id}/archive``; each checks the model permission (403), restricts the rows
(404) and writes through :mod:`ccops.core.services`.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

import django_filters
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, SessionAuth
from pydantic import AfterValidator, create_model

from ccops.core import services
from ccops.core.lockout import username_locked
from ccops.core.models import ApiToken
from ccops.core.permissions import (
    all_rows,
    has_model_perm,
    missing_permission,
    not_found,
    perm_name,
)


def check_account(user) -> None:
    """Refuse (403) an account the pages would not serve either: one whose password an
    administrator set and that has not chosen its own yet, or one locked out after failed
    logins (its tokens stop working until the lock-out ends or is lifted)."""
    state = getattr(user, "account_state", None)
    if state is not None and state.must_change_password:
        message = _(
            "An administrator set your password: log in to the web pages and choose a new "
            "one first."
        )
        raise HttpError(403, str(message))
    if username_locked(user.get_username()):
        raise HttpError(403, str(_("This account is locked after too many failed logins.")))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ccops_...`` with a personal API token."""

    def authenticate(self, request, token):
        found = ApiToken.authenticate(token)
        if found is None:
            return None
        check_account(found.user)
        request.user = found.user
        return found.user


class SessionAuthNoCsrfForSafe(SessionAuth):
    """The browser's session (the interactive docs): CSRF-checked for unsafe methods."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            check_account(user)
        return user


API_AUTH = [TokenAuth(), SessionAuthNoCsrfForSafe()]


#: The last page number a list accepts (500 rows a page: 50 million rows).
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")

    def paginate_queryset(self, queryset, pagination, **params):
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        return {"items": list(queryset[offset : offset + size]), "count": queryset.count()}


def _naive_time(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("give the local time of day without a time zone (e.g. 08:30)")
    return value


#: A time of day in the site's time zone: a zone suffix (``08:30Z``, ``08:30+08:00``) is
#: refused with a 422 naming the field instead of failing in the database.
LocalTime = Annotated[dt.time, AfterValidator(_naive_time)]


#: The largest row id (a signed 64-bit integer): larger ids are refused, not sent to the
#: database (SQLite fails on them with an overflow).
MAX_ID = 2**63 - 1
RowId = Annotated[int, Field(ge=0, le=MAX_ID)]


def _filter_type(item: django_filters.Filter) -> Any:
    """The query-parameter type documenting one FilterSet filter."""
    if isinstance(item, django_filters.ModelMultipleChoiceFilter):
        return list[RowId]
    if isinstance(item, django_filters.ModelChoiceFilter):
        return RowId
    if isinstance(item, django_filters.MultipleChoiceFilter):
        return list[str]
    if isinstance(item, django_filters.ChoiceFilter):
        choices = item.extra.get("choices")
        values = (
            [str(value) for value, _label in choices if value not in ("", None)]
            if isinstance(choices, list | tuple)
            else []
        )
        return Literal[tuple(values)] if values else str
    if isinstance(item, django_filters.BooleanFilter):
        return bool
    if isinstance(item, django_filters.DateTimeFilter):
        return dt.datetime
    if isinstance(item, django_filters.DateFilter):
        return dt.date
    if isinstance(item, django_filters.NumberFilter):
        return Annotated[Decimal, Field(ge=-(10**15), le=10**15, allow_inf_nan=False)]
    return Annotated[str, Field(max_length=200)]


_FILTER_SCHEMAS: dict[type, type[Schema]] = {}


def filterset_query_schema(filterset) -> type[Schema]:
    """A ninja Schema with one optional query parameter per filter of ``filterset``, so that
    the OpenAPI schema documents (and the API checks the type of) every list filter. The
    FilterSet itself still does the filtering, exactly as on the pages."""
    if filterset not in _FILTER_SCHEMAS:
        fields = {}
        for name, item in filterset.base_filters.items():
            label = str(item.label) if item.label else name.replace("_", " ")
            fields[name] = (_filter_type(item), Field(None, description=label))
        _FILTER_SCHEMAS[filterset] = create_model(
            f"{filterset.__name__}Query", __base__=Schema, **fields
        )
    return _FILTER_SCHEMAS[filterset]


def require_perm(request, model, action: str) -> None:
    if not has_model_perm(request.user, model, action):
        raise HttpError(403, missing_permission(perm_name(model, action)))


def get_or_404(request, model, pk, action: str = "view"):
    obj = None
    if isinstance(pk, int) and 0 <= pk <= MAX_ID:
        obj = all_rows(model).filter(pk=pk).restrict(request.user, action).first()
    if obj is None:
        raise HttpError(404, not_found(model._meta.verbose_name, pk))
    return obj


def apply_filterset(request, filterset, queryset):
    if filterset is None:
        return queryset
    fs = filterset(request.GET, queryset=queryset, request=request)
    if not fs.is_valid():
        raise ValidationError({name: list(errors) for name, errors in fs.errors.items()})
    return fs.qs


def refuse_nulls(model, data: dict) -> None:
    """A PATCH sends ``null`` only for a field that may be empty: a ``null`` for any other
    field (``{"name": null}``) is a 422 naming it, not a server error deeper down."""
    errors = {}
    for name, value in data.items():
        if value is not None:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is None or not field.null or field.many_to_many:
            errors[name] = _("This field cannot be empty: leave it out to keep its value.")
    if errors:
        raise ValidationError(errors)


def resolve_pk(model, pk, field: str, queryset=None):
    """The ``model`` row with primary key ``pk`` (from ``queryset`` when given, e.g. a
    ``restrict()``-ed one), or a ValidationError naming the request ``field``; None stays None."""
    if pk is None:
        return None
    obj = None
    if isinstance(pk, int) and 0 <= pk <= MAX_ID:
        obj = (queryset if queryset is not None else model.objects.all()).filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: not_found(model._meta.verbose_name, pk)})
    return obj


def resolve_pks(queryset, ids, field: str) -> list:
    """The rows of ``queryset`` with the primary keys ``ids``, or a ValidationError naming the
    request ``field`` and the keys that are unknown (or outside the caller's scope)."""
    valid = [pk for pk in ids if isinstance(pk, int) and 0 <= pk <= MAX_ID]
    found = list(queryset.filter(pk__in=valid))
    missing = set(ids) - {obj.pk for obj in found}
    if missing:
        noun = queryset.model._meta.verbose_name_plural
        raise ValidationError(
            {
                field: _("These %(records)s were not found: %(ids)s.")
                % {"records": noun, "ids": ", ".join(str(pk) for pk in sorted(missing))}
            }
        )
    return found


def register_crud(
    router,
    model,
    *,
    path: str,
    out_schema,
    in_schema=None,
    patch_schema=None,
    filterset=None,
    queryset: Callable | None = None,
    create: Callable | None = None,
    update: Callable | None = None,
    archive: bool = True,
    archive_with: Callable | None = None,
) -> None:
    """Register list/detail (and create/update/archive when schemas are given).

    ``create(actor=, **data)``, ``update(instance=, actor=, **data)`` and
    ``archive_with(instance=, actor=)`` replace the generic record services with the app's
    own."""
    label = f"{model._meta.app_label}_{model._meta.model_name}"
    name = model._meta.model_name
    base = queryset or (lambda request: model.objects.all())
    verbose = str(model._meta.verbose_name_plural)

    if filterset is not None:
        query_schema = filterset_query_schema(filterset)

        @paginate(Pagination)
        def list_rows(request, filters: Query[query_schema], **kwargs):
            require_perm(request, model, "view")
            rows = base(request).restrict(request.user, "view")
            return apply_filterset(request, filterset, rows)

    else:

        @paginate(Pagination)
        def list_rows(request, **kwargs):
            require_perm(request, model, "view")
            return base(request).restrict(request.user, "view")

    list_rows = router.get(
        f"/{path}/",
        response=list[out_schema],
        operation_id=f"{label}_list",
        url_name=f"{name}_list",
        summary=f"List {verbose}",
    )(list_rows)

    @router.get(
        f"/{path}/{{int:pk}}",
        response=out_schema,
        operation_id=f"{label}_get",
        url_name=f"{name}_detail",
        summary=f"Get one of the {verbose}",
    )
    def get_row(request, pk: int):
        require_perm(request, model, "view")
        return get_or_404(request, model, pk)

    if in_schema is not None:

        @router.post(
            f"/{path}/",
            response={201: out_schema},
            operation_id=f"{label}_create",
            url_name=f"{name}_create",
            summary=f"Create one of the {verbose}",
        )
        def create_row(request, payload: in_schema):
            require_perm(request, model, "add")
            data = payload.dict()
            if create is not None:
                obj = create(actor=request.user, **data)
            else:
                obj = services.record_create(model, data=data, actor=request.user)
            return Status(201, obj)

        patch = patch_schema or in_schema

        @router.patch(
            f"/{path}/{{int:pk}}",
            response=out_schema,
            operation_id=f"{label}_update",
            url_name=f"{name}_update",
            summary=f"Change one of the {verbose}",
        )
        def update_row(request, pk: int, payload: patch):
            require_perm(request, model, "change")
            obj = get_or_404(request, model, pk, "change")
            data = payload.dict(exclude_unset=True)
            refuse_nulls(model, data)
            if update is not None:
                return update(instance=obj, actor=request.user, **data)
            return services.record_update(obj, data=data, actor=request.user)

    if archive and hasattr(model, "archived_at"):

        @router.post(
            f"/{path}/{{int:pk}}/archive",
            response=out_schema,
            operation_id=f"{label}_archive",
            url_name=f"{name}_archive",
            summary=f"Archive one of the {verbose}",
        )
        def archive_row(request, pk: int):
            require_perm(request, model, "delete")
            obj = get_or_404(request, model, pk, "delete")
            if archive_with is not None:
                return archive_with(instance=obj, actor=request.user)
            return services.record_archive(obj, actor=request.user)
