"""Leave types, yearly entitlements by years of service, balance adjustments (issue 18
point 8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ccops.core.models import AuditEntry
from ccops.core.testing import build_world
from ccops.people import services
from ccops.people.models import LeaveAdjustment, LeaveEntitlementRule, LeaveType

PRC = [(1, 5), (10, 10), (20, 15)]


def days(hire, year, steps=PRC):
    return services.entitlement_days(hire_date=hire, year=year, steps=steps)


def test_prc_annual_leave_steps_by_years_of_service():
    assert days(date(2026, 3, 1), 2026) == 0  # less than a year
    assert days(date(2020, 1, 1), 2026) == 5  # 6 years
    assert days(date(2015, 1, 1), 2026) == 10  # 11 years
    assert days(date(2000, 1, 1), 2026) == 15  # 26 years
    assert days(None, 2026) == 0  # hire date unknown: no years of service
    assert days(date(2000, 1, 1), 2026, steps=[]) == 0


def test_the_year_a_step_is_reached_is_prorated_and_fractions_dropped():
    # reaches 1 year on 2026-07-02: 5 days x 183/365 = 2.5 -> 2
    assert days(date(2025, 7, 2), 2026) == 2
    # reaches 10 years on 2026-07-01: 5 x 181/365 + 10 x 184/365 = 7.5 -> 7
    assert days(date(2016, 7, 1), 2026) == 7
    # a flat entitlement from day one, hired mid-year: prorated from the hire date
    assert days(date(2026, 10, 1), 2026, steps=[(0, 12)]) == 3
    # hired on 29 February: the anniversary falls on 1 March
    assert services.service_years(date(2024, 2, 29), date(2025, 2, 28)) == 0
    assert services.service_years(date(2024, 2, 29), date(2025, 3, 1)) == 1


@pytest.mark.django_db
def test_seed_gives_the_default_types_once_and_keeps_edits():
    w = build_world()
    made = services.leave_types_seed(site=w.site, actor=w.users["center_director"])
    codes = {t.code for t in made}
    assert {"annual", "sick", "personal", "marriage", "bereavement", "compensatory"} <= codes
    assert {"maternity", "paternity"} <= codes
    annual = LeaveType.objects.get(site=w.site, code="annual")
    assert (
        annual.counts_against_balance
        and not LeaveType.objects.get(site=w.site, code="sick").counts_against_balance
    )
    assert [(r.min_years, r.days) for r in annual.rules.all()] == [
        (1, Decimal(5)),
        (10, Decimal(10)),
        (20, Decimal(15)),
    ]
    services.leave_type_update(
        leave_type=annual, data={"name": "Paid annual leave"}, actor=w.users["center_director"]
    )
    assert services.leave_types_seed(site=w.site, actor=w.users["center_director"]) == []
    assert LeaveType.objects.get(pk=annual.pk).name == "Paid annual leave"
    assert str(LeaveType.objects.get(site=w.site, code="sick")) == "sick leave"


@pytest.mark.django_db
def test_changing_a_step_archives_the_old_one():
    w = build_world()
    director = w.users["center_director"]
    services.leave_types_seed(site=w.site, actor=director)
    annual = LeaveType.objects.get(site=w.site, code="annual")
    services.leave_rule_set(leave_type=annual, min_years=1, days=7, actor=director)
    assert next((r.min_years, r.days) for r in annual.rules.all()) == (1, Decimal(7))
    old = LeaveEntitlementRule.all_objects.filter(leave_type=annual, min_years=1)
    assert old.count() == 2 and old.filter(archived_at__isnull=False).count() == 1
    sick = LeaveType.objects.get(site=w.site, code="sick")
    with pytest.raises(ValidationError, match="no balance"):
        services.leave_rule_set(leave_type=sick, min_years=0, days=5, actor=director)


@pytest.mark.django_db
def test_adjustments_need_a_reason_are_audited_and_scoped():
    w = build_world()
    director = w.users["center_director"]
    services.leave_types_seed(site=w.site, actor=director)
    annual = LeaveType.objects.get(site=w.site, code="annual")
    agent = w.employees["agent"]
    data = dict(employee=agent, leave_type=annual, year=2026, days=2)
    with pytest.raises(ValidationError, match="why"):
        services.leave_adjustment_add(reason="  ", actor=director, **data)
    with pytest.raises(ValidationError, match="zero"):
        services.leave_adjustment_add(**{**data, "days": 0}, reason="x", actor=director)
    sick = LeaveType.objects.get(site=w.site, code="sick")
    with pytest.raises(ValidationError, match="no balance"):
        services.leave_adjustment_add(**{**data, "leave_type": sick}, reason="x", actor=director)
    adj = services.leave_adjustment_add(reason="Advance for the wedding", actor=director, **data)
    assert AuditEntry.objects.for_object(adj).filter(action="leave_adjustment_add").exists()
    # a group manager may not adjust (no permission) and not outside their teams
    with pytest.raises(PermissionDenied):
        services.leave_adjustment_add(
            **{**data, "employee": w.other_employee}, reason="x", actor=w.users["group_manager"]
        )
    assert not w.users["group_manager"].has_perm("people.add_leaveadjustment")
    assert not director.has_perm("people.change_leaveadjustment")  # never edited
    assert LeaveAdjustment.objects.filter(employee=agent).count() == 1
