"""Stage-1 lower bounds (LP, rounded up, HiGHS MIP) and the neighbourhood re-planning."""

import time

import numpy as np
import pytest

from benchmarks.schedule_instances import synthetic_need, synthetic_templates
from ccops.engine.schedule.bound import integer_bound, lp_dive, lp_relaxation, mip_bound
from ccops.engine.schedule.cover import (
    CoverSettings,
    cover,
    disaggregate,
    objective_of,
    uncoverable_intervals,
)
from ccops.engine.schedule.lns import improve_by_days
from ccops.engine.schedule.model import Pool, build_model
from ccops.engine.schedule.templates import parse_templates

BREAKS = [
    {
        "name": "break",
        "length_minutes": 15,
        "earliest_after_start_minutes": 60,
        "latest_after_start_minutes": 150,
    },
    {
        "name": "lunch",
        "length_minutes": 30,
        "earliest_after_start_minutes": 180,
        "latest_after_start_minutes": 270,
        "paid": False,
    },
]


def _instance(days=2, seed=3):
    """A noisy two-peak need over ``days`` days, three templates with two breaks each."""
    rng = np.random.default_rng(seed)
    hours = (np.arange(96) + 0.5) / 4
    shape = 2 + 9 * np.exp(-(((hours - 11) / 2.5) ** 2)) + 6 * np.exp(-(((hours - 16) / 2) ** 2))
    shape[(hours < 7) | (hours > 21)] = 0
    need = np.concatenate([np.rint(shape * rng.uniform(0.8, 1.2, 96)) for _ in range(days)])
    lib = parse_templates(
        {
            "templates": [
                {
                    "name": n,
                    "start_earliest": a,
                    "start_latest": b,
                    "length_minutes": length,
                    "breaks": BREAKS,
                }
                for n, a, b, length in (
                    ("early", "07:00", "09:00", 480),
                    ("mid", "10:00", "12:00", 480),
                    ("late", "13:00", "14:30", 450),
                )
            ]
        }
    )
    offered = [[("normal", t) for t in lib.sets["normal"]] for _ in range(days)]
    return need.astype(int), offered


@pytest.mark.parametrize("weights", [(1.0, 1.0, 0.0), (3.0, 1.0, 1.0)])
def test_mip_bound_lies_between_the_lp_bound_and_the_schedule_found(weights):
    need, offered = _instance()
    settings = CoverSettings(*weights, time_limit_seconds=8)
    model = build_model(
        need,
        15,
        offered,
        under_weight=weights[0],
        over_weight=weights[1],
        paid_off_floor_weight=weights[2],
    )
    lp = lp_relaxation(model)
    mb = mip_bound(model, 5)
    res = cover(need, 15, offered, settings)
    assert res.lp_bound == pytest.approx(lp.value)
    assert lp.value - 1e-6 <= mb.value <= res.objective + 1e-6
    assert lp.value - 1e-6 <= integer_bound(lp.value, model) <= res.objective + 1e-6
    assert integer_bound(mb.value, model) <= res.objective + 1e-6
    if mb.incumbent is not None:
        assert mb.value <= mb.incumbent + 1e-6


def test_integer_bound_rounds_up_only_for_whole_number_costs():
    need, offered = _instance(days=1)
    whole = build_model(need, 15, offered, under_weight=3, over_weight=1, paid_off_floor_weight=1)
    assert integer_bound(8.2, whole) == 9.0
    assert integer_bound(9.0, whole) == 9.0
    assert integer_bound(9.0 + 1e-9, whole) == 9.0
    frac = build_model(need, 15, offered, under_weight=2.5, over_weight=1, paid_off_floor_weight=1)
    assert integer_bound(8.2, frac) == 8.2


def test_mip_bound_rejects_a_bad_time_limit():
    need, offered = _instance(days=1)
    model = build_model(need, 15, offered, under_weight=1, over_weight=1, paid_off_floor_weight=0)
    with pytest.raises(ValueError, match="seconds"):
        mip_bound(model, 0)


@pytest.mark.parametrize(
    "hoods",
    [
        {},
        {"radius": 1},
        {"window_intervals": 16, "step_intervals": 8, "radius": 2},
    ],
    ids=["days", "days-radius", "windows-radius"],
)
def test_replanning_never_worsens_and_keeps_breaks_valid(hoods):
    need, offered = _instance(days=2)
    settings = CoverSettings(under_weight=3, over_weight=1, paid_off_floor_weight=1)
    model = build_model(need, 15, offered, under_weight=3, over_weight=1, paid_off_floor_weight=1)

    def score(values):
        return objective_of(disaggregate(model, values), need, settings)[3]

    lp = lp_relaxation(model)
    dive = lp_dive(model, lp.solution, deadline=time.perf_counter() + 10)
    zero = np.zeros(model.n_shift_vars, dtype=np.int64)
    found = []
    for start in (zero, dive):
        better = improve_by_days(
            model,
            start,
            score,
            deadline=time.perf_counter() + 4,
            under_weight=3,
            over_weight=1,
            seconds_per_day=1,
            **hoods,
        )
        assert score(better) <= score(start) + 1e-9
        assert score(better) >= lp.value - 1e-6
        for s in disaggregate(model, better):  # raises if a break left its window
            assert len(s.breaks) == 2
        found.append(score(better))
    # from nothing (everything understaffed), even a radius-limited search finds shifts
    assert found[0] < score(zero)


def test_night_templates_reach_all_synthetic_need_and_without_them_the_night_is_named():
    need = synthetic_need()
    for night, reached in ((True, True), (False, False)):
        lib = synthetic_templates(night=night)
        assert len(lib.sets["normal"]) == (32 if night else 30)
        for t in lib.sets["normal"]:
            assert [b.length_minutes for b in t.breaks] == [15, 30]
        offered = [[("normal", t) for t in lib.sets["normal"]] for _ in range(7)]
        model = build_model(
            need, 15, offered, under_weight=1, over_weight=1, paid_off_floor_weight=0
        )
        lost = uncoverable_intervals(model)
        assert (not lost.any()) == reached
        if not reached:
            hours = (np.arange(need.size) % 96) / 4
            # only night hours are out of reach, and all of them carry need
            assert np.all((hours[lost] < 6) | (hours[lost] >= 23))
            assert need[lost].sum() > 100


def test_neighbourhoods_solved_together_touch_disjoint_intervals():
    """Day d and day d+2 may run on parallel threads; adjacent days share intervals."""
    from ccops.engine.schedule.lns import _hoods, _make_hood

    need = synthetic_need()
    lib = synthetic_templates()
    offered = [[("normal", t) for t in lib.sets["normal"]] for _ in range(7)]
    model = build_model(need, 15, offered, under_weight=1, over_weight=1, paid_off_floor_weight=0)
    cov = model.coverage.tocsc()
    a_eq = model.a_eq.tocsr()[:, : model.n_shift_vars]
    a_ub = model.a_ub.tocsr()[:, : model.n_shift_vars]
    days = [
        _make_hood(f, cov, model.n_intervals, a_eq, a_ub) for f in _hoods(model, None, None)[:7]
    ]
    for d in range(5):
        # the night shift starting at 22:00 reaches into the next day
        assert np.intersect1d(days[d].touched, days[d + 1].touched).size > 0
        assert np.intersect1d(days[d].touched, days[d + 2].touched).size == 0
    # every break-window row of a day's groups lies inside the day's neighbourhood
    assert sum(h.eq_rows.size for h in days) == model.a_eq.shape[0]
    assert sum(h.ub_rows.size for h in days) == model.a_ub.shape[0]


@pytest.mark.parametrize("workers", [1, 2])
def test_parallel_replanning_matches_the_objective_it_reports(workers):
    need, offered = _instance(days=4)
    settings = CoverSettings(under_weight=3, over_weight=1, paid_off_floor_weight=1)
    model = build_model(need, 15, offered, under_weight=3, over_weight=1, paid_off_floor_weight=1)
    seen = []

    def score(values):
        value = objective_of(disaggregate(model, values), need, settings)[3]
        seen.append(value)
        return value

    start = np.zeros(model.n_shift_vars, dtype=np.int64)
    better = improve_by_days(
        model,
        start,
        score,
        deadline=time.perf_counter() + 6,
        under_weight=3,
        over_weight=1,
        seconds_per_day=1,
        window_intervals=24,
        step_intervals=12,
        workers=workers,
    )
    final = objective_of(disaggregate(model, better), need, settings)[3]
    assert final == min(seen) < seen[0]
    assert final >= lp_relaxation(model).value - 1e-6


def test_highs_banner_does_not_reach_stdout():
    """HiGHS prints a copyright line on its first instance; `ccops schedule` writes to stdout."""
    import subprocess
    import sys

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import ccops.engine.schedule.lns, highspy; highspy.Highs(); print('done')",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == "done\n"


@pytest.mark.parametrize("deterministic", [False, True])
def test_rins_keeps_the_counts_that_agree_with_the_lp_and_improves_the_rest(deterministic):
    from ccops.engine.schedule.lns import improve_by_rins, rins_free

    need, offered = _instance(days=2)
    settings = CoverSettings(under_weight=3, over_weight=1, paid_off_floor_weight=1)
    model = build_model(need, 15, offered, under_weight=3, over_weight=1, paid_off_floor_weight=1)

    def score(values):
        return objective_of(disaggregate(model, values), need, settings)[3]

    lp = lp_relaxation(model)
    dive = lp_dive(model, lp.solution, deadline=time.perf_counter() + 10).astype(np.int64)
    # spoil the dive: one shift more at each group's first start, with its breaks at
    # their earliest (valid for that start, and the break totals still match)
    spoilt = dive.copy()
    for g in model.groups:
        spoilt[g.x_index[0]] += 1
        for y in g.y_index:
            spoilt[y[0]] += 1
    assert score(spoilt) > score(dive)
    free = rins_free(spoilt, lp.solution)
    kept = np.setdiff1d(np.arange(model.n_shift_vars), free)
    assert np.all(np.abs(spoilt[kept] - lp.solution[kept]) < 0.5)
    better = improve_by_rins(
        model,
        spoilt,
        lp.solution,
        score,
        deadline=time.perf_counter() + 20,
        under_weight=3,
        over_weight=1,
        seconds=2,
        workers=2,
        deterministic=deterministic,
        rounds=1,
    )
    assert score(better) < score(spoilt)
    assert score(better) >= lp.value - 1e-6
    np.testing.assert_array_equal(better[kept], spoilt[kept])  # one round: the rest held
    for s in disaggregate(model, better):  # raises if a break left its window
        assert len(s.breaks) == 2


def _count_solves(monkeypatch) -> list[int]:
    """The free-variable count of every neighbourhood MIP solved from now on."""
    from ccops.engine.schedule import lns

    solved: list[int] = []
    real = lns._solve_neighbourhood

    def counting(*args, **kwargs):
        solved.append(args[2].free.size)
        return real(*args, **kwargs)

    monkeypatch.setattr(lns, "_solve_neighbourhood", counting)
    return solved


def test_a_neighbourhood_proved_optimal_is_not_solved_again_in_the_same_context(monkeypatch):
    from ccops.engine.schedule import lns

    need, offered = _instance(days=2)
    settings = CoverSettings(under_weight=3, over_weight=1, paid_off_floor_weight=1)
    model = build_model(need, 15, offered, under_weight=3, over_weight=1, paid_off_floor_weight=1)

    def score(values):
        return objective_of(disaggregate(model, values), need, settings)[3]

    solved = _count_solves(monkeypatch)
    hoods = lns._hoods(model, None, None)
    result = lns.improve_by_days(
        model,
        np.zeros(model.n_shift_vars, dtype=np.int64),
        score,
        deadline=time.perf_counter() + 60,
        under_weight=3,
        over_weight=1,
        seconds_per_day=20,  # every day of this small instance is solved to optimality
        workers=1,
    )
    # the sweeps stop once one does not improve: neighbourhoods solved to optimality in
    # an unchanged context are skipped, so the last sweep solves fewer than all of them
    sweeps_run = len(solved) / len(hoods)
    assert len(solved) < len(hoods) * np.ceil(sweeps_run)
    assert score(result) < score(np.zeros(model.n_shift_vars))


@pytest.mark.parametrize("limits", [False, True])
def test_a_day_solved_to_optimality_stays_settled_while_other_days_use_the_weeks_room(
    monkeypatch, limits
):
    """A pool's limits (agents a day, shifts and paid minutes a week) are rows shared by
    every day: another day taking more of the week's room, while this day's answer still
    fits, keeps its answer optimal, and it is not solved again."""
    from ccops.engine.schedule import lns

    need, offered = _instance(days=2)  # no template crosses midnight: the days share no interval
    settings = CoverSettings(under_weight=3, over_weight=1, paid_off_floor_weight=1)
    pools = None
    if limits:
        pools = [
            Pool((0,), daily_agents=(40, 40), weekly_shifts=(70,), weekly_paid_minutes=(40000,))
        ]
    model = build_model(
        need, 15, offered, under_weight=3, over_weight=1, paid_off_floor_weight=1, pools=pools
    )

    def score(values):
        return objective_of(disaggregate(model, values), need, settings, model.pools)[3]

    days = [
        np.concatenate(
            [np.concatenate([g.x_index, *g.y_index]) for g in model.groups if g.day == d]
        ).astype(np.int64)
        for d in (0, 1)
    ]
    monkeypatch.setattr(lns, "_hoods", lambda *_args: days)
    solved = _count_solves(monkeypatch)
    start = np.zeros(model.n_shift_vars, dtype=np.int64)
    result = lns.improve_by_days(
        model,
        start,
        score,
        deadline=time.perf_counter() + 60,
        under_weight=3,
        over_weight=1,
        seconds_per_day=20,  # each day of this small instance is solved to optimality
        workers=1,
    )
    assert score(result) < score(start)
    # the first sweep solves both days (day 1 after day 0, taking shifts of the week);
    # the second finds both settled and ends the search
    assert len(solved) == 2


def test_work_limit_stops_highs_at_the_same_point_with_the_same_answer(monkeypatch):
    import highspy

    from ccops.engine.schedule import lns

    need, offered = _instance(days=2)
    model = build_model(need, 15, offered, under_weight=3, over_weight=1, paid_off_floor_weight=1)
    values = np.zeros(model.n_shift_vars, dtype=np.int64)
    cov = model.coverage.tocsc()
    nv = model.n_shift_vars
    hood = lns._make_hood(
        np.arange(nv),
        cov,
        model.n_intervals,
        model.a_eq.tocsr()[:, :nv],
        model.a_ub.tocsr()[:, :nv],
    )
    statuses = []
    real = highspy.Highs.run

    def run(h):
        out = real(h)
        statuses.append(h.getModelStatus())
        return out

    monkeypatch.setattr(highspy.Highs, "run", run)
    used: list[int] = []
    answers = [
        lns._solve_neighbourhood(model, values, hood, (3, 1), 60, 0, None, cov, 3, None, used)
        for _ in range(2)
    ]
    # the whole two-day problem is not solved in three checks: HiGHS was interrupted
    assert statuses == [highspy.HighsModelStatus.kInterrupt] * 2
    assert used == [3, 3]
    np.testing.assert_array_equal(answers[0], answers[1])


def test_deterministic_stage_one_gives_the_same_schedule_twice():
    """Every phase of the single-pool pipeline (LP dive, RINS, windows, days) stops on
    work limits and a clock of estimated work, and two runs give the same shifts."""
    need = synthetic_need(peak=40)[: 2 * 96]
    library = synthetic_templates()
    offered = [[("normal", t) for t in library.sets["normal"]] for _ in range(2)]
    settings = CoverSettings(time_limit_seconds=2, deterministic=True)
    runs = [cover(need, 15, offered, settings) for _ in range(2)]
    keys = [
        [(s.template, s.start, tuple(b.start for b in s.breaks)) for s in r.shifts] for r in runs
    ]
    assert keys[0] == keys[1]
    assert runs[0].objective == runs[1].objective
    assert runs[0].objective >= runs[0].lp_bound - 1e-6
