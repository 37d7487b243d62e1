"""The REST API root ``/api/v1/``: one NinjaAPI collecting each ccops app's ``api.router``.

An app joins the API by having an ``api.py`` module with a ninja ``router``; it is mounted
at ``/api/v1/<app_label>/``. Interactive docs at ``/api/v1/docs``, schema at
``/api/v1/openapi.json``. Authentication: ``Authorization: Bearer <personal token>`` or the
browser session.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI

from ccops.core.apitools import API_AUTH

api = NinjaAPI(
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


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)


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
