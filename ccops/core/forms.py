"""Forms of the core pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccops.core.models import CalendarPeriod, Queue, Site


class DateInput(forms.DateInput):
    input_type = "date"


class ScopedFormMixin:
    """Limit each model-choice field to the rows the user may view."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None:
            return
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, "view")
        self._one_site_chosen()

    def _one_site_chosen(self) -> None:
        """A ``site`` field with one site to choose from has it chosen already."""
        field = self.fields.get("site")
        if field is None or getattr(field, "queryset", None) is None or self.is_bound:
            return
        instance = getattr(self, "instance", None)
        if self.initial.get("site") or getattr(instance, "site_id", None):
            return
        sites = list(field.queryset[:2])
        if len(sites) == 1:
            self.initial["site"] = sites[0].pk


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["code", "name", "time_zone", "interval_minutes", "address"]


class QueueForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Queue
        fields = [
            "site",
            "code",
            "name",
            "channel",
            "service_level_percent",
            "service_level_seconds",
            "description",
        ]


class CalendarPeriodForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = CalendarPeriod
        fields = ["site", "kind", "name", "start_date", "end_date", "notes"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for a token that does not expire."),
    )
