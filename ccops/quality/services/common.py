"""Helpers the quality services share: months in a site's time zone, the acting employee,
the site's settings."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ccops.core import audit
from ccops.core.models import Site
from ccops.people.models import Employee
from ccops.people.services import employee_for
from ccops.quality.models import QualitySettings


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    first = month_start(day)
    return (first + dt.timedelta(days=32)).replace(day=1)


def month_bounds(site: Site, month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of the calendar month of ``month`` in the site's zone, as aware
    datetimes."""
    zone = site.zone
    start = dt.datetime.combine(month_start(month), dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(next_month(month), dt.time(0), tzinfo=zone)
    return start, end


def quarter_of(month: dt.date) -> tuple[int, int]:
    return month.year, (month.month - 1) // 3 + 1


def acting_employee(actor) -> Employee:
    employee = employee_for(actor)
    if employee is None:
        raise PermissionDenied(_("Your account has no employee record."))
    return employee


def settings_for(site: Site) -> QualitySettings:
    """The site's quality settings (created with the defaults when missing)."""
    found = QualitySettings.objects.filter(site=site).first()
    if found is None:
        with audit.action("quality_settings_default"):
            found = QualitySettings.objects.create(site=site)
    return found
