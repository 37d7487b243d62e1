"""The synthetic call center: statistics, determinism and speed-independent checks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ccops.engine.io.calls import ABANDONED, ANSWERED
from ccops.engine.synthetic import QUEUE_TEMPLATES, generate_center, intraday_profile


@pytest.fixture(scope="module")
def center():
    return generate_center(weeks=10, queues=3, seed=7, start=dt.date(2026, 3, 2))


def test_volume_per_week_near_target(center):
    h = center.history
    for spec in center.queues:
        weekly = h.loc[h.queue == spec.name, "calls"].sum() / center.weeks
        target = spec.weekday_calls * 5.75  # sum of the day-of-week factors
        assert 0.85 * target < weekly < 1.2 * target, spec.name


def test_weekday_weekend_and_closed_hours(center):
    h = center.history.assign(day=center.history.interval_start.dt.normalize())
    holidays = set(center.calendar.loc[center.calendar.kind == "holiday", "date"])
    daily = h.groupby("day").calls.sum()
    plain = daily[[d.date() not in holidays for d in daily.index]]
    weekday = plain[plain.index.day_of_week < 5].mean()
    weekend = plain[plain.index.day_of_week >= 5].mean()
    assert 2.5 < weekday / weekend < 5
    night = h[(h.interval_start.dt.hour < 7) | (h.interval_start.dt.hour >= 21)]
    assert night.calls.sum() == 0 and len(night) > 0  # closed hours are present, with 0 calls
    # Every day of the horizon is in the history.
    assert h.day.nunique() == center.weeks * 7


def test_aht_abandonment_service_level(center):
    c = center.calls
    answered = c.outcome == ANSWERED
    share_abandoned = (c.outcome == ABANDONED).mean()
    assert 0.02 < share_abandoned < 0.12
    for spec in center.queues:
        mask = answered & (c.queue == spec.name)
        assert np.nanmean(c.handle_seconds[mask]) == pytest.approx(
            spec.aht_seconds * 1.03, rel=0.06
        )
        # Lognormal: the mean well above the median.
        ratio = np.nanmean(c.handle_seconds[mask]) / np.nanmedian(c.handle_seconds[mask])
        assert 1.25 < ratio < 1.8
    within = (c.wait_seconds[answered] <= center.target_seconds).mean()
    assert 0.6 < within < 0.95
    assert (c.agent[answered] != "").all() and (c.agent[~answered] == "").all()
    assert set(c.agent[answered]) <= {a.agent_id for a in center.agents}


def test_special_days(center):
    cal = center.calendar
    assert set(cal.kind) <= {"billing_period", "holiday", "campaign", "emergency", "outage"}
    assert {"billing_period", "holiday", "outage"} <= set(cal.kind)
    h = center.history
    outage = cal.loc[cal.kind == "outage", "date"].iloc[0]
    day = h[h.interval_start.dt.date == outage]
    hours = day.interval_start.dt.hour
    assert day.loc[(hours >= 10) & (hours < 13), "calls"].sum() == 0
    assert day.loc[(hours >= 8) & (hours < 10), "calls"].sum() > 0
    billing = h[h.queue == "Billing"].assign(d=lambda x: x.interval_start.dt.date)
    per_day = billing.groupby("d").calls.sum()
    bill_days = set(cal.loc[cal.kind == "billing_period", "date"])
    weekdays = [d for d in per_day.index if d.weekday() < 5 and d not in set(cal.date)]
    bdays = [d for d in per_day.index if d.weekday() < 5 and d in bill_days]
    assert per_day[bdays].mean() > 1.3 * per_day[weekdays].mean()


def test_deterministic_by_seed():
    a = generate_center(weeks=1, queues=2, seed=11)
    b = generate_center(weeks=1, queues=2, seed=11)
    c = generate_center(weeks=1, queues=2, seed=12)
    assert np.array_equal(a.calls.arrival, b.calls.arrival)
    assert np.array_equal(a.calls.wait_seconds, b.calls.wait_seconds)
    assert a.history.equals(b.history)
    assert not np.array_equal(a.history.calls, c.history.calls)


def test_profiles_and_arguments():
    for weekday in range(7):
        p = intraday_profile(weekday, 15)
        assert p.sum() == pytest.approx(1) and (p >= 0).all()
    weekday = intraday_profile(1, 30)
    assert weekday[21] > weekday[25] < weekday[29]  # 10:30 peak, lunch dip, afternoon peak
    with pytest.raises(ValueError, match="weeks"):
        generate_center(weeks=0)
    with pytest.raises(ValueError, match="queues"):
        generate_center(queues=len(QUEUE_TEMPLATES) + 1)
    with pytest.raises(ValueError, match="start"):
        generate_center(start="2026-13-01")


def test_calendar_csv_roundtrip_and_errors(center, tmp_path):
    from ccops.engine.io.calendar import calendar_to_csv_text, read_calendar_csv
    from ccops.engine.io.errors import InputError

    path = tmp_path / "calendar.csv"
    path.write_text(calendar_to_csv_text(center.calendar))
    back = read_calendar_csv(path)
    assert back.equals(center.calendar.reset_index(drop=True))
    path.write_text("date,kind,name\n2026-01-01,holiday,New Year\n2026-01-02,party,x\n")
    with pytest.raises(InputError) as exc:
        read_calendar_csv(path)
    assert (exc.value.line, exc.value.column, exc.value.value) == (3, "kind", "party")
    path.write_text("date,kind\n2026-02-30,holiday\n")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        read_calendar_csv(path)
    path.write_text("date,kind\n2026-01-01,holiday\n2026-01-01,holiday\n")
    with pytest.raises(InputError, match="already has"):
        read_calendar_csv(path)


def test_an_agent_serves_one_call_at_a_time(center):
    import pandas as pd

    c = center.calls
    a = c.outcome == ANSWERED
    df = pd.DataFrame(
        {
            "agent": c.agent[a],
            "start": c.service_start[a],
            "end": c.service_start[a] + c.handle_seconds[a].astype("timedelta64[s]"),
        }
    ).sort_values(["agent", "start"])
    previous_end = df.groupby("agent")["end"].shift()
    assert not (df["start"] < previous_end).any()
    assert (c.service_start[a] >= c.arrival[a]).all()


def test_volume_scale_scales_every_queue_and_default_is_unchanged(center):
    same = generate_center(weeks=10, queues=3, seed=7, start=dt.date(2026, 3, 2), volume_scale=1.0)
    assert same.history.equals(center.history)  # 1.0 is the default: the same center
    small = generate_center(
        weeks=10, queues=3, seed=7, start=dt.date(2026, 3, 2), volume_scale=0.25
    )
    assert small.volume_scale == 0.25
    for spec in center.queues:
        full = center.history.loc[center.history.queue == spec.name, "calls"].sum()
        part = small.history.loc[small.history.queue == spec.name, "calls"].sum()
        assert 0.22 < part / full < 0.28, spec.name
    # Staffing follows the load, so the smaller center still answers most calls in time.
    answered = small.history["answered"].sum() / small.history["calls"].sum()
    assert answered > 0.85
    for bad in (0, -1.0, 101, float("nan"), "0.5", True):
        with pytest.raises(ValueError, match="volume_scale"):
            generate_center(weeks=1, volume_scale=bad)


def test_chinese_holidays():
    from ccops.engine.io.calendar import build_calendar

    china = generate_center(weeks=6, queues=1, seed=2, start=dt.date(2026, 2, 2), holidays="china")
    hol = china.calendar[china.calendar.kind == "holiday"]
    spring = sorted(hol.loc[hol.name == "春节 Spring Festival", "date"])
    assert spring == [dt.date(2026, 2, 15) + dt.timedelta(days=k) for k in range(9)]
    # Holidays run on Sunday volume: the Spring Festival Tuesday is far below a plain Tuesday.
    daily = china.history.groupby(china.history.interval_start.dt.date)["calls"].sum()
    assert daily[dt.date(2026, 2, 17)] < 0.4 * daily[dt.date(2026, 2, 10)]
    western = generate_center(weeks=6, queues=1, seed=2, start=dt.date(2026, 2, 2))
    assert not (western.calendar.kind == "holiday").any()  # no Western holiday in Feb–Mar 2026
    rng = np.random.default_rng(1)
    year = build_calendar(dt.date(2025, 1, 1), 3 * 365, rng, holidays="china")
    names = set(year.loc[year.kind == "holiday", "name"])
    assert not any("Christmas" in n or "Easter" in n for n in names)
    for festival in ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"):
        assert any(n.startswith(festival) for n in names), festival
    days = set(year.loc[year.kind == "holiday", "date"])
    assert {dt.date(2025, 10, 8), dt.date(2026, 9, 25), dt.date(2027, 6, 9)} <= days
    # Outside the table: only the holidays fixed in the Gregorian calendar.
    later = build_calendar(dt.date(2030, 1, 1), 365, rng, holidays="china")
    later_days = later.loc[later.kind == "holiday"]
    assert set(later_days.name) == {
        "元旦 New Year's Day",
        "劳动节 Labour Day",
        "国庆节 National Day",
    }
    assert len(later_days) == 1 + 2 + 3
    with pytest.raises(ValueError, match="holidays must be one of china, western"):
        generate_center(weeks=1, holidays="mars")
