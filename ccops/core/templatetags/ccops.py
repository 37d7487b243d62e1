"""Template helpers: render a model field of a row for tables and detail pages."""

from __future__ import annotations

import datetime

from django import template
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ccops.core import audit_labels, formats
from ccops.core.detail_panels import panels_for_object
from ccops.core.names import person_name

register = template.Library()


def _value(obj, path: str):
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part, None)
        if callable(value) and not isinstance(value, models.Model):
            value = value()
    return value


@register.simple_tag
def cell(obj, path: str, link: bool = False):
    """The display value of ``obj.<path>`` (choices shown by label, rows linked)."""
    value = _value(obj, path)
    if value is None or value == "":
        text = "—"
    elif isinstance(value, bool):
        text = _("yes") if value else _("no")
    elif isinstance(value, AbstractBaseUser):
        text = person_name(value)
    elif isinstance(value, datetime.datetime):
        text = formats.format_datetime(value)
    elif isinstance(value, datetime.date):
        text = formats.format_date(value)
    else:
        text = str(value)
    url = None
    if link and hasattr(obj, "get_absolute_url"):
        url = obj.get_absolute_url()
    elif isinstance(value, models.Model) and hasattr(value, "get_absolute_url"):
        try:
            url = value.get_absolute_url()
        except Exception:
            url = None
    if url:
        return format_html('<a href="{}">{}</a>', url, text)
    return text


@register.filter
def jsonvalue(value):
    """A before/after value of an audit entry, compact."""
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.filter
def audit_action(code):
    """An audit action code in the reader's language (``handover_sign`` -> "signed")."""
    return audit_labels.action_label(code)


@register.filter
def audit_fields(entry):
    """The changed fields of an audit entry, by their translated names."""
    return ", ".join(audit_labels.field_labels(entry))


@register.simple_tag
def audit_field(entry, name):
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    return audit_labels.field_label(model, name)


# --- dates and times: one helper (ccops.core.formats) ---------------------------------------


@register.filter
def fdatetime(value, zone=None):
    """``{{ shift.start|fdatetime }}`` or ``{{ shift.start|fdatetime:site }}``."""
    return formats.format_datetime(value, zone)


@register.filter
def fdatetime_long(value, zone=None):
    return formats.format_datetime(value, zone, long=True)


@register.filter
def fdate(value, zone=None):
    return formats.format_date(value, zone)


@register.filter
def fdate_long(value, zone=None):
    return formats.format_date(value, zone, long=True)


@register.filter
def ftime(value, zone=None):
    return formats.format_time(value, zone)


@register.simple_tag
def frange(start, end, zone=None):
    """``{% frange shift.start shift.end %}``: ``2026-12-09 07:30–15:30``."""
    return formats.format_range(start, end, zone)


@register.filter
def fday_span(start, end):
    """``{{ leave.start|fday_span:leave.end }}``: ``2026-12-09`` or ``2026-12-09 – 2026-12-11``."""
    return formats.format_day_span(start, end)


# --- people, not logins (ccops.core.names) --------------------------------------------------


@register.filter
def person(user):
    """``{{ request.decided_by|person }}``: the employee's name, not the login name."""
    return person_name(user)


@register.filter
def person_number(user):
    """``{{ handover.signed_by|person_number }}``: ``Li Hua (E0042)``."""
    return person_name(user, number=True)


# --- other apps' panels on a record's page (ccops.core.detail_panels) -----------------------


@register.simple_tag(takes_context=True)
def detail_panels(context, obj):
    """``{% detail_panels object %}``: the panels other apps registered for this record."""
    request = context.get("request")
    if request is None or obj is None:
        return ""
    parts = [
        render_to_string(panel.template, {"panel": data, "object": obj}, request=request)
        for panel, data in panels_for_object(request, obj)
    ]
    return mark_safe("".join(parts))
