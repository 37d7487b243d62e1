"""Activities placed where the center can best spare the agents."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.schedule.activities import ActivityAgent, place_activities


def test_the_block_goes_where_the_lowest_spare_is_highest():
    spare = np.array([0, 0, 3, 3, 1, 4, 4, 4, 0, 0], dtype=float)
    [p], left = place_activities(spare, [ActivityAgent("a", (0,), ((0, 10),))], 2)
    assert p.start == 5 and p.lowest_spare == 4
    assert left[0, 5:7].tolist() == [3, 3] and left[0, 7] == 4


def test_each_placement_takes_an_agent_off_the_phones_for_the_next():
    spare = np.array([0, 1, 1, 0, 1, 1, 0], dtype=float)
    agents = [ActivityAgent(x, (0,), ((0, 7),)) for x in "ab"]
    placements, left = place_activities(spare, agents, 2)
    assert sorted(p.start for p in placements) == [1, 4]
    assert left.min() == 0 and all(p.lowest_spare == 1 for p in placements)


def test_breaks_are_respected_and_a_short_shift_gets_none():
    spare = np.full(12, 5.0)
    spare[2:4] = 9  # the most spare is during the agent's break
    agent = ActivityAgent("a", (0,), ((0, 2), (4, 12)))
    short = ActivityAgent("b", (0,), ((0, 1),))
    [p, q], _left = place_activities(spare, [agent, short], 2)
    assert p.start not in (1, 2, 3) and p.start + 2 <= 12
    assert q.start is None and q.lowest_spare is None


def test_agents_with_fewer_choices_go_first():
    # taken in the given order, "wide" would take interval 0 and leave "narrow" short
    spare = np.array([2, 1, 1, 2], dtype=float)
    wide = ActivityAgent("wide", (0,), ((0, 4),))
    narrow = ActivityAgent("narrow", (0,), ((0, 1),))
    [w, n], _left = place_activities(spare, [wide, narrow], 1)
    assert (n.start, n.lowest_spare) == (0, 2) and w.start == 3


def test_an_agent_with_several_queues_counts_their_spare_together():
    spare = np.array([[0, 2, 0], [0, 0, 3]], dtype=float)
    [p], left = place_activities(spare, [ActivityAgent("a", (0, 1), ((0, 3),))], 1)
    assert p.start == 2 and left[1, 2] == 2 and left[0, 2] == 0


def test_bad_input_is_refused_with_its_value():
    with pytest.raises(ValueError, match="length"):
        place_activities(np.zeros(4), [], 0)
    with pytest.raises(ValueError, match="queue rows \\[3\\]"):
        place_activities(np.zeros(4), [ActivityAgent("a", (3,), ((0, 4),))], 1)
