"""Attendance pages: my clock (in and out, as myself), the records, corrections, settling
absences."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import ObjectDetailView, ObjectFormView, ObjectListView
from ccops.core.models import Site
from ccops.core.permissions import check_model_perm
from ccops.people.services import employee_for
from ccops.shiftops import attendance, forms
from ccops.shiftops.filters import AttendanceRecordFilter
from ccops.shiftops.models import AttendanceRecord


class AttendanceRecordListView(ObjectListView):
    model = AttendanceRecord
    filterset_class = AttendanceRecordFilter
    template_name = "shiftops/attendancerecord_list.html"
    columns = [
        "employee",
        "shift_start",
        "shift_end",
        "clock_in",
        "clock_out",
        "status",
        "ready_in_time",
        "late_minutes",
        "early_leave_minutes",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("employee")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_settle"] = self.request.user.has_perm("shiftops.change_attendancerecord")
        return context


class AttendanceRecordDetailView(ObjectDetailView):
    model = AttendanceRecord


class AttendanceRecordCorrectView(ObjectFormView):
    model = AttendanceRecord
    form_class = forms.AttendanceCorrectForm

    def save(self, form):
        return attendance.attendance_correct(
            record=self.object, actor=self.request.user, **form.cleaned_data
        )


def attendance_clock(request):
    """My clock: today's shift, clock in and out (always as the logged-in account)."""
    check_model_perm(request.user, AttendanceRecord, "add")
    employee = employee_for(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "in":
                record = attendance.attendance_clock_in(actor=request.user)
                if record.shift_id and not record.ready_in_time:
                    messages.warning(
                        request, _("Clocked in less than ten minutes before the shift.")
                    )
                else:
                    messages.success(request, _("Clocked in."))
            elif action == "out":
                attendance.attendance_clock_out(actor=request.user)
                messages.success(request, _("Clocked out."))
            else:
                messages.error(request, _("Clock in or out."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        # clock-in from the home page's panel (one tap) returns there
        return redirect(
            "home" if request.POST.get("next") == "home" else "shiftops:attendance_clock"
        )
    now = timezone.now()
    shift = attendance.current_shift(employee, now) if employee else None
    open_record = (
        AttendanceRecord.objects.filter(
            employee=employee, clock_in__isnull=False, clock_out__isnull=True
        ).first()
        if employee
        else None
    )
    recent = AttendanceRecord.objects.filter(employee=employee)[:10] if employee else []
    return render(
        request,
        "shiftops/attendance_clock.html",
        {"employee": employee, "shift": shift, "open_record": open_record, "recent": recent},
    )


@require_POST
def attendance_settle(request):
    check_model_perm(request.user, AttendanceRecord, "change")
    count = attendance.attendance_settle(
        actor=request.user, sites=Site.objects.restrict(request.user, "view")
    )
    messages.success(request, _("%(count)s absences recorded.") % {"count": count})
    return redirect("shiftops:attendancerecord_list")
