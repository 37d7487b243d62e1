"""Pages of the visitor register: the register, who is on site now, announcing a visitor,
registering a walk-in, and the visit's page with the door's and the authorizer's actions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.generic import ObjectDetailView, ObjectFormView, ObjectListView
from ccops.core.models import Site
from ccops.core.permissions import check_model_perm
from ccops.people.services import employee_for
from ccops.registers import forms
from ccops.registers.choices import VisitStatus
from ccops.registers.filters import VisitFilter
from ccops.registers.models import Visit
from ccops.registers.services import visitors as services
from ccops.registers.views.common import post_action


class VisitListView(ObjectListView):
    model = Visit
    filterset_class = VisitFilter
    template_name = "registers/visit_list.html"
    columns = [
        "visitor_name",
        "organisation",
        "host",
        "kind",
        "status",
        "expected_at",
        "arrived_at",
        "left_at",
        "badge_number",
        "authorizer",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("host", "authorizer", "site")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_walk_in"] = services.works_the_door(self.request.user)
        return context


def visit_on_site(request):
    """Who is on site now (the list the door reads out in an evacuation)."""
    check_model_perm(request.user, Visit, "view")
    if not services.works_the_door(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the door staff see everyone on site."))
    rows = Visit.objects.restrict(request.user, "view")
    visits = list(services.on_site(rows).order_by("arrived_at"))
    overdue = set(services.overdue_sign_outs(rows).values_list("pk", flat=True))
    return render(
        request,
        "registers/visit_on_site.html",
        {
            "title": _("Visitors on site now"),
            "visits": visits,
            "overdue": overdue,
            "people": sum(v.party_size for v in visits),
            "waiting": rows.filter(status=VisitStatus.AWAITING, kind="walk_in").select_related(
                "host"
            ),
            "expected": rows.filter(
                status=VisitStatus.APPROVED, expected_at__date=timezone.localdate()
            ).select_related("host"),
            "reminder_hours": services.SIGN_OUT_REMINDER_HOURS,
        },
    )


class VisitDetailView(ObjectDetailView):
    model = Visit
    template_name = "registers/visit_detail.html"
    fields = [
        "site",
        "kind",
        "status",
        "visitor_name",
        "organisation",
        "visitor_phone",
        "id_document",
        "party_size",
        "host",
        "reason",
        "expected_at",
        "expected_until",
        "authorizer",
        "decided_at",
        "decision_note",
        "arrived_at",
        "badge_number",
        "escort",
        "checked_in_by",
        "left_at",
        "checked_out_by",
        "handling",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit, user = self.object, self.request.user
        employee = employee_for(user)
        is_host = employee is not None and employee.pk == visit.host_id
        door = services.works_the_door(user)
        context.update(
            can_decide=visit.status == VisitStatus.AWAITING
            and services.may_approve(user)
            and not is_host,
            can_check_in=visit.status == VisitStatus.APPROVED and door,
            can_check_out=visit.status == VisitStatus.ON_SITE and (door or is_host),
            can_cancel=visit.status in (VisitStatus.AWAITING, VisitStatus.APPROVED)
            and (door or is_host),
            decide_form=forms.DecideForm(),
            check_in_form=forms.CheckInForm(user=user, initial={"escort": visit.host_id}),
            handling_form=forms.HandlingForm(initial={"handling": visit.handling}),
            note_form=forms.NoteForm(),
            area_entries=visit.area_entries.select_related("area", "escort"),
            overdue=Visit.objects.filter(pk=visit.pk).filter(services.overdue_q()).exists(),
        )
        context["can_change"] = (
            context["can_change"]
            and (door or is_host)
            and visit.status
            not in (
                VisitStatus.REFUSED,
                VisitStatus.CANCELLED,
            )
        )
        return context


class VisitFormView(ObjectFormView):
    """Announce a visitor (new) or correct a visit (edit)."""

    model = Visit

    def get_form_class(self):
        return forms.VisitEditForm if self.object else forms.VisitAnnounceForm

    def get_initial(self):
        initial = super().get_initial()
        employee = employee_for(self.request.user)
        if self.object is None and employee is not None:
            initial.update(host=employee.pk, site=employee.site_id)
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.visit_announce(actor=self.request.user, **data)
        changed = {name: data[name] for name in form.changed_data}
        return services.visit_update(visit=self.object, actor=self.request.user, **changed)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is None:
            context["title"] = _("Announce a visitor")
        return context


class VisitWalkInView(ObjectFormView):
    """The door registers a visitor who was not announced."""

    model = Visit
    form_class = forms.VisitWalkInForm

    def dispatch(self, request, *args, **kwargs):
        check_model_perm(request.user, Visit, "add")
        if not services.works_the_door(request.user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Only the door staff register walk-in visitors."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        employee = employee_for(self.request.user)
        site = employee.site_id if employee else Site.objects.values_list("pk", flat=True).first()
        initial["site"] = site
        return initial

    def save(self, form):
        return services.visit_register_walk_in(actor=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Register a walk-in visitor")
        return context


@post_action(Visit, form=forms.DecideForm)
def visit_decide(request, visit, data):
    services.visit_decide(visit=visit, actor=request.user, **data)
    messages.success(request, _("Decision recorded."))


@post_action(Visit, form=forms.CheckInForm, form_user=True)
def visit_check_in(request, visit, data):
    services.visit_check_in(
        visit=visit,
        badge_number=data["badge_number"],
        escort=data.get("escort"),
        id_document=data.get("id_document") or None,
        actor=request.user,
    )
    messages.success(request, _("Visitor received."))


@post_action(Visit, form=forms.HandlingForm)
def visit_check_out(request, visit, data):
    services.visit_check_out(visit=visit, handling=data.get("handling", ""), actor=request.user)
    messages.success(request, _("Visitor signed out."))


@post_action(Visit, form=forms.NoteForm)
def visit_cancel(request, visit, data):
    services.visit_cancel(visit=visit, note=data.get("note", ""), actor=request.user)
    messages.success(request, _("Visit cancelled."))
