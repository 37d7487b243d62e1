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

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, SessionAuth

from ccops.core import services
from ccops.core.lockout import username_locked
from ccops.core.models import ApiToken
from ccops.core.permissions import all_rows, has_model_perm, perm_name


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


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = 1
        page_size: int = 50

    def paginate_queryset(self, queryset, pagination, **params):
        size = max(1, min(500, pagination.page_size))
        offset = (max(1, pagination.page) - 1) * size
        return {"items": list(queryset[offset : offset + size]), "count": queryset.count()}


def require_perm(request, model, action: str) -> None:
    if not has_model_perm(request.user, model, action):
        raise HttpError(403, f"missing permission {perm_name(model, action)}")


def get_or_404(request, model, pk, action: str = "view"):
    obj = all_rows(model).filter(pk=pk).restrict(request.user, action).first()
    if obj is None:
        raise HttpError(404, f"{model._meta.verbose_name} {pk} not found")
    return obj


def apply_filterset(request, filterset, queryset):
    if filterset is None:
        return queryset
    fs = filterset(request.GET, queryset=queryset, request=request)
    if not fs.is_valid():
        raise ValidationError({name: list(errors) for name, errors in fs.errors.items()})
    return fs.qs


def resolve_pk(model, pk, field: str, queryset=None):
    """The ``model`` row with primary key ``pk`` (from ``queryset`` when given, e.g. a
    ``restrict()``-ed one), or a ValidationError naming the request ``field``; None stays None."""
    if pk is None:
        return None
    obj = (queryset if queryset is not None else model.objects.all()).filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: f"{model._meta.verbose_name} {pk} does not exist"})
    return obj


def resolve_pks(queryset, ids, field: str) -> list:
    """The rows of ``queryset`` with the primary keys ``ids``, or a ValidationError naming the
    request ``field`` and the keys that are unknown (or outside the caller's scope)."""
    found = list(queryset.filter(pk__in=ids))
    missing = set(ids) - {obj.pk for obj in found}
    if missing:
        noun = queryset.model._meta.verbose_name_plural
        raise ValidationError({field: f"unknown {noun} {sorted(missing)}"})
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

    @router.get(
        f"/{path}/",
        response=list[out_schema],
        operation_id=f"{label}_list",
        url_name=f"{name}_list",
        summary=f"List {verbose}",
    )
    @paginate(Pagination)
    def list_rows(request, **kwargs):
        require_perm(request, model, "view")
        rows = base(request).restrict(request.user, "view")
        return apply_filterset(request, filterset, rows)

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
