import numpy as np
import pytest

from ccops.engine.schedule.cover import CoverSettings, cover, objective_of
from ccops.engine.schedule.greedy import greedy_cover
from ccops.engine.schedule.templates import parse_templates

FAST = CoverSettings(time_limit_seconds=10)


def offered(templates, days=1):
    lib = parse_templates({"templates": templates})
    return [[("normal", t) for t in lib.sets["normal"]] for _ in range(days)]


def test_flat_need_is_covered_exactly_by_one_template():
    need = np.zeros(96, dtype=int)
    need[32:64] = 3  # 08:00-16:00
    days = offered(
        [{"name": "day", "start_earliest": "06:00", "start_latest": "10:00", "length_minutes": 480}]
    )
    res = cover(need, 15, days, FAST)
    assert len(res.shifts) == 3
    assert {s.start for s in res.shifts} == {32}
    assert res.under_agent_intervals == res.over_agent_intervals == 0
    assert res.objective == 0 and res.lp_bound == pytest.approx(0) and res.gap == 0
    np.testing.assert_array_equal(res.coverage, need)


def test_breaks_are_staggered_inside_their_windows_and_coverage_holds():
    # 4 on the phones 08:00-16:00; a 30-minute break each, starting 2h-4h in: five
    # agents whose breaks follow one another exactly fill the 2.5 hours of break window
    need = np.zeros(96, dtype=int)
    need[32:64] = 4
    days = offered(
        [
            {
                "name": "day",
                "start_earliest": "08:00",
                "length_minutes": 480,
                "breaks": [
                    {
                        "name": "b",
                        "length_minutes": 30,
                        "earliest_after_start_minutes": 120,
                        "latest_after_start_minutes": 240,
                        "paid": False,
                    }
                ],
            }
        ]
    )
    res = cover(need, 15, days, CoverSettings(under_weight=10, time_limit_seconds=10))
    assert res.under_agent_intervals == 0
    assert len(res.shifts) == 5
    for s in res.shifts:
        (b,) = s.breaks
        assert s.start + 8 <= b.start <= s.start + 16
    # never two agents away at once, so coverage never drops below 4
    assert res.coverage[32:64].min() == 4
    assert sorted(s.breaks[0].start for s in res.shifts) == [40, 42, 44, 46, 48]
    settings = CoverSettings(under_weight=10, time_limit_seconds=10)
    coverage, _, _, obj = objective_of(res.shifts, need, settings)
    np.testing.assert_array_equal(coverage, res.coverage)
    assert obj == res.objective and res.lp_bound <= obj + 1e-9


def test_shift_crossing_midnight_counts_on_the_next_day():
    need = np.zeros(2 * 96, dtype=int)
    need[88:96] = 2  # 22:00-24:00 on day 0
    need[96:104] = 2  # 00:00-02:00 on day 1
    days = offered(
        [{"name": "night", "start_earliest": "22:00", "length_minutes": 240, "days": ["mon"]}],
        days=2,
    )
    res = cover(need, 15, days, FAST)
    assert len(res.shifts) == 2 and all(s.day == 0 and s.end == 104 for s in res.shifts)
    np.testing.assert_array_equal(res.coverage, need)


def test_need_no_template_can_reach_is_flagged_not_fatal():
    need = np.zeros(96, dtype=int)
    need[8:16] = 4  # 02:00-04:00
    need[40:48] = 1
    days = offered([{"name": "day", "start_earliest": "09:00", "length_minutes": 240}])
    res = cover(need, 15, days, FAST)
    assert res.uncoverable[8:16].all() and not res.uncoverable[40:48].any()
    assert res.under_agent_intervals >= 32


def test_shifts_spilling_past_the_horizon_are_paid_but_not_counted():
    need = np.zeros(96, dtype=int)
    need[92:96] = 1  # 23:00-24:00
    days = offered([{"name": "n", "start_earliest": "23:00", "length_minutes": 120}])
    res = cover(need, 15, days, FAST)
    assert res.coverage.size == 96 and res.over_agent_intervals == 0
    assert res.objective == pytest.approx(4 * FAST.paid_off_floor_weight)


def test_greedy_baseline_is_a_valid_schedule_not_better_than_the_bound():
    need = np.zeros(96, dtype=int)
    need[28:80] = np.r_[np.full(20, 6), np.full(32, 9)]
    days = offered(
        [
            {
                "name": "a",
                "start_earliest": "06:00",
                "start_latest": "12:00",
                "length_minutes": 480,
                "breaks": [
                    {
                        "name": "b",
                        "length_minutes": 15,
                        "earliest_after_start_minutes": 60,
                        "latest_after_start_minutes": 180,
                    }
                ],
            }
        ]
    )
    res = cover(need, 15, days, FAST)
    g = greedy_cover(need, 15, days, FAST)
    assert g
    for s in g:
        (b,) = s.breaks
        assert s.start + 4 <= b.start <= s.start + 12
    _, _, _, gobj = objective_of(g, need, FAST)
    assert res.lp_bound <= gobj + 1e-9 and res.lp_bound <= res.objective + 1e-9


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="under_weight"):
        CoverSettings(under_weight=-1)
    with pytest.raises(ValueError, match="need has 10 intervals"):
        cover(np.zeros(10), 15, [[]])


def test_day_replanning_improves_a_poor_start_and_keeps_breaks_valid():
    import time

    from ccops.engine.schedule.cover import disaggregate
    from ccops.engine.schedule.lns import improve_by_days
    from ccops.engine.schedule.model import build_model

    need = np.zeros(2 * 96, dtype=int)
    need[32:64] = 4
    need[96 + 36 : 96 + 70] = 3
    days = offered(
        [
            {
                "name": "a",
                "start_earliest": "07:00",
                "start_latest": "10:00",
                "length_minutes": 480,
                "breaks": [
                    {
                        "name": "b",
                        "length_minutes": 30,
                        "earliest_after_start_minutes": 120,
                        "latest_after_start_minutes": 240,
                    }
                ],
            }
        ],
        days=2,
    )
    settings = CoverSettings(under_weight=3, over_weight=1, paid_off_floor_weight=0)
    model = build_model(need, 15, days, under_weight=3, over_weight=1, paid_off_floor_weight=0)

    def score(values):
        return objective_of(disaggregate(model, values), need, settings)[3]

    start = np.zeros(model.n_shift_vars, dtype=np.int64)
    better = improve_by_days(
        model, start, score, deadline=time.perf_counter() + 10, under_weight=3, over_weight=1
    )
    assert score(better) < score(start)
    for s in disaggregate(model, better):
        (b,) = s.breaks
        assert s.start + 8 <= b.start <= s.start + 16
