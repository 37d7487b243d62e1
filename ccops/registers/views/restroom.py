"""Pages of the rest room: the rooms, the cleaning rota, the sign-off."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.generic import ObjectArchiveView, ObjectDetailView, ObjectFormView, ObjectListView
from ccops.core.permissions import has_model_perm
from ccops.registers import forms
from ccops.registers.filters import CleaningDutyFilter, RestRoomFilter
from ccops.registers.models import CleaningDuty, RestRoom
from ccops.registers.services import restroom as services
from ccops.registers.views.common import post_action


class RestRoomListView(ObjectListView):
    model = RestRoom
    filterset_class = RestRoomFilter
    columns = ["name", "location", "capacity", "weekly_cleaning_day", "site"]


class RestRoomDetailView(ObjectDetailView):
    model = RestRoom
    template_name = "registers/restroom_detail.html"
    fields = ["site", "name", "location", "capacity", "weekly_cleaning_day", "rules"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        room, user = self.object, self.request.user
        today = timezone.localdate()
        duties = (
            CleaningDuty.objects.restrict(user, "view")
            .filter(room=room, due_date__gte=today - dt.timedelta(days=7))
            .filter(due_date__lte=today + dt.timedelta(days=14))
            .select_related("assignee", "signed_by")
        )
        context.update(
            duties=duties,
            missed=services.missed_duties(
                CleaningDuty.objects.restrict(user, "view").filter(room=room)
            )[:20],
            can_plan=has_model_perm(user, CleaningDuty, "add"),
            rota_form=forms.RotaForm(
                user=user, site=room.site, initial={"start": today, "days": 14}
            ),
            min_minutes=services.REST_ROOM_MIN_MINUTES,
            today=today,
        )
        return context


class RestRoomFormView(ObjectFormView):
    model = RestRoom
    form_class = forms.RestRoomForm


class RestRoomArchiveView(ObjectArchiveView):
    model = RestRoom


def _rota_form(request):
    return forms.RotaForm(request.POST, user=request.user)


@post_action(RestRoom, perm="view")
def rota_generate(request, room, data):
    if not has_model_perm(request.user, CleaningDuty, "add"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Your role does not plan the cleaning rota."))
    form = forms.RotaForm(request.POST, user=request.user, site=room.site)
    if not form.is_valid():
        from ccops.registers.views.common import form_errors

        messages.error(request, form_errors(form))
        return room.get_absolute_url()
    added = services.cleaning_rota_generate(room=room, actor=request.user, **form.cleaned_data)
    messages.success(request, _("%(n)s cleanings added to the rota.") % {"n": added})


class CleaningDutyListView(ObjectListView):
    model = CleaningDuty
    filterset_class = CleaningDutyFilter
    columns = ["due_date", "kind", "room", "assignee", "state", "signed_at", "note"]

    def get_queryset(self):
        return super().get_queryset().select_related("room", "assignee")


class CleaningDutyDetailView(ObjectDetailView):
    model = CleaningDuty
    template_name = "registers/cleaningduty_detail.html"
    fields = ["room", "kind", "due_date", "assignee", "state", "signed_at", "signed_by", "note"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        duty, user = self.object, self.request.user
        context.update(
            can_sign=not duty.is_signed
            and duty.assignee.user_id == user.pk
            and duty.due_date <= timezone.localdate(),
            can_reassign=not duty.is_signed and has_model_perm(user, CleaningDuty, "change"),
            note_form=forms.NoteForm(),
            reassign_form=forms.ReassignForm(user=user, initial={"assignee": duty.assignee_id}),
            can_change=False,
        )
        return context


@post_action(CleaningDuty, form=forms.NoteForm)
def cleaning_sign_off(request, duty, data):
    services.cleaning_duty_sign_off(duty=duty, note=data.get("note", ""), actor=request.user)
    messages.success(request, _("Cleaning signed off."))


@post_action(
    CleaningDuty, perm="change", row_action="change", form=forms.ReassignForm, form_user=True
)
def cleaning_reassign(request, duty, data):
    services.cleaning_duty_reassign(duty=duty, assignee=data["assignee"], actor=request.user)
    messages.success(request, _("Reassigned."))
