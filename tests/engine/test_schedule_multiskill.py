"""Multi-skill planning: pools, the flow between pools and queues, and the pipeline."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccops.engine.schedule.allocation import allocate, served
from ccops.engine.schedule.bound import lp_relaxation
from ccops.engine.schedule.cover import CoverSettings, cover
from ccops.engine.schedule.model import Pool, build_model
from ccops.engine.schedule.multiskill import greedy_pools, multiskill_lp_bound
from ccops.engine.schedule.plan import PlanSettings, plan_week
from ccops.engine.schedule.rules import DAY, Agent, RosterSettings
from ccops.engine.schedule.templates import parse_templates

FAST = PlanSettings(
    cover=CoverSettings(time_limit_seconds=6),
    roster=RosterSettings(time_limit_seconds=6),
)


def offered(templates, days=1):
    lib = parse_templates({"templates": templates})
    return [[("normal", t) for t in lib.sets["normal"]] for _ in range(days)]


DAY_SHIFT = {
    "name": "day",
    "start_earliest": "08:00",
    "start_latest": "10:00",
    "length_minutes": 480,
}


# --- the flow ---------------------------------------------------------------------------


def test_an_agent_with_two_skills_counts_toward_one_queue_at_a_time():
    need = np.array([[1, 1], [1, 0]])  # queue A and B need one agent each in interval 0
    on_phones = np.array([[1, 1]])  # one agent who holds both skills
    np.testing.assert_array_equal(served(on_phones, need, [(0, 1)]), [1, 1])
    flows = allocate(on_phones, need, [(0, 1)])
    assert flows[0, :, 0].sum() == pytest.approx(1)  # split, never counted twice


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda q: st.tuples(
            st.just(q),
            st.lists(
                st.lists(st.integers(0, q - 1), min_size=1, max_size=q, unique=True),
                min_size=1,
                max_size=5,
            ),
            st.integers(0, 2**32 - 1),
        )
    )
)
def test_max_flow_by_cuts_equals_the_transportation_lp(case):
    n_q, pools, seed = case
    rng = np.random.default_rng(seed)
    need = rng.integers(0, 6, size=(n_q, 8)).astype(float)
    on_phones = rng.integers(0, 5, size=(len(pools), 8)).astype(float)
    by_cuts = served(on_phones, need, pools)
    by_lp = allocate(on_phones, need, pools, balance=False).sum(axis=(0, 1))
    np.testing.assert_allclose(by_cuts, by_lp, atol=1e-6)
    balanced = allocate(on_phones, need, pools)
    np.testing.assert_allclose(balanced.sum(axis=(0, 1)), by_cuts, atol=1e-5)
    assert np.all(balanced.sum(axis=1) <= on_phones + 1e-6)
    assert np.all(balanced.sum(axis=0) <= need + 1e-6)


def test_balanced_allocation_shares_a_shortage():
    # two specialists short: one flexible agent goes where the shortage is relatively worse
    need = np.array([[4.0], [4.0]])
    on_phones = np.array([[3.0], [1.0], [2.0]])  # A-only, B-only, both
    flows = allocate(on_phones, need, [(0,), (1,), (0, 1)])
    per_queue = flows.sum(axis=0)[:, 0]
    assert per_queue.sum() == pytest.approx(6)
    np.testing.assert_allclose(per_queue, [3, 3], atol=1e-6)  # both three quarters staffed
    assert flows[2, 1, 0] == pytest.approx(2)  # the flexible agents went to B


# --- the model ----------------------------------------------------------------------------


def test_one_pool_one_queue_is_the_single_queue_model():
    need = np.zeros(96, dtype=int)
    need[32:64] = 3
    days = offered([DAY_SHIFT])
    one = build_model(need, 15, days, under_weight=3, over_weight=1, paid_off_floor_weight=1)
    assert not one.has_flows
    pooled = build_model(
        need[None, :],
        15,
        days,
        under_weight=3,
        over_weight=1,
        paid_off_floor_weight=1,
        pools=[Pool((0,))],
    )
    assert lp_relaxation(one).value == pytest.approx(lp_relaxation(pooled).value)


def test_multiskill_lp_bound_is_at_least_the_skills_relaxed_bound():
    need = np.zeros((2, 96), dtype=int)
    need[0, 32:64] = 2
    need[1, 32:48] = 2
    days = offered([DAY_SHIFT])
    pools = [Pool((0,), daily_agents=(1,)), Pool((1,), daily_agents=(1,)), Pool((0, 1))]
    kw = {"under_weight": 3, "over_weight": 1, "paid_off_floor_weight": 0}
    model = build_model(need, 15, days, pools=pools, **kw)
    relaxed = build_model(need.sum(axis=0), 15, days, **kw)
    full = multiskill_lp_bound(model, seconds=30)
    assert full is not None
    assert full >= lp_relaxation(relaxed).value - 1e-6


def test_pool_limits_cap_the_shifts_planned_for_a_pool():
    need = np.zeros((1, 96), dtype=int)
    need[0, 32:64] = 5
    res = cover(
        need,
        15,
        offered([DAY_SHIFT]),
        CoverSettings(time_limit_seconds=5),
        pools=[Pool((0,), daily_agents=(2,))],
    )
    assert len(res.shifts) == 2
    assert res.under_agent_intervals == 3 * 32


def test_greedy_pools_give_specialists_their_queue_and_the_flexible_the_rest():
    need = np.zeros((2, 96), dtype=int)
    need[0, 32:64] = 2
    need[1, 32:64] = 1
    days = offered([DAY_SHIFT])
    pools = [Pool((0,), daily_agents=(1,)), Pool((0, 1), daily_agents=(5,))]
    model = build_model(
        need, 15, days, under_weight=3, over_weight=1, paid_off_floor_weight=0, pools=pools
    )
    relaxed = cover(need.sum(axis=0), 15, days, CoverSettings(time_limit_seconds=5))
    assigned = greedy_pools(model, relaxed.shifts)
    assert sorted(s.pool for s in assigned) == [0, 1, 1]


# --- the pipeline ---------------------------------------------------------------------------


def _agents():
    agents = []
    for i in range(4):
        agents.append(Agent(f"a{i}", skills=frozenset({"cards"}), days_off_per_week=2))
    for i in range(3):
        agents.append(Agent(f"b{i}", skills=frozenset({"loans"}), days_off_per_week=2))
    for i in range(2):
        agents.append(Agent(f"x{i}", skills=frozenset({"cards", "loans"}), days_off_per_week=2))
    agents.append(Agent("z", skills=frozenset({"mortgages"})))  # serves no queue of the need
    return agents


def _need(days=7):
    need = np.zeros((2, days * 96), dtype=int)
    for d in range(days):
        need[0, d * 96 + 32 : d * 96 + 64] = 4 if d < 5 else 2
        need[1, d * 96 + 36 : d * 96 + 60] = 3 if d < 5 else 1
    return need


def test_plan_week_rosters_a_center_of_two_queues_under_every_hard_rule():
    plan = plan_week(
        _need(),
        offered([DAY_SHIFT], days=7),
        _agents(),
        interval_minutes=15,
        queues=["cards", "loans"],
        settings=FAST,
    )
    assert plan.violations == ()
    assert plan.excluded_agents == ("z",)
    skills = {a.agent_id: a.skills for a in _agents()}
    for s in plan.shifts:
        assert s.queues and set(s.queues) <= {"cards", "loans"}
        if s.agent_id is not None:
            assert set(s.queues) <= skills[s.agent_id]  # holds every queue of the shift
        else:
            assert s.reason is not None
    # every agent on the phones is counted toward one queue at a time
    np.testing.assert_allclose(plan.coverage_by_queue.sum(axis=0), plan.coverage, atol=1e-6)
    assert plan.cover.objective >= plan.cover.lp_bound - 1e-6
    assert plan.assigned >= 0.9 * len(plan.shifts)


def test_single_queue_input_plans_as_before():
    need = np.zeros(96, dtype=int)
    need[32:64] = 3
    days = offered([DAY_SHIFT])
    agents = [Agent(f"a{i}") for i in range(3)]  # no skills: every agent serves the queue
    plan = plan_week(need, days, agents, interval_minutes=15, settings=FAST)
    direct = cover(need, 15, days, FAST.cover)
    assert len(plan.shifts) == len(direct.shifts) == 3
    assert plan.assigned == 3 and plan.violations == ()
    assert plan.queues == ("",) and all(s.queues == () for s in plan.shifts)


def test_deterministic_mode_gives_the_same_plan_twice():
    settings = PlanSettings(
        cover=CoverSettings(time_limit_seconds=3, deterministic=True),
        roster=RosterSettings(time_limit_seconds=3),
    )
    need = _need(days=3)
    days = offered(
        [
            DAY_SHIFT,
            {**DAY_SHIFT, "name": "late", "start_earliest": "12:00", "start_latest": "13:00"},
        ],
        days=3,
    )
    first = plan_week(
        need, days, None, interval_minutes=15, queues=["cards", "loans"], settings=settings
    )
    again = plan_week(
        need, days, None, interval_minutes=15, queues=["cards", "loans"], settings=settings
    )
    key = [(s.start_minutes, s.template, s.queues, s.breaks) for s in first.shifts]
    assert key == [(s.start_minutes, s.template, s.queues, s.breaks) for s in again.shifts]


def test_leave_lowers_what_a_pool_can_work_on_that_day():
    agents = [
        Agent("a", skills=frozenset({"q"}), leave_days=frozenset({0})),
        Agent("b", skills=frozenset({"q"})),
    ]
    need = np.zeros((2, 96), dtype=int)
    need[0, 32:64] = 2
    plan = plan_week(
        need,
        offered([DAY_SHIFT]),
        agents,
        interval_minutes=15,
        queues=["q", "r"],
        settings=FAST,
    )
    assert plan.pools[0].daily_agents == (1,)
    assert len(plan.shifts) == 1 and plan.shifts[0].agent_id == "b"


def test_unknown_queue_count_is_refused():
    with pytest.raises(ValueError, match="queues"):
        plan_week(np.zeros((2, 96)), offered([DAY_SHIFT]), None, interval_minutes=15, queues=["a"])


def test_multi_day_need_with_a_night_shift_crossing_midnight():
    need = np.zeros((2, 2 * 96), dtype=int)
    need[0, 88:100] = 1  # 22:00-01:00
    days = offered([{"name": "night", "start_earliest": "22:00", "length_minutes": 480}], days=2)
    plan = plan_week(need, days, None, interval_minutes=15, queues=["a", "b"], settings=FAST)
    assert any(s.end_minutes > DAY for s in plan.shifts)
    assert plan.cover.under_agent_intervals == 0


def test_plan_week_plans_like_stage_one_alone_when_the_pools_limits_leave_room():
    """One queue, agents enough: the pool's limits (agents a day, shifts and paid minutes a
    week) bind nowhere, so `plan_week`'s stage 1 plans without their rows, from the same
    LP optimum, and gives the very schedule stage 1 alone gives (deterministic mode)."""
    from benchmarks.schedule_instances import synthetic_need, synthetic_templates

    need = synthetic_need(peak=40)[: 2 * 96]
    library = synthetic_templates()
    days = [[("normal", t) for t in library.sets["normal"]] for _ in range(2)]
    agents = [Agent(f"a{i}") for i in range(80)]
    settings = PlanSettings(
        cover=CoverSettings(time_limit_seconds=2, deterministic=True),
        roster=RosterSettings(time_limit_seconds=2),
    )
    plan = plan_week(need, days, agents, interval_minutes=15, settings=settings)
    assert plan.pools[0].weekly_shifts is not None  # the pool carries its limits
    alone = cover(need, 15, days, settings.cover)

    def key(shifts):
        return [(s.template, s.start, tuple(b.start for b in s.breaks)) for s in shifts]

    assert key(plan.cover.shifts) == key(alone.shifts)
    assert plan.cover.lp_bound == pytest.approx(alone.lp_bound)
    assert plan.violations == ()
