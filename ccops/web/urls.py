"""Root URLs: home, accounts, language switch, each app under its label, API, admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from ccops.core import views as core_views
from ccops.core.health import healthz
from ccops.web.api import api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            extra_context={"lockout_limit": settings.AXES_FAILURE_LIMIT},
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        core_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("core/", include("ccops.core.urls")),
    path("people/", include("ccops.people.urls")),
    path("wfm/", include("ccops.wfm.urls")),
    path("shiftops/", include("ccops.shiftops.urls")),
    path("meetings/", include("ccops.meetings.urls")),
    path("knowledge/", include("ccops.knowledge.urls")),
    path("quality/", include("ccops.quality.urls")),
    path("incidents/", include("ccops.incidents.urls")),
    path("registers/", include("ccops.registers.urls")),
    path("processes/", include("ccops.processes.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
