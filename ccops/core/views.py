"""Pages of the core app: home, sites, queues, calendar, audit log, background tasks,
notifications, my account (password, API tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core import services
from ccops.core.filters import (
    AuditEntryFilter,
    CalendarPeriodFilter,
    JobFilter,
    QueueFilter,
    SiteFilter,
)
from ccops.core.forms import ApiTokenForm, CalendarPeriodForm, QueueForm, SiteForm
from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.home import panels_for
from ccops.core.models import ApiToken, AuditEntry, CalendarPeriod, Job, Notification, Queue, Site
from ccops.core.permissions import check_model_perm


def home(request):
    """The home page: the panels registered for the user's roles."""
    return render(request, "core/home.html", {"panels": panels_for(request)})


# --- sites, queues, calendar ------------------------------------------------------------


class SiteListView(ObjectListView):
    model = Site
    filterset_class = SiteFilter
    columns = ["code", "name", "time_zone", "interval_minutes"]


class SiteDetailView(ObjectDetailView):
    model = Site


class SiteFormView(ObjectFormView):
    model = Site
    form_class = SiteForm

    def save(self, form):
        if self.object is None:
            return services.site_create(actor=self.request.user, **form.cleaned_data)
        return super().save(form)


class SiteArchiveView(ObjectArchiveView):
    model = Site


class QueueListView(ObjectListView):
    model = Queue
    filterset_class = QueueFilter
    columns = ["code", "name", "site", "channel", "service_level_percent", "service_level_seconds"]

    def get_queryset(self):
        return super().get_queryset().select_related("site")


class QueueDetailView(ObjectDetailView):
    model = Queue


class QueueFormView(ObjectFormView):
    model = Queue
    form_class = QueueForm


class QueueArchiveView(ObjectArchiveView):
    model = Queue


class CalendarPeriodListView(ObjectListView):
    model = CalendarPeriod
    filterset_class = CalendarPeriodFilter
    columns = ["name", "kind", "start_date", "end_date", "site"]

    def get_queryset(self):
        return super().get_queryset().select_related("site")


class CalendarPeriodDetailView(ObjectDetailView):
    model = CalendarPeriod


class CalendarPeriodFormView(ObjectFormView):
    model = CalendarPeriod
    form_class = CalendarPeriodForm

    def save(self, form):
        if self.object is None:
            return services.calendar_period_declare(actor=self.request.user, **form.cleaned_data)
        return super().save(form)


class CalendarPeriodArchiveView(ObjectArchiveView):
    model = CalendarPeriod


# --- audit log --------------------------------------------------------------------------


class AuditEntryListView(ObjectListView):
    model = AuditEntry
    filterset_class = AuditEntryFilter
    template_name = "core/auditentry_list.html"
    paginate_by = 100

    def get_queryset(self):
        return AuditEntry.objects.restrict(self.request.user, "view").select_related(
            "content_type", "actor"
        )


class AuditEntryDetailView(ObjectDetailView):
    model = AuditEntry
    template_name = "core/auditentry_detail.html"
    history = False

    def get_queryset(self):
        return AuditEntry.objects.restrict(self.request.user, "view")


# --- background tasks -------------------------------------------------------------------


class JobListView(ObjectListView):
    model = Job
    filterset_class = JobFilter
    template_name = "core/job_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("owner")


class JobDetailView(ObjectDetailView):
    model = Job
    template_name = "core/job_detail.html"


def job_progress(request, pk: int):
    """The progress bar fragment, polled by htmx until the job has finished."""
    check_model_perm(request.user, Job, "view")
    job = get_restricted_or_404(Job, request.user, pk)
    response = render(request, "core/partials/_job_progress.html", {"job": job})
    if job.is_finished and request.htmx:
        response["HX-Refresh"] = "true"  # show the final state (times, result) everywhere
    return response


def job_download(request, pk: int):
    check_model_perm(request.user, Job, "view")
    job = get_restricted_or_404(Job, request.user, pk)
    if job.status != Job.Status.SUCCEEDED or not job.result_filename:
        raise PermissionDenied(_("This task has no file to download."))
    response = HttpResponse(job.result_text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{job.result_filename}"'
    return response


# --- my account -------------------------------------------------------------------------


def account(request):
    """The user's own account: roles, password, API tokens."""
    check_model_perm(request.user, ApiToken, "view")
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        check_model_perm(request.user, ApiToken, "add")
        if form.is_valid():
            try:
                _token, new_token = services.api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=form.cleaned_data["expires_at"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = ApiTokenForm()
    tokens = ApiToken.objects.restrict(request.user, "view").filter(user=request.user)
    return render(
        request,
        "core/account.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@require_POST
def api_token_revoke(request, pk: int):
    check_model_perm(request.user, ApiToken, "delete")
    token = get_restricted_or_404(ApiToken, request.user, pk, "delete")
    try:
        services.api_token_revoke(token=token, actor=request.user)
    except ValidationError as exc:  # revoked meanwhile (a parallel request)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("core:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        state = services.account_state(self.request.user)
        if state.must_change_password:
            state.must_change_password = False
            state.save()
        return response


def notification_list(request):
    check_model_perm(request.user, Notification, "view")
    rows = Notification.objects.filter(user=request.user)[:100]
    return render(
        request, "core/notification_list.html", {"notifications": rows, "title": _("Notifications")}
    )


@require_POST
def notifications_read(request):
    check_model_perm(request.user, Notification, "view")
    services.notifications_read_all(actor=request.user)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("core:notification_list")
    return redirect(target)
