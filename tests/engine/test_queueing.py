"""Erlang B/C/A and required agents: reference values, cross-checks and bad input."""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import exp, floor

import numpy as np
import pytest

from ccops.engine.queueing import (
    erlang_b,
    erlang_c,
    performance,
    required_agents,
    scheduled_agents,
)
from tests.engine.bruteforce import erlang_a_chain, erlang_b_exact, erlang_c_exact

# --------------------------------------------------------------------------- Erlang B and C


def test_erlang_b_classic_table_value():
    # Teletraffic tables (e.g. ITU-T "Teletraffic Engineering Handbook", Erlang B
    # table): 5 Erlangs offered to 10 circuits block 1.8385 % of calls.
    # Checked independently here in exact rational arithmetic.
    exact = float(erlang_b_exact(10, Fraction(5)))
    assert exact == pytest.approx(0.018385, abs=5e-7)
    assert erlang_b(10, 5.0) == pytest.approx(exact, rel=1e-13)


def test_erlang_c_textbook_closed_forms():
    # Kleinrock, Queueing Systems Vol. 1, M/M/1 and M/M/2: P(wait) = rho and
    # 2 rho^2 / (1 + rho) with rho = a / 2.
    for a in (0.1, 0.5, 0.9, 0.999):
        assert erlang_c(1, a) == pytest.approx(a, rel=1e-13)
    for a in (0.2, 1.0, 1.9):
        rho = a / 2
        assert erlang_c(2, a) == pytest.approx(2 * rho**2 / (1 + rho), rel=1e-13)


def test_erlang_c_worked_example_matches_exact_arithmetic():
    # The widely reproduced call-center worked example: 100 calls in 30 minutes,
    # AHT 180 s (10 Erlangs), target 80 % answered within 20 s. 13 agents give
    # about 79.6 %, 14 agents about 88.8 % (and ASA about 7.8 s), so 14 are needed.
    # Each figure is recomputed here from the exact rational Erlang C.
    for agents, expected_sl in ((13, 0.7956), (14, 0.8884)):
        c = float(erlang_c_exact(agents, Fraction(10)))
        sl = 1 - c * exp(-(agents - 10) * 20 / 180)
        assert sl == pytest.approx(expected_sl, abs=5e-5)
        p = performance(agents, 100, 180, 1800, answer_within_seconds=20)
        assert p.prob_wait == pytest.approx(c, rel=1e-12)
        assert p.service_level == pytest.approx(sl, rel=1e-12)
        assert p.asa_seconds == pytest.approx(c * 180 / (agents - 10), rel=1e-12)
        assert p.occupancy == pytest.approx(10 / agents)
    result = required_agents(100, 180, 1800, service_level=0.8, answer_within_seconds=20)
    assert int(result.agents) == 14
    assert str(result.binding) == "service_level"


@pytest.mark.parametrize("n", [1, 2, 5, 17, 40, 90])
@pytest.mark.parametrize("a_tenths", [1, 7, 25, 80, 333, 1200])
def test_erlang_b_c_equal_exact_rational_values(n, a_tenths):
    a = Fraction(a_tenths, 10)
    assert erlang_b(n, float(a)) == pytest.approx(float(erlang_b_exact(n, a)), rel=1e-12)
    expected_c = float(erlang_c_exact(n, a)) if n > a else 1.0
    assert erlang_c(n, float(a)) == pytest.approx(expected_c, rel=1e-12)


def _erlang_b_recurrence(n: int, a: float) -> float:
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


@pytest.mark.parametrize(
    ("n", "a"),
    [
        (25_000, 20_000.0),
        (20_001, 20_000.0),
        (20_150, 20_000.0),
        (19_000, 20_000.0),
        (5, 20_000.0),
        (0, 20_000.0),
        (3000, 2900.5),
        (24_999, 24_999.0),
    ],
)
def test_large_loads_are_finite_and_match_the_recurrence(n, a):
    expected = _erlang_b_recurrence(n, a)
    assert erlang_b(n, a) == pytest.approx(expected, rel=1e-11)
    c = erlang_c(n, a)
    assert np.isfinite(c) and 0.0 <= c <= 1.0


def test_extreme_grid_has_no_nan_or_out_of_range_values():
    n = np.concatenate([np.arange(0, 30), np.geomspace(30, 25_000, 120).round()])
    a = np.concatenate([[0.0, 1e-9, 0.01], np.geomspace(0.5, 20_000, 90)])
    agents, load = np.meshgrid(n, a)
    for model, patience in (
        ("erlang_c", None),
        ("erlang_a", 0.5),
        ("erlang_a", 120.0),
        ("erlang_a", 1e8),
    ):
        p = performance(
            agents,
            load * 900 / 200,
            200,
            900,
            answer_within_seconds=20,
            model=model,
            patience_seconds=patience,
        )
        for name in ("prob_wait", "service_level", "abandon_rate", "occupancy"):
            values = getattr(p, name)
            assert np.isfinite(values).all(), (model, patience, name)
            assert ((values >= 0) & (values <= 1)).all(), (model, patience, name)
        assert not np.isnan(p.asa_seconds).any()
        assert (np.diff(p.service_level, axis=1) >= -1e-12).all(), (model, patience)


# --------------------------------------------------------------------------- Erlang A


ERLANG_A_CASES = [
    # (agents, offered load, aht s, patience s, answer within s)
    (1, 0.3, 180, 60, 20),
    (1, 2.5, 300, 30, 10),
    (3, 2.0, 240, 600, 20),
    (10, 9.0, 180, 120, 20),
    (10, 14.0, 180, 120, 20),
    (25, 24.0, 300, 60, 30),
    (40, 30.0, 120, 1800, 15),
    (60, 75.0, 200, 90, 20),
    (2, 1.9, 600, 5, 60),
    (80, 79.0, 250, 20_000, 20),
    (7, 3.0, 100, 1.0, 0),
]


@pytest.mark.parametrize(("n", "a", "aht", "patience", "t"), ERLANG_A_CASES)
def test_erlang_a_matches_the_birth_death_chain(n, a, aht, patience, t):
    reference = erlang_a_chain(n, a / aht, aht, patience, t)
    # The chain's two abandonment figures (flow and Little's law) agree.
    assert reference.abandon == pytest.approx(reference.abandon_little, rel=1e-8, abs=1e-14)
    p = performance(
        n,
        a / aht * 900,
        aht,
        900,
        answer_within_seconds=t,
        model="erlang_a",
        patience_seconds=patience,
    )
    assert p.prob_wait == pytest.approx(reference.prob_wait, rel=1e-9, abs=1e-13)
    assert p.abandon_rate == pytest.approx(reference.abandon, rel=1e-8, abs=1e-13)
    assert p.service_level == pytest.approx(reference.service_level, rel=1e-8, abs=1e-11)
    assert p.asa_seconds == pytest.approx(reference.asa_seconds, rel=1e-8, abs=1e-11)
    assert p.occupancy == pytest.approx(reference.occupancy, rel=1e-9)


def test_erlang_a_approaches_erlang_c_as_patience_grows():
    n, calls, aht = np.array([12, 55, 470]), np.array([200.0, 1000.0, 9000.0]), 180.0
    c = performance(n, calls, aht, 3600, answer_within_seconds=20)
    gaps = []
    for patience in (1e3, 1e4, 1e5, 1e6, 1e7):
        a = performance(
            n,
            calls,
            aht,
            3600,
            answer_within_seconds=20,
            model="erlang_a",
            patience_seconds=patience,
        )
        gaps.append(np.abs(a.service_level - c.service_level).max())
        assert a.abandon_rate.max() < 2000 / patience
    assert all(later < earlier for earlier, later in itertools.pairwise(gaps))
    assert gaps[-1] < 1e-4
    inf = performance(
        n, calls, aht, 3600, answer_within_seconds=20, model="erlang_a", patience_seconds=np.inf
    )
    np.testing.assert_allclose(inf.service_level, c.service_level, rtol=1e-15)


# --------------------------------------------------------------------------- required agents


def _brute_force(
    calls, aht, interval, t, *, sl, occ=1.0, model="erlang_c", patience=None, abandon=None, asa=None
):
    """Smallest n from 0 up meeting every target, by evaluating every count."""
    a = calls * aht / interval
    if a == 0:
        return 0
    n = np.arange(0, int(a / occ + 10 * np.sqrt(a) + 60))
    p = performance(
        n, calls, aht, interval, answer_within_seconds=t, model=model, patience_seconds=patience
    )
    ok = (p.service_level >= sl) & (p.occupancy <= occ)
    if model == "erlang_c":
        ok &= n > a
    if abandon is not None:
        ok &= p.abandon_rate <= abandon
    if asa is not None:
        ok &= p.asa_seconds <= asa
    assert ok.any()
    first = int(np.argmax(ok))
    assert ok[first:].all(), "feasibility must be monotone in the number of agents"
    return first


def test_required_agents_equals_brute_force_on_random_intervals():
    rng = np.random.default_rng(20240607)
    size = 300
    calls = np.round(rng.gamma(1.5, 60.0, size))
    calls[:10] = 0
    aht = rng.uniform(60, 600, size)
    t = rng.choice([0.0, 10.0, 20.0, 60.0], size)
    sl = rng.uniform(0.05, 0.98, size)
    occ = rng.uniform(0.6, 1.0, size)
    for model, patience, abandon, asa in (
        ("erlang_c", None, None, None),
        ("erlang_c", None, None, 30.0),
        ("erlang_a", rng.uniform(5, 900, size), None, None),
        ("erlang_a", rng.uniform(5, 900, size), 0.08, 25.0),
    ):
        result = required_agents(
            calls,
            aht,
            900,
            service_level=sl,
            answer_within_seconds=t,
            max_occupancy=occ,
            model=model,
            patience_seconds=patience,
            max_abandon_rate=abandon,
            max_asa_seconds=asa,
        )
        achieved = performance(
            result.agents,
            calls,
            aht,
            900,
            answer_within_seconds=t,
            model=model,
            patience_seconds=patience,
        )
        for name in ("service_level", "asa_seconds", "abandon_rate", "occupancy"):
            np.testing.assert_allclose(
                getattr(result, name),
                getattr(achieved, name),
                rtol=1e-9,
                atol=1e-12,
                err_msg=f"{model} {name}",
            )
        for i in range(size):
            expected = _brute_force(
                calls[i],
                aht[i],
                900,
                t[i],
                sl=sl[i],
                occ=occ[i],
                model=model,
                patience=None if patience is None else patience[i],
                abandon=abandon,
                asa=asa,
            )
            assert result.agents[i] == expected, (model, i)


def test_erlang_c_answer_can_be_floor_of_load_plus_one():
    # 10.5 Erlangs: 11 agents already answer 21 % within 20 s. A search that
    # starts at round(load + 1) = 12 would miss it.
    result = required_agents(105, 180, 1800, service_level=0.2, answer_within_seconds=20)
    assert float(result.offered_load) == pytest.approx(10.5)
    assert int(result.agents) == floor(10.5) + 1 == 11
    assert round(10.5 + 1) == 12


def test_erlang_a_can_staff_below_the_offered_load():
    result = required_agents(
        360,
        180,
        1800,
        service_level=0.6,
        answer_within_seconds=20,
        model="erlang_a",
        patience_seconds=60,
    )
    assert int(result.agents) == 30 < float(result.offered_load) == 36
    assert float(result.service_level) >= 0.6
    worse = performance(
        29, 360, 180, 1800, answer_within_seconds=20, model="erlang_a", patience_seconds=60
    )
    assert float(worse.service_level) < 0.6


def test_zero_calls_need_zero_agents_and_shapes_are_kept():
    calls = np.array([[0.0, 12.0], [0.0, 0.0]])
    result = required_agents(calls, 240, 900, service_level=0.8, answer_within_seconds=20)
    assert result.agents.shape == (2, 2)
    assert result.agents.dtype == np.int64
    assert result.agents[0, 0] == 0 and result.agents[1, 1] == 0 and result.agents[0, 1] > 0
    assert result.binding[0, 0] == "none"
    assert result.service_level[0, 0] == 1.0 and result.occupancy[0, 0] == 0.0


def test_explain_lists_candidates_and_binding_target():
    result = required_agents(
        [100, 400], 180, 1800, service_level=0.8, answer_within_seconds=20, max_occupancy=0.85
    )
    explanation = result.explain(1)
    counts = [c.agents for c in explanation.candidates]
    assert explanation.agents == int(result.agents[1])
    assert explanation.agents - 1 in counts and explanation.agents in counts
    assert explanation.offered_load == pytest.approx(40.0)
    assert explanation.binding == ("occupancy",)
    assert result.binding[1] == "occupancy"
    below = next(c for c in explanation.candidates if c.agents == explanation.agents - 1)
    assert "occupancy" in below.missed
    text = str(explanation)
    assert "offered load 40.0000 Erlangs" in text and "binding target: occupancy" in text

    a_result = required_agents(
        360,
        180,
        1800,
        service_level=0.6,
        answer_within_seconds=20,
        model="erlang_a",
        patience_seconds=60,
        max_abandon_rate=0.2,
    )
    a_expl = a_result.explain(0)
    tried = {c.agents for c in a_expl.candidates if c.tried}
    assert {a_expl.agents - 1, a_expl.agents} <= tried
    assert a_expl.binding and a_expl.binding[0] == str(a_result.binding)
    with pytest.raises(ValueError, match="index"):
        a_result.explain(5)


def test_scheduled_agents_divides_by_the_available_share():
    assert scheduled_agents(7, 0.3) == 10  # 7 / 0.7 is 10.000000000000002 in binary
    np.testing.assert_array_equal(scheduled_agents([0, 1, 14, 20], 0.25), [0, 2, 19, 27])
    assert scheduled_agents(5, 0.0) == 5


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"calls": -1.0}, "calls"),
        ({"calls": np.array([3.0, np.nan])}, "calls"),
        ({"aht_seconds": 0.0}, "aht_seconds"),
        ({"aht_seconds": np.inf}, "aht_seconds"),
        ({"interval_seconds": 0}, "interval_seconds"),
        ({"service_level": 1.0}, "service_level"),
        ({"service_level": float("nan")}, "service_level"),
        ({"answer_within_seconds": -5}, "answer_within_seconds"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
        ({"max_occupancy": 1.2}, "max_occupancy"),
        ({"model": "erlang_x"}, "model"),
        ({"model": "erlang_a"}, "patience_seconds"),
        ({"model": "erlang_a", "patience_seconds": -3}, "patience_seconds"),
        ({"max_abandon_rate": 0.0}, "max_abandon_rate"),
        ({"max_asa_seconds": -1}, "max_asa_seconds"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_argument(kwargs, name):
    arguments = {
        "calls": 10.0,
        "aht_seconds": 200.0,
        "interval_seconds": 900.0,
        "service_level": 0.8,
        "answer_within_seconds": 20.0,
    }
    arguments.update(kwargs)
    calls = arguments.pop("calls")
    aht = arguments.pop("aht_seconds")
    interval = arguments.pop("interval_seconds")
    with pytest.raises(ValueError, match=name):
        required_agents(calls, aht, interval, **arguments)


def test_bad_arguments_elsewhere():
    with pytest.raises(ValueError, match="shrinkage"):
        scheduled_agents(10, 1.0)
    with pytest.raises(ValueError, match="shrinkage"):
        scheduled_agents(10, -0.1)
    with pytest.raises(ValueError, match="agents"):
        erlang_b(-1, 3.0)
    with pytest.raises(ValueError, match="offered_load"):
        erlang_c(3, np.nan)
    with pytest.raises(ValueError, match=r"calls.*index 1"):
        performance(5, [1.0, -2.0], 180, 900, answer_within_seconds=20)


@pytest.mark.parametrize("model", ["erlang_c", "erlang_a"])
def test_search_stops_with_a_clear_error_past_its_agent_limit(monkeypatch, model):
    from ccops.engine.queueing import staffing

    monkeypatch.setattr(staffing, "_agent_limit", lambda a, occ: np.floor(a) + 2.0)
    with pytest.raises(ValueError, match="cannot be met with up to"):
        required_agents(
            4000,
            180,
            900,
            service_level=0.99,
            answer_within_seconds=5,
            model=model,
            patience_seconds=None if model == "erlang_c" else 600.0,
        )


def test_tiny_targets_are_still_reached():
    result = required_agents(
        [100, 4000],
        180,
        900,
        service_level=0.8,
        answer_within_seconds=20,
        model="erlang_a",
        patience_seconds=60,
        max_abandon_rate=1e-300,
    )
    assert (result.abandon_rate <= 1e-300).all()
    assert (result.binding == "abandon_rate").all()
