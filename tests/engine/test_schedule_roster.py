import pytest

from ccops.engine.schedule.roster import greedy_roster, roster
from ccops.engine.schedule.rules import DAY, Agent, RosterSettings, RosterShift, check_roster

H = 60
FAST = RosterSettings(time_limit_seconds=10)


def shift(day, start_h, hours=8, template="day"):
    s = day * DAY + start_h * H
    return RosterShift(s, s + hours * H, hours * H, (), template)


def rules_of(violations):
    return sorted({v.rule for v in violations})


def test_checker_catches_every_hard_rule():
    a = Agent(
        "a",
        contract_minutes_per_week=40 * H,
        days_off_per_week=2,
        consecutive_days_off=True,
        stable_start=True,
        max_consecutive_days=3,
        leave_days=frozenset({6}),
        unavailable=((5 * DAY, 5 * DAY + 12 * H),),
        previous_shift_end=-2 * H,
        skills=frozenset({"en"}),
    )
    bad = [
        ("a", shift(0, 7)),  # rest after the previous week: 9 h
        ("a", shift(1, 14)),
        ("a", shift(2, 6)),  # 8 h after the shift ending 22:00; start spread 8 h
        ("a", shift(3, 8)),  # 4th day in a row
        ("a", shift(3, 18)),  # second shift that day
        ("a", shift(5, 8)),  # unavailable
        ("a", shift(6, 8)),  # on leave
        ("a", RosterShift(4 * DAY + 8 * H, 4 * DAY + 16 * H, 480, ("fr",))),  # skills
    ]
    found = rules_of(check_roster(bad, [a], 7, RosterSettings()))
    assert found == sorted(
        {
            "rest_before_horizon",
            "minimum_rest",
            "stable_start",
            "max_consecutive_days",
            "one_shift_per_day",
            "unavailable",
            "leave",
            "skills",
            "days_off",
            "consecutive_days_off",
            "weekly_hours",
        }
    )
    assert check_roster([("a", shift(1, 8))], [a], 7, RosterSettings()) == []


def test_roster_meets_every_hard_rule_and_covers_what_it_can():
    agents = [
        Agent(
            f"a{i}",
            contract_minutes_per_week=40 * H,
            days_off_per_week=2,
            consecutive_days_off=i % 2 == 0,
            stable_start=i % 3 == 0,
            max_consecutive_days=5,
            preferred_start_minutes=8 * H if i == 1 else None,
        )
        for i in range(8)
    ]
    shifts = [shift(d, h) for d in range(7) for h in (7, 8, 13, 14) for _ in range(1)]
    shifts += [shift(d, 22, 8, "night") for d in range(7)]
    res = roster(shifts, agents, 7, FAST)
    pairs = [(a, s) for a, s in zip(res.assignment, shifts, strict=True) if a]
    assert check_roster(pairs, agents, 7, FAST) == []
    assert res.soft_counts["unassigned_shifts"] == len(res.unassigned_reasons)
    # 8 agents x 5 days = 40 >= 35 shifts, but rest rules make some shifts impossible
    assert len(pairs) >= 30
    greedy = greedy_roster(shifts, agents, 7, FAST)
    gpairs = [(a, s) for a, s in zip(greedy, shifts, strict=True) if a]
    assert check_roster(gpairs, agents, 7, FAST) == []
    assert len(pairs) >= len(gpairs)


def test_more_leave_than_agents_leaves_shifts_unassigned_with_reasons():
    agents = [
        Agent("a", leave_days=frozenset({0})),
        Agent("b", leave_days=frozenset({0})),
        Agent("c", skills=frozenset({"en"})),
    ]
    shifts = [RosterShift(8 * H, 16 * H, 480, ("fr",)), shift(0, 9), shift(0, 9), shift(0, 9)]
    res = roster(shifts, agents, 7, FAST)
    assert res.assignment[0] is None
    assert res.unassigned_reasons[0].code == "no_agent"
    assert res.unassigned_reasons[0].counts == (("skills", 3),)
    assert res.unassigned_reasons[0].text == "no agent can work it: 3 lack the skills"
    assert res.assignment[1:].count("c") == 1
    assert sum(a is None for a in res.assignment[1:]) == 2
    assert all(
        "on leave" in res.unassigned_reasons[i].text
        for i in range(1, 4)
        if res.assignment[i] is None
    )


def test_history_limits_the_first_days():
    agent = Agent(
        "a",
        previous_shift_end=-1 * H,
        previous_consecutive_days=6,
        max_consecutive_days=6,
        days_off_per_week=0,
        contract_minutes_per_week=56 * H,
    )
    shifts = [shift(0, 8), shift(1, 8)]
    res = roster(shifts, [agent], 7, FAST)
    # day 0 would be a 7th day in a row; day 1 is fine
    assert res.assignment == (None, "a")


def test_duplicate_agents_are_refused():
    with pytest.raises(ValueError, match="agent_id 'a' appears twice"):
        roster([shift(0, 8)], [Agent("a"), Agent("a")], 7, FAST)
