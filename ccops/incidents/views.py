"""Pages of the incidents app: playbooks, incidents run from a phone-sized screen, the fault
archive and monthly report, cause acknowledgements, the surge plan and call-in requests."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ccops.core.generic import (
    ModelPermissionMixin,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    post_action,
)
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.incidents import forms, services, surge
from ccops.incidents.choices import IncidentKind, IncidentStatus
from ccops.incidents.filters import (
    AcknowledgementFilter,
    CallInOfferFilter,
    FaultRecordFilter,
    IncidentFilter,
    PlaybookFilter,
)
from ccops.incidents.models import (
    Acknowledgement,
    CallInOffer,
    FaultRecord,
    Incident,
    IncidentStep,
    Playbook,
    SurgePlan,
)

# --- playbooks -----------------------------------------------------------------------------


class PlaybookListView(ObjectListView):
    model = Playbook
    filterset_class = PlaybookFilter
    columns = ["title", "kind", "version", "is_current"]

    def get_queryset(self):
        qs = super().get_queryset()
        if "current" not in self.request.GET:
            qs = qs.filter(is_current=True)
        return qs


class PlaybookDetailView(ObjectDetailView):
    model = Playbook
    template_name = "incidents/playbook_detail.html"
    fields = ["kind", "version", "is_current", "summary", "author", "created_at"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pb = self.object
        context.update(
            steps=pb.steps.all(),
            versions=Playbook.all_objects.filter(kind=pb.kind).order_by("-version"),
            can_change=context["can_change"] and pb.is_current,
        )
        return context


class PlaybookFormView(ObjectFormView):
    """Revise a playbook: a new version with the edited texts and steps."""

    model = Playbook
    form_class = forms.PlaybookForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_initial(self):
        pb = self.object
        if pb is None:
            return {}
        return {
            "title_en": pb.title_en,
            "title_zh": pb.title_zh,
            "summary_en": pb.summary_en,
            "summary_zh": pb.summary_zh,
            "contacts": services.contacts_text(pb),
            "steps": services.steps_text(pb),
        }

    def dispatch(self, request, *args, **kwargs):
        if "pk" not in kwargs:
            raise PermissionDenied(_("Playbooks are revised, not added: edit one."))
        return super().dispatch(request, *args, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.playbook_revise(
            playbook=self.object,
            actor=self.request.user,
            title_en=data["title_en"],
            title_zh=data["title_zh"],
            summary_en=data["summary_en"],
            summary_zh=data["summary_zh"],
            contacts=services.parse_contacts(data["contacts"]),
            steps=services.parse_steps(data["steps"]),
        )


# --- incidents -----------------------------------------------------------------------------


class IncidentListView(ObjectListView):
    model = Incident
    filterset_class = IncidentFilter
    columns = ["title", "kind", "severity", "status", "started_at", "lead"]

    def get_queryset(self):
        return super().get_queryset().select_related("lead")


class IncidentDeclareView(ModelPermissionMixin, TemplateView):
    model = Incident
    permission_action = "add"
    template_name = "incidents/incident_form.html"

    def dispatch(self, request, *args, **kwargs):
        check_model_perm(request.user, Incident, "add")
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        initial = {"started_at": timezone.localtime().replace(second=0, microsecond=0)}
        kind = self.request.GET.get("kind")
        if kind in IncidentKind.values:
            initial["kind"] = kind
        employee = services.employee_for(self.request.user)
        if employee is not None:
            initial["site"] = employee.site_id
        data = self.request.POST if self.request.method == "POST" else None
        return forms.DeclareForm(data, user=self.request.user, initial=initial)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                incident = services.incident_declare(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Incident declared; the leaders are notified."))
                return redirect(incident.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Declare an incident")
        return context


class IncidentDetailView(ObjectDetailView):
    model = Incident
    template_name = "incidents/incident_detail.html"
    fields = [
        "kind",
        "severity",
        "status",
        "started_at",
        "recovered_at",
        "closed_at",
        "lead",
        "scribe",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("playbook", "lead", "scribe", "site")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inc, user = self.object, self.request.user
        can_run = inc.is_open and has_model_perm(user, Incident, "change")
        fault = FaultRecord.objects.filter(incident=inc).first()
        fault_initial = {}
        if fault is not None:
            fault_initial = {
                k: getattr(fault, k)
                for k in ("cause", "impact", "actions_taken", "responsible_department", "agreement")
            }
        pending = Acknowledgement.objects.filter(
            incident=inc, employee__user=user, acknowledged_at__isnull=True
        ).first()
        acks = Acknowledgement.objects.restrict(user, "view").filter(incident=inc)
        context.update(
            can_run=can_run,
            can_lock=can_run
            and user.has_perm("incidents.lock_account")
            and inc.kind in (IncidentKind.PASSWORD, IncidentKind.BREAK_IN),
            is_break_in=inc.kind == IncidentKind.BREAK_IN,
            can_plan=inc.status == IncidentStatus.RECOVERED
            and has_model_perm(user, SurgePlan, "add"),
            steps=inc.steps.select_related("done_by"),
            timeline=inc.timeline.select_related("author").order_by("-at", "-pk"),
            handovers=inc.handovers.select_related("from_employee", "to_employee"),
            fault=fault,
            follow_ups=inc.follow_ups.select_related("owner"),
            surges=inc.surges.select_related("queue"),
            account_actions=inc.account_actions.select_related("user"),
            my_ack=pending,
            ack_total=acks.count(),
            ack_missing=acks.filter(acknowledged_at__isnull=True).select_related("employee")[:50],
            missing=services.missing_for_close(inc) if inc.is_open else [],
            update_form=forms.UpdateForm(),
            assign_form=forms.AssignForm(user=user),
            recover_form=forms.RecoverForm(),
            records_form=forms.RecordsForm(
                initial={
                    "police_report_number": inc.police_report_number,
                    "duty_staff_interviewed": inc.duty_staff_interviewed,
                }
            ),
            account_form=forms.AccountForm(),
            fault_form=forms.FaultForm(initial=fault_initial),
            followup_form=forms.FollowUpForm(user=user),
            surge_form=forms.SurgeForm(
                user=user, initial={"queue": inc.queues.values_list("pk", flat=True).first()}
            ),
            note_form=forms.NoteForm(),
        )
        return context


@post_action(IncidentStep, form=forms.NoteForm, also=(Incident, "change"))
def step_tick(request, step, data):
    services.incident_step_tick(step=step, note=data.get("note", ""), actor=request.user)
    messages.success(request, _("Step done."))
    return step.incident.get_absolute_url() + "#steps"


@post_action(Incident, perm="change", form=forms.UpdateForm)
def incident_update(request, incident, data):
    services.incident_update_add(incident=incident, text=data["text"], actor=request.user)
    return incident.get_absolute_url() + "#timeline"


@post_action(Incident, perm="change", form=forms.AssignForm, form_user=True)
def incident_assign(request, incident, data):
    services.incident_assign(incident=incident, actor=request.user, **data)
    messages.success(request, _("Handed over."))


@post_action(Incident, perm="change", form=forms.RecoverForm)
def incident_recover(request, incident, data):
    services.incident_recover(
        incident=incident, recovered_at=data.get("recovered_at"), actor=request.user
    )
    messages.success(request, _("Recovered: plan the surge and write the fault record."))


@post_action(Incident, perm="change")
def incident_meeting(request, incident, data):
    services.incident_meeting_request(incident=incident, actor=request.user)
    messages.success(request, _("Emergency meeting requested."))


@post_action(Incident, perm="change", form=forms.RecordsForm)
def incident_records(request, incident, data):
    services.incident_records_set(
        incident=incident,
        actor=request.user,
        police_report_number=data["police_report_number"] or None,
        scene_sealed_at=data["scene_sealed_at"],
        duty_staff_interviewed=data["duty_staff_interviewed"] or None,
    )
    messages.success(request, _("Recorded."))


@post_action(Incident, perm="change", form=forms.AccountForm)
def incident_account(request, incident, data):
    _row, password = services.incident_account_action(
        incident=incident, user=data["username"], action=data["action"], actor=request.user
    )
    if password:
        messages.success(
            request,
            _("Temporary password (shown once; it must be changed at next login): %(p)s")
            % {"p": password},
        )
    else:
        messages.success(request, _("Login locked."))


@post_action(Incident, perm="change", form=forms.FaultForm, also=(FaultRecord, "add"))
def incident_fault(request, incident, data):
    services.fault_record_save(incident=incident, actor=request.user, **data)
    messages.success(request, _("Fault record saved."))


@post_action(Incident, perm="change", form=forms.FollowUpForm, form_user=True)
def incident_followup(request, incident, data):
    services.incident_follow_up_add(incident=incident, actor=request.user, **data)
    messages.success(request, _("Follow-up action added."))


@post_action(Incident, perm="change")
def incident_close(request, incident, data):
    services.incident_close(incident=incident, actor=request.user)
    messages.success(request, _("Closed and archived; staff are asked to acknowledge the cause."))


@post_action(Incident, perm="view")
def incident_acknowledge(request, incident, data):
    ack = Acknowledgement.objects.filter(incident=incident, employee__user=request.user).first()
    if ack is None:
        raise ValidationError(_("You were not on the roster of the affected days."))
    services.acknowledgement_confirm(ack=ack, actor=request.user)
    messages.success(request, _("Thank you: acknowledged."))


@post_action(Incident, form=forms.SurgeForm, form_user=True, also=(SurgePlan, "add"))
def incident_surge(request, incident, data):
    return surge.surge_plan_create(incident=incident, actor=request.user, **data)


# --- the fault archive ---------------------------------------------------------------------


class FaultRecordListView(ObjectListView):
    model = FaultRecord
    filterset_class = FaultRecordFilter
    columns = ["incident", "window_start", "downtime_minutes", "calls_lost", "cause", "signed_at"]
    title = None

    def get_queryset(self):
        return super().get_queryset().filter(signed_at__isnull=False).select_related("incident")


class FaultReportView(TemplateView):
    template_name = "incidents/fault_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("incidents.view_faultreport"):
            raise PermissionDenied(_("Your role does not see the fault report."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        month = today.replace(day=1)
        raw = self.request.GET.get("month", "")
        with contextlib.suppress(ValueError):
            month = dt.datetime.strptime(raw, "%Y-%m").date()
        prev = (month - dt.timedelta(days=1)).replace(day=1)
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        context.update(report=services.fault_report(month), prev=prev, next=nxt)
        return context


# --- acknowledgements ----------------------------------------------------------------------


class AcknowledgementListView(ObjectListView):
    """My causes to acknowledge; supervisors and managers see who has not."""

    model = Acknowledgement
    filterset_class = AcknowledgementFilter
    template_name = "incidents/acknowledgement_list.html"
    columns = ["incident", "employee", "acknowledged_at"]

    def get_queryset(self):
        return super().get_queryset().select_related("incident", "employee", "incident__fault")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_record"] = services.may_record_acknowledgements(self.request.user)
        return context


@post_action(Acknowledgement, perm="change")
def acknowledgement_record(request, ack, data):
    services.acknowledgement_record(ack=ack, actor=request.user)
    messages.success(
        request, _("Recorded: %(who)s was told the cause.") % {"who": ack.employee.full_name}
    )
    return reverse("incidents:acknowledgement_list") + "?pending=true"


# --- the surge -----------------------------------------------------------------------------


class SurgePlanDetailView(ObjectDetailView):
    model = SurgePlan
    template_name = "incidents/surgeplan_detail.html"
    fields = [
        "incident",
        "queue",
        "recovery_at",
        "hours",
        "retrial_share",
        "retrial_delay_minutes",
        "lost_calls",
        "leave_frozen_until",
        "planner",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        can_act = plan.incident.is_open and has_model_perm(user, SurgePlan, "change")
        rows = []
        for row in plan.intervals:
            rows.append({**row, "start_dt": dt.datetime.fromisoformat(row["start"])})
        context.update(
            rows=rows,
            can_act=can_act,
            offers=plan.offers.select_related("employee"),
            adjustments=plan.adjustments.select_related("employee"),
            candidates=surge.call_in_candidates(plan)[:20] if can_act else [],
            move_form=forms.MoveForm(user=user),
            callin_form=forms.CallInForm(initial={"count": max(plan.shortfall, 1)}),
        )
        return context


@post_action(SurgePlan, perm="change")
def surge_freeze(request, plan, data):
    result = surge.surge_leave_freeze(surge=plan, actor=request.user)
    messages.success(
        request, _("Leave frozen; %(n)s pending requests refused.") % {"n": result["refused"]}
    )


@post_action(SurgePlan, perm="change", form=forms.MoveForm, form_user=True)
def surge_move(request, plan, data):
    surge.surge_move(surge=plan, actor=request.user, **data)
    messages.success(request, _("Recorded as an intraday adjustment."))


@post_action(SurgePlan, perm="change", form=forms.CallInForm)
def surge_callin(request, plan, data):
    offers = surge.surge_call_in(surge=plan, actor=request.user, count=data.get("count"))
    messages.success(request, _("%(n)s agents asked to come in.") % {"n": len(offers)})


class CallInOfferListView(ObjectListView):
    model = CallInOffer
    filterset_class = CallInOfferFilter
    template_name = "incidents/callinoffer_list.html"
    columns = ["employee", "start", "end", "status", "rank", "reason"]

    def get_queryset(self):
        return super().get_queryset().select_related("employee", "surge__incident")


@post_action(CallInOffer, perm="change", form=forms.RespondForm)
def callin_respond(request, offer, data):
    offer = surge.call_in_respond(offer=offer, accept=data["accept"], actor=request.user)
    messages.success(request, _("Answered: %(a)s.") % {"a": offer.get_status_display()})
    if offer.employee.user_id != request.user.pk:  # a planner recorded a phoned answer
        return offer.surge.get_absolute_url() + "#offers"
    return reverse("incidents:callinoffer_list")
