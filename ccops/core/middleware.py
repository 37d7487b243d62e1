"""Request middleware of the platform: login required, session lifetime, audit actor,
one transaction per writing request, forced password change."""

from __future__ import annotations

import time
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core import audit

API_PREFIX = "/api/"


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login (Django's middleware) except the API, which answers 401
    itself, and views marked ``login_not_required``."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionLifetimeMiddleware:
    """Log a session out ``SESSION_MAX_HOURS`` after login, however active it was, and keep
    an active session alive.

    Idle expiry is the session's expiry date (``SESSION_COOKIE_AGE`` after it was last
    saved): a request more than ``TOUCH_SECONDS`` after the last save saves it again, so
    an active session stays open and an idle one ends ``SESSION_IDLE_MINUTES`` (to the
    minute) after its last request, without a database write at every request (Django's
    ``SESSION_SAVE_EVERY_REQUEST`` would write one per page and API call).
    """

    KEY = "ccops_login_time"
    TOUCHED = "ccops_touched"
    TOUCH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(self.KEY)
            now = time.time()
            if now - request.session.get(self.TOUCHED, 0) >= self.TOUCH_SECONDS:
                request.session[self.TOUCHED] = int(now)  # saved: the expiry moves on
            if started is None:
                request.session[self.KEY] = now
            elif now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                if not request.path_info.startswith(API_PREFIX):
                    messages.info(request, _("Your session has expired. Please log in again."))
                    return redirect(f"{reverse('login')}?next={request.path}")
        return self.get_response(request)


class AuditActorMiddleware:
    """Attribute audited changes made while serving a request to the request's user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        via = audit.VIA_API if request.path_info.startswith(API_PREFIX) else audit.VIA_WEB
        # when the request began: a transition that finds its row changed since then lost
        # a race to a parallel request (409), whoever's turn the row says it is now
        request.ccops_started_at = timezone.now()
        with audit.acting_as(None, via=via, request=request):
            return self.get_response(request)


class AtomicWritesMiddleware:
    """Run every request that may write (POST, PUT, PATCH, DELETE) in one transaction, and
    roll it back when the answer is a server error, or an API error (its handlers mark the
    transaction for rollback): a request either does all it set out to do or nothing.

    Services are atomic themselves; this covers views that call several of them and code
    that fails after a service committed (a 500 that kept its row and audit entry)."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            request.ccops_atomic = True  # error handlers may roll this transaction back
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response


class PasswordChangeRequiredMiddleware:
    """After an administrator set a password, the user must choose a new one first."""

    ALLOWED_NAMES = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith((API_PREFIX, settings.STATIC_URL))
        ):
            state = getattr(user, "account_state", None) if hasattr(user, "pk") else None
            if state is not None and state.must_change_password:
                allowed = {reverse(name) for name in self.ALLOWED_NAMES}
                if request.path_info not in allowed:
                    messages.warning(
                        request, _("An administrator set your password: choose a new one.")
                    )
                    return redirect("password_change")
        return self.get_response(request)


class SiteTimeZoneMiddleware:
    """Show times in the time zone of the user's site (remembered in the session).

    The site comes from the user's employee record (``user.employee.site``); users without
    one see ``CCOPS_TIME_ZONE``. Times are stored in UTC either way.
    """

    KEY = "ccops_time_zone"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = request.session.get(self.KEY)
            if name is None:
                employee = getattr(user, "employee", None)
                site = getattr(employee, "site", None)
                name = site.time_zone if site is not None else settings.TIME_ZONE
                request.session[self.KEY] = name
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than ``CCOPS_MAX_REQUEST_BYTES`` (by default
    the largest import file, ``ccops.engine.io.limits.MAX_FILE_BYTES``, plus 10 MB for the
    form) with 413, before anything reads it: an oversized upload is not even spooled to
    disk. (A reverse proxy should refuse it earlier still: ``client_max_body_size``.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponse, JsonResponse

        from ccops.core.errors import error_body
        from ccops.engine.io import limits

        limit = getattr(settings, "CCOPS_MAX_REQUEST_BYTES", None) or (
            limits.MAX_FILE_BYTES + 10 * 1024 * 1024
        )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = _("The request is larger than %(size)s.") % {"size": limits.megabytes(limit)}
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse(error_body(message), status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
