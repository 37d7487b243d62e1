"""Pages of the restricted areas: the areas, their access lists, the entry and exit log,
and the monthly reviews."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
)
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.registers import forms
from ccops.registers.choices import AccessStatus
from ccops.registers.filters import (
    AreaAccessFilter,
    AreaAccessReviewFilter,
    AreaAuthorizationFilter,
    RestrictedAreaFilter,
)
from ccops.registers.models import AreaAccess, AreaAccessReview, AreaAuthorization, RestrictedArea
from ccops.registers.services import areas as services
from ccops.registers.views.common import post_action


class RestrictedAreaListView(ObjectListView):
    model = RestrictedArea
    filterset_class = RestrictedAreaFilter
    columns = ["code", "name", "kind", "site", "location"]


class RestrictedAreaDetailView(ObjectDetailView):
    model = RestrictedArea
    template_name = "registers/restrictedarea_detail.html"
    fields = ["site", "code", "name", "kind", "location", "rules"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area, user = self.object, self.request.user
        context.update(
            authorizations=area.authorizations.filter(revoked_at__isnull=True).select_related(
                "employee"
            ),
            inside=area.log.filter(
                status__in=[AccessStatus.INSIDE, AccessStatus.AWAITING]
            ).select_related("employee", "visit", "escort"),
            recent=area.log.select_related("employee", "visit", "escort", "approved_by")[:20],
            reviews=area.reviews.select_related("reviewer")[:12],
            can_authorize=has_model_perm(user, AreaAuthorization, "add"),
            can_log=has_model_perm(user, AreaAccess, "add"),
            can_review=has_model_perm(user, AreaAccessReview, "add"),
            review_due=bool(services.reviews_due([area])),
            last_month=services.last_month(),
        )
        return context


class RestrictedAreaFormView(ObjectFormView):
    model = RestrictedArea
    form_class = forms.RestrictedAreaForm


class RestrictedAreaArchiveView(ObjectArchiveView):
    model = RestrictedArea


class AreaAuthorizationListView(ObjectListView):
    model = AreaAuthorization
    filterset_class = AreaAuthorizationFilter
    columns = [
        "employee",
        "area",
        "valid_from",
        "valid_until",
        "reason",
        "granted_by",
        "revoked_at",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("employee", "area", "granted_by")


class AreaAuthorizationDetailView(ObjectDetailView):
    model = AreaAuthorization
    template_name = "registers/areaauthorization_detail.html"
    fields = [
        "area",
        "employee",
        "valid_from",
        "valid_until",
        "reason",
        "granted_by",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_revoke"] = self.object.revoked_at is None and has_model_perm(
            self.request.user, AreaAuthorization, "change"
        )
        context["can_change"] = False
        context["reason_form"] = forms.ReasonForm()
        return context


class AreaAuthorizationFormView(ObjectFormView):
    model = AreaAuthorization
    form_class = forms.AreaAuthorizationForm

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            raise PermissionDenied(_("An authorisation is revoked, not edited."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        if "area" in self.request.GET:
            initial["area"] = self.request.GET["area"]
        return initial

    def save(self, form):
        return services.area_authorize(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj=None):
        return obj.area.get_absolute_url()


@post_action(AreaAuthorization, perm="change", form=forms.ReasonForm)
def authorization_revoke(request, authorization, data):
    services.area_authorization_revoke(
        authorization=authorization, reason=data["reason"], actor=request.user
    )
    messages.success(request, _("Authorisation revoked."))


class AreaAccessListView(ObjectListView):
    model = AreaAccess
    filterset_class = AreaAccessFilter
    title = gettext_lazy("Restricted-area log")
    columns = [
        "area",
        "entrant_name",
        "status",
        "purpose",
        "escort",
        "authorised",
        "approved_by",
        "entered_at",
        "exited_at",
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "employee", "visit", "escort", "approved_by")
        )


class AreaAccessDetailView(ObjectDetailView):
    model = AreaAccess
    template_name = "registers/areaaccess_detail.html"
    fields = [
        "area",
        "entrant_name",
        "status",
        "purpose",
        "escort",
        "authorised",
        "approved_by",
        "approved_at",
        "approval_note",
        "entered_at",
        "exited_at",
        "recorded_by",
        "exit_recorded_by",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access, user = self.object, self.request.user
        context.update(
            can_decide=access.status == AccessStatus.AWAITING
            and services.may_approve_entry(user)
            and not (access.employee_id and access.employee.user_id == user.pk),
            can_exit=access.status == AccessStatus.INSIDE
            and has_model_perm(user, AreaAccess, "add"),
            decide_form=forms.DecideForm(),
            can_change=False,
        )
        return context


class AreaEntryFormView(ObjectFormView):
    model = AreaAccess
    form_class = forms.AreaEntryForm

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            raise PermissionDenied(_("The log is not edited."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        for name in ("area", "visit"):
            if name in self.request.GET:
                initial[name] = self.request.GET[name]
        return initial

    def save(self, form):
        return services.area_entry_record(actor=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Record an entry")
        return context


@post_action(AreaAccess, form=forms.DecideForm)
def area_entry_decide(request, access, data):
    services.area_entry_decide(
        access=access, approve=data["approve"], note=data.get("note", ""), actor=request.user
    )
    messages.success(request, _("Decision recorded."))


@post_action(AreaAccess, perm="add")
def area_exit(request, access, data):
    services.area_exit_record(access=access, actor=request.user)
    messages.success(request, _("Exit recorded."))


class AreaAccessReviewListView(ObjectListView):
    model = AreaAccessReview
    filterset_class = AreaAccessReviewFilter
    columns = ["month", "area", "reviewer", "signed_at", "amends"]

    def get_queryset(self):
        return super().get_queryset().select_related("area", "reviewer", "amends__area")


class AreaAccessReviewDetailView(ObjectDetailView):
    model = AreaAccessReview
    template_name = "registers/areaaccessreview_detail.html"
    fields = [
        "area",
        "month",
        "reviewer",
        "findings",
        "actions",
        "signed_at",
        "signed_by",
        "amends",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, user = self.object, self.request.user
        context.update(
            can_sign=not review.is_signed and review.reviewer.user_id == user.pk,
            can_amend=review.is_signed and has_model_perm(user, AreaAccessReview, "change"),
            sign_form=forms.ReviewSignForm(
                initial={"findings": review.findings, "actions": review.actions}
            ),
            amendments=AreaAccessReview.objects.filter(amends=review),
            summary=review.summary
            if review.is_signed
            else services.review_summary(review.area, review.month),
            can_change=False,
        )
        statuses = dict(AccessStatus.choices)  # the stored codes in the reader's language
        context["exceptions"] = [
            {**e, "status": statuses.get(e.get("status"), e.get("status"))}
            for e in (context["summary"] or {}).get("exceptions", [])
        ]
        return context


def review_open(request):
    """Open the review of an area for a month (a supervisor)."""
    check_model_perm(request.user, AreaAccessReview, "add")
    from django.shortcuts import render

    form = forms.ReviewOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            review = services.area_review_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(review.get_absolute_url())
    initial_area = request.GET.get("area")
    if request.method == "GET":
        form = forms.ReviewOpenForm(
            initial={"area": initial_area, "month": services.last_month()}, user=request.user
        )
    return render(
        request,
        "core/object_form.html",
        {"form": form, "title": _("Open an access review"), "model_meta": AreaAccessReview._meta},
    )


@post_action(AreaAccessReview, form=forms.ReviewSignForm)
def review_sign(request, review, data):
    services.area_review_sign(review=review, actor=request.user, **data)
    messages.success(request, _("Review signed."))


@post_action(AreaAccessReview, perm="change", form=forms.ReviewSignForm)
def review_amend(request, review, data):
    amendment = services.area_review_amend(review=review, actor=request.user, **data)
    messages.success(request, _("Amendment opened: check it and sign it."))
    return amendment
