"""The REST API root ``/api/v1/``: one NinjaAPI collecting each ccops app's ``api.router``.

An app joins the API by having an ``api.py`` module with a ninja ``router``; it is mounted
at ``/api/v1/<app_label>/``. Interactive docs at ``/api/v1/docs``, schema at
``/api/v1/openapi.json``. Authentication: ``Authorization: Bearer <personal token>`` or the
browser session.
"""

from __future__ import annotations

import importlib
import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ccops.core import audit
from ccops.core.apitools import API_AUTH
from ccops.core.errors import Conflict, error_body, validation_body

logger = logging.getLogger("ccops.api")

#: The error answers every operation may give, each in the one error shape.
ERROR_RESPONSES = {
    "400": "The request could not be read (malformed JSON or form data).",
    "401": "Not authenticated: send a personal API token or log in.",
    "403": "Missing the permission for this operation.",
    "404": "No such row, or a row outside your scope.",
    "409": "Conflict: the row changed meanwhile (a parallel request decided first), or "
    "is signed and cannot change.",
    "422": "Refused input: a rule or a field check failed (``errors`` names the fields).",
}

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail", "errors"],
    "additionalProperties": False,
    "properties": {
        "detail": {"type": "string", "description": "One readable message."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "additionalProperties": False,
                "properties": {
                    "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


class CcopsAPI(NinjaAPI):
    """The NinjaAPI whose schema documents the error answers of every operation."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Error"}
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
        return schema


api = CcopsAPI(
    title="ccops API",
    version="1",
    description=(
        "REST API of ccops. Authenticate with a personal API token "
        "(`Authorization: Bearer ccops_...`, create one on your account page) or the "
        "browser session. Every endpoint applies the same permissions as the pages: "
        "403 without the permission, 404 for rows outside your scope."
    ),
    urls_namespace="api-v1",
    auth=API_AUTH,
)


def _error(request, status: int, body: dict):
    # An error answer never commits: the request's transaction (AtomicWritesMiddleware)
    # rolls back whatever a service wrote before the error.
    if getattr(request, "ccops_atomic", False):
        transaction.set_rollback(True)
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    status = 409 if isinstance(exc, Conflict) else 422
    return _error(request, status, validation_body(exc))


_LOCATIONS = frozenset({"body", "payload", "query", "path", "form", "file", "header", "cookie"})


@api.exception_handler(NinjaValidationError)
def _schema_error(request, exc):
    items = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ())]
        while loc and loc[0] in _LOCATIONS:  # where the value came from, not its name
            loc.pop(0)
        items.append({"field": ".".join(loc) or None, "message": str(err.get("msg", "invalid"))})
    detail = "; ".join(
        f"{i['field']}: {i['message']}" if i["field"] else i["message"] for i in items
    )
    return _error(request, 422, error_body(detail or _("The input is not valid."), items))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, error_body(str(exc) or _("The request was refused.")))


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return _error(request, 403, error_body(str(exc) or _("You may not do this.")))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, error_body(str(exc) or _("Not found.")))


@api.exception_handler(audit.HardDeleteRefused)
def _delete_refused(request, exc):
    return _error(request, 422, error_body(str(exc)))


@api.exception_handler(IntegrityError)
def _integrity(request, exc):
    # A database constraint refused a parallel duplicate (one pending swap per shift, ...).
    logger.info("API request refused by a database constraint: %s", exc)
    return _error(
        request,
        409,
        error_body(_("The record changed or already exists: reload it and try again.")),
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    # A value the database cannot hold (a number beyond 64 bits, a text too long for its
    # column) that no check caught earlier: bad input, not a server error.
    logger.info("API request refused by the database: %s", exc)
    return _error(request, 422, error_body(_("A value is out of range or too long to be stored.")))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API request failed: %s %s", request.method, request.path)
    return _error(request, 500, error_body(_("Internal error: the request was not carried out.")))


for config in apps.get_app_configs():
    if not config.name.startswith("ccops."):
        continue
    try:
        module = importlib.import_module(f"{config.name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.api":
            raise
        continue
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{config.label}/", router)
