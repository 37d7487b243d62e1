"""Forms of the workforce pages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccops.core import formats
from ccops.core.forms import ScopedFormMixin
from ccops.core.limits import shorten
from ccops.people.models import Employee, LeaveType
from ccops.wfm.choices import DayPart, TimeOffKind
from ccops.wfm.models import ScheduledShift, TimeOffRequest
from ccops.wfm.services import published_shifts


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


#: The time-off form's spans besides the half days (``DayPart``).
SPAN_DAYS = "days"
SPAN_TIMES = "times"


class TimeOffForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        required=False,
        help_text=_("Leave empty to ask for yourself."),
    )
    span = forms.ChoiceField(
        label=_("How long"),
        choices=[
            (SPAN_DAYS, _("Whole days")),
            (DayPart.MORNING, _("The morning of one day (half a day)")),
            (DayPart.AFTERNOON, _("The afternoon of one day (half a day)")),
            (SPAN_TIMES, _("From and until the times given")),
        ],
        initial=SPAN_DAYS,
        required=False,  # a post without it (an older client) means the times given
        widget=forms.RadioSelect,
        help_text=_(
            "Whole days: from the start of the first day to the end of the last, times "
            "ignored. A morning (until noon) or an afternoon (from noon) is the day of From "
            "and counts half a day."
        ),
    )
    start = forms.DateTimeField(label=_("From"), widget=DateTimeInput())
    end = forms.DateTimeField(
        label=_("Until"),
        widget=DateTimeInput(),
        required=False,
        help_text=_("Not needed for one day or half a day."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=TimeOffKind.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    emergency = forms.BooleanField(
        label=_("Emergency"),
        required=False,
        help_text=TimeOffRequest._meta.get_field("emergency").help_text,
    )

    leave_type = forms.ModelChoiceField(
        label=_("Leave type"), queryset=LeaveType.objects.none(), required=False
    )

    field_order = [
        "employee",
        "leave_type",
        "kind",
        "span",
        "start",
        "end",
        "reason",
        "emergency",
    ]

    def clean(self):
        """Whole days: the first day's midnight to the midnight after the last (site time);
        a morning or an afternoon: the service takes the half of the day of From
        (``day_part``)."""
        data = super().clean()
        span = data.pop("span", "") or SPAN_TIMES
        data["day_part"] = span if span in DayPart.values else ""
        if data.get("start") and not data.get("end"):
            if span == SPAN_TIMES:
                self.add_error("end", _("Say until when."))
                return data
            data["end"] = data["start"]  # one day, or half of it
        if span == SPAN_DAYS and data.get("start") and data.get("end"):
            zone = timezone.get_current_timezone()
            first = timezone.localtime(data["start"], zone).date()
            last = timezone.localtime(data["end"], zone).date()
            data["start"] = timezone.make_aware(datetime.combine(first, time.min), zone)
            data["end"] = timezone.make_aware(
                datetime.combine(last + timedelta(days=1), time.min), zone
            )
        return data

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Employee.objects.restrict(user, "view") if user else Employee.objects.none()
        if visible.exclude(user=user).exists():
            self.fields["employee"].queryset = visible
        else:
            del self.fields["employee"]
        # the sites' leave types replace the plain kinds where a site has them
        sites = visible.values("site")
        types = LeaveType.objects.filter(site__in=sites).select_related("site")
        if types.exists():
            self.fields["leave_type"].queryset = types
            self.fields["leave_type"].required = True
            self.fields["leave_type"].initial = types.filter(category="annual").first()
            if len({t.site_id for t in types}) > 1:
                self.fields["leave_type"].label_from_instance = lambda t: f"{t} ({t.site})"
            del self.fields["kind"]
        else:
            del self.fields["leave_type"]


def _shift_label(shift: ScheduledShift, *, who_too: bool = True) -> str:
    site = shift.schedule.site
    who = shift.employee.full_name if shift.employee_id and who_too else ""
    when = f"{formats.format_datetime(shift.start, site, long=True)}–"
    return f"{who} {when}{formats.format_time(shift.end, site)}".strip()


class ShiftChoiceField(forms.ModelChoiceField):
    """Shifts by day and time (and whose, unless they are all the reader's own: shorter
    options a phone shows whole)."""

    def __init__(self, *args, who_too: bool = True, **kwargs):
        self.who_too = who_too
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return _shift_label(obj, who_too=self.who_too)


class _OwnedShiftSelect(forms.Select):
    """Each shift option carries its employee (``data-owner``): the page's script shows
    only the chosen colleague's shifts, and choosing a shift chooses its colleague."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.employee_id:
            option["attrs"]["data-owner"] = str(instance.employee_id)
        return option


class SwapForm(forms.Form):
    shift = ShiftChoiceField(
        label=_("My shift"), queryset=ScheduledShift.objects.none(), who_too=False
    )
    colleague = forms.ModelChoiceField(label=_("Colleague"), queryset=Employee.objects.none())
    colleague_shift = ShiftChoiceField(
        label=_("Their shift"),
        queryset=ScheduledShift.objects.none(),
        required=False,
        help_text=_("Leave empty to give your shift away."),
        widget=_OwnedShiftSelect(attrs={"data-follows": "id_colleague"}),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        me = Employee.objects.filter(user=user).first() if user else None
        future = (
            published_shifts()
            .filter(start__gt=timezone.now())
            .select_related("employee", "schedule__site")
            .defer("schedule__summary")
        )
        if me is None:
            return
        self.fields["shift"].queryset = future.filter(employee=me)
        self.fields["colleague"].queryset = (
            Employee.objects.filter(site=me.site, user__isnull=False, status="active")
            .exclude(pk=me.pk)
            .order_by("full_name")
        )
        self.fields["colleague_shift"].queryset = future.filter(
            schedule__site=me.site, employee__isnull=False
        ).exclude(employee=me)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


__all__ = ["DecisionForm", "ScopedFormMixin", "SwapForm", "TimeOffForm"]


class StaffingPlanForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        from ccops.wfm.models import StaffingPlan

        model = StaffingPlan
        fields = [
            "name",
            "queue",
            "period_type",
            "forecast",
            "service_level_percent",
            "answer_within_seconds",
            "max_occupancy_percent",
            "max_abandon_percent",
            "shrinkage_percent",
            "model",
            "patience_seconds",
            "patience_shape",
            "service_shape",
            "service_cv",
            "simulation_replications",
            "simulation_seed",
            "default_aht_seconds",
            "notes",
        ]

    #: Only the simulation reads these: a form that leaves them out keeps their defaults.
    SIMULATION_DEFAULTS = (
        "patience_shape",
        "service_shape",
        "simulation_replications",
        "simulation_seed",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forecast"].queryset = self.fields["forecast"].queryset.filter(status="ready")
        for name in self.SIMULATION_DEFAULTS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.SIMULATION_DEFAULTS:
            if data.get(name) in (None, "") and name not in self.errors:
                data[name] = (
                    getattr(self.instance, name)
                    if self.instance.pk
                    else self._meta.model._meta.get_field(name).get_default()
                )
        return data


class WhatIfForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    volume_percent = forms.FloatField(
        label=_("Volume (%)"), initial=100, min_value=0, max_value=1000
    )
    aht_seconds = forms.FloatField(
        label=_("AHT (s)"),
        required=False,
        min_value=1,
        max_value=7200,
        help_text=_("Empty: the forecast's handle time."),
    )
    service_level_percent = forms.FloatField(
        label=_("Service level (%)"), required=False, min_value=1, max_value=99.9
    )
    answer_within_seconds = forms.FloatField(
        label=_("Answered within (s)"), required=False, min_value=0, max_value=3600
    )
    shrinkage_percent = forms.FloatField(
        label=_("Shrinkage (%)"), required=False, min_value=0, max_value=95
    )


def parse_queue_map(text: str) -> dict[str, str]:
    """``"A=retail\\nB=cards"`` (or comma separated) -> ``{"A": "retail", "B": "cards"}``:
    the engine's one queue-map parser (``ccops import --queue-map`` uses it too), its error
    as a form error."""
    from ccops.engine.io.pipeline import QueueMapError
    from ccops.engine.io.pipeline import parse_queue_map as engine_parse

    try:
        return engine_parse(text or "")
    except QueueMapError as exc:
        raise forms.ValidationError(
            _("Write each queue mapping as SOURCE=QUEUE_CODE, got %(part)s."),
            params={"part": shorten(exc.part)},
        ) from None


class ImportForm(ScopedFormMixin, forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    preset = forms.ChoiceField(
        label=_("Format"),
        choices=(),
        help_text=_("The layout of the file: the table below lists the columns each reads."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (also .csv.gz, .csv.bz2, .csv.zip) or Excel export, at most %(size)s."),
    )
    queue_map = forms.CharField(
        label=_("Queue mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One SOURCE=QUEUE_CODE per line for queue names that are not queue codes."),
    )
    target_seconds = forms.FloatField(
        label=_("Service-level threshold (s)"),
        required=False,
        min_value=0,
        max_value=86400,
        help_text=_(
            "For per-call records: a call answered within it counts as on target (default: "
            "the first queue's threshold)."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        from ccops.core.models import Site
        from ccops.engine.io.limits import megabytes
        from ccops.wfm.import_labels import preset_label
        from ccops.wfm.services.imports import import_formats, max_upload_bytes

        self.base_fields["site"].queryset = Site.objects.all()
        super().__init__(*args, user=user, **kwargs)
        self.fields["preset"].choices = [(p, preset_label(p)) for p in import_formats()]
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "size": megabytes(max_upload_bytes())
        }

    def clean_file(self):
        from ccops.engine.io.limits import megabytes
        from ccops.wfm.services.imports import max_upload_bytes

        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)s."),
                params={"size": megabytes(max_upload_bytes())},
            )
        return upload

    def clean_queue_map(self):
        return parse_queue_map(self.cleaned_data.get("queue_map") or "")


class ImportConfirmForm(forms.Form):
    keep_earlier = forms.BooleanField(
        label=_("Keep the earlier values of the intervals outside the file's time span"),
        required=False,
        initial=True,
        help_text=_(
            "Otherwise the intervals of a partial day that the file does not reach are set to "
            "0 calls."
        ),
    )


class ForecastForm(ScopedFormMixin, forms.Form):
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=None)
    horizon_start = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    horizon_days = forms.IntegerField(label=_("Days"), min_value=1, max_value=42, initial=7)
    history_weeks = forms.IntegerField(
        label=_("Weeks of history"), min_value=1, max_value=104, initial=26
    )
    notes = forms.CharField(label=_("Notes"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        from ccops.core.models import Queue

        self.base_fields["queue"].queryset = Queue.objects.select_related("site")
        super().__init__(*args, user=user, **kwargs)


class ForecastAdjustForm(forms.Form):
    """A planner's manual adjustment of a forecast: a day or a range of days, by percent or
    by calls, with the reason (the service checks the rules and names the field)."""

    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to adjust one day."),
    )
    percent = forms.DecimalField(
        label=_("Change (%)"),
        required=False,
        max_digits=7,
        decimal_places=2,
        help_text=_("For example 15 for 15 % more calls, -10 for 10 % fewer."),
    )
    calls = forms.DecimalField(
        label=_("or change (calls)"),
        required=False,
        max_digits=9,
        decimal_places=1,
        help_text=_("Calls added to (or, negative, taken from) these days in total."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, forecast=None, **kwargs):
        super().__init__(*args, **kwargs)
        if forecast is not None:
            first = forecast.horizon_start
            last = first + timedelta(days=forecast.horizon_days - 1)
            for name in ("start", "end"):
                self.fields[name].widget.attrs.update(
                    {"min": first.isoformat(), "max": last.isoformat()}
                )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from ccops.core.formats import format_date

        return _("Version %(v)s (%(day)s, %(days)s days)") % {
            "v": obj.version,
            "day": format_date(obj.horizon_start),
            "days": obj.horizon_days,
        }


class ForecastCompareForm(forms.Form):
    a = VersionChoiceField(label=_("Version"), queryset=None)
    b = VersionChoiceField(label=_("compared with"), queryset=None)

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = versions
        self.fields["b"].queryset = versions


class WeekForm(forms.Form):
    week = forms.DateField(label=_("Week of"), widget=forms.DateInput(attrs={"type": "date"}))


class TemplateSetForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        from ccops.wfm.models import ShiftTemplateSet

        model = ShiftTemplateSet
        fields = ["site", "name", "definition", "description"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 18, "class": "mono"})}

    def clean(self):
        from ccops.wfm.models import ShiftTemplateSet
        from ccops.wfm.services.generate import parse_template_set

        data = super().clean()
        if data.get("definition"):
            # Raises ValidationError({"definition": engine message}).
            parse_template_set(
                ShiftTemplateSet(
                    name=data.get("name") or "templates", definition=data["definition"]
                )
            )
        return data


class GenerateForm(ScopedFormMixin, forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    week_start = forms.DateField(
        label=_("Week of"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A Monday."),
    )
    template_set = forms.ModelChoiceField(
        label=_("Shift templates"),
        queryset=None,
        help_text=_(
            "Each queue's need comes from its staffing plan for the day's period type "
            "(normal, billing period, emergency)."
        ),
    )
    time_limit = forms.FloatField(
        label=_("Solver time limit (s)"), initial=20, min_value=1, max_value=600
    )

    def __init__(self, *args, user=None, **kwargs):
        from ccops.core.models import Site
        from ccops.wfm.models import ShiftTemplateSet

        self.base_fields["site"].queryset = Site.objects.all()
        self.base_fields["template_set"].queryset = ShiftTemplateSet.objects.all()
        super().__init__(*args, user=user, **kwargs)

    def clean_week_start(self):
        value = self.cleaned_data["week_start"]
        if value.weekday() != 0:
            raise forms.ValidationError(_("A schedule week starts on a Monday."))
        return value


class ShiftForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        required=False,
        help_text=_("Empty: an open shift."),
    )
    start = forms.DateTimeField(label=_("Start"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("End"), widget=DateTimeInput())
    queues = forms.ModelMultipleChoiceField(
        label=_("Queues served"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The employee must hold the skill of each."),
    )
    template = forms.CharField(label=_("Template"), required=False, max_length=60)

    def __init__(self, *args, site=None, **kwargs):
        from ccops.core.models import Queue

        super().__init__(*args, **kwargs)
        self.fields["queues"].queryset = Queue.objects.filter(site=site).order_by("code")
        if site is not None:
            self.fields["employee"].queryset = Employee.objects.filter(
                site=site, status="active"
            ).order_by("full_name")

    def shift_data(self) -> dict:
        """The cleaned values as the shift services take them."""
        data = dict(self.cleaned_data)
        data["queue_ids"] = [q.pk for q in data.pop("queues")]
        return data


class IntradayForm(forms.Form):
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=None)
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    plan = forms.ModelChoiceField(label=_("Staffing plan"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        from ccops.core.models import Queue
        from ccops.wfm.models import StaffingPlan

        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.restrict(user, "view").select_related("site")
        self.fields["plan"].queryset = StaffingPlan.objects.restrict(user, "view")

    def clean(self):
        data = super().clean()
        queue, plan = data.get("queue"), data.get("plan")
        if queue is not None and plan is not None and plan.queue_id != queue.pk:
            self.add_error(
                "plan",
                _("%(plan)s plans another queue than %(queue)s.") % {"plan": plan, "queue": queue},
            )
        return data


class AdjustmentForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        from ccops.wfm.models import IntradayAdjustment

        model = IntradayAdjustment
        fields = ["site", "queue", "kind", "start", "end", "heads", "employee", "note"]
        widgets = {"start": DateTimeInput(), "end": DateTimeInput()}


class ActivityForm(forms.Form):
    """Training, coaching or a meeting for chosen employees, placed by the engine."""

    kind = forms.ChoiceField(label=_("Kind"), choices=())
    title = forms.CharField(label=_("Title"), max_length=120)
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=480, initial=60
    )
    day = forms.TypedChoiceField(
        label=_("Day"),
        required=False,
        coerce=date.fromisoformat,
        empty_value=None,
        help_text=_("Empty: the best time in the whole week."),
    )
    employees = forms.ModelMultipleChoiceField(
        label=_("Employees"),
        queryset=Employee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Employees with a shift in this schedule."),
    )

    def __init__(self, *args, schedule=None, **kwargs):
        from ccops.core.formats import format_date
        from ccops.wfm.choices import ActivityKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ActivityKind.choices
        days = [schedule.week_start + timedelta(days=d) for d in range(7)]
        self.fields["day"].choices = [("", _("Any day of the week"))] + [
            (d.isoformat(), format_date(d)) for d in days
        ]
        self.fields["employees"].queryset = (
            Employee.objects.filter(shifts__schedule=schedule).distinct().order_by("full_name")
        )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How does this schedule work for you?"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "—"),
            (5, _("5: works well")),
            (4, _("4")),
            (3, _("3")),
            (2, _("2")),
            (1, _("1: does not work for me")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
