"""The simulation: Erlang C and Erlang A where their assumptions hold, seeds, bad input,
Kaplan-Meier, priorities, skills and the queue carried from one interval into the next."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.queueing import performance
from ccops.engine.simulate import (
    PatienceDistribution,
    ServiceDistribution,
    fit_lognormal_service,
    fit_patience,
    kaplan_meier,
    simulate,
)

# A long stationary run: 400 quarter-hours, 100 calls each at 180 s, the first 8 left out.
T, CALLS, AHT = 400, 100.0, 180.0
STEADY = slice(8, None)


def _inside(estimate, value, slack=0.0):
    return float(estimate.low) - slack <= value <= float(estimate.high) + slack


def test_reproduces_erlang_c_in_distribution():
    r = simulate(
        np.full(T, CALLS), np.full(T, AHT), np.full(T, 22.0), 15,
        answer_within_seconds=20, replications=16, seed=11,
    )  # fmt: skip
    tot = r.totals(STEADY)
    exact = performance(22, CALLS, AHT, 900, answer_within_seconds=20)
    assert _inside(tot["service_level"][0], float(exact.service_level))
    assert _inside(tot["asa_seconds"][0], float(exact.asa_seconds))
    assert _inside(tot["occupancy"][0], float(exact.occupancy), slack=0.002)
    assert float(tot["abandon_rate"].mean[0]) == 0.0
    assert float(tot["service_level"].high[0] - tot["service_level"].low[0]) < 0.05


def test_reproduces_erlang_a_in_distribution_both_kernels():
    exact = performance(
        20, CALLS, AHT, 900, answer_within_seconds=20, model="erlang_a", patience_seconds=120
    )
    pat = PatienceDistribution.exponential(120.0)
    fcfs = simulate(
        np.full(T, CALLS), np.full(T, AHT), np.full(T, 20.0), 15,
        answer_within_seconds=20, patience=pat, replications=16, seed=3,
    )  # fmt: skip
    # Two queues of 50 calls served by one pooled group: the general event loop,
    # the same M/M/20+M system.
    pooled = simulate(
        np.full((2, T), CALLS / 2), np.full((2, T), AHT), np.full((1, T), 20.0), 15,
        answer_within_seconds=20, patience=pat, replications=16, seed=4,
    )  # fmt: skip
    for result in (fcfs, pooled):
        tot = result.totals(STEADY)
        offered = result.offered[:, :, STEADY].sum(axis=(1, 2))
        sl = (result.answered_within[:, :, STEADY].sum(axis=(1, 2)) / offered)[:, None]
        ab = (result.abandoned[:, :, STEADY].sum(axis=(1, 2)) / offered)[:, None]
        from ccops.engine.simulate.core import _estimate

        assert _inside(_estimate(sl, 0.95)[0], float(exact.service_level))
        assert _inside(_estimate(ab, 0.95)[0], float(exact.abandon_rate))
        assert _inside(tot["occupancy"][0], float(exact.occupancy), slack=0.003)
        assert abs(float(tot["asa_seconds"].mean[0]) - float(exact.asa_seconds)) < 0.6


def test_same_seed_same_result_other_seed_other_result(monkeypatch):
    args = (np.full((3, 20), 30.0), np.full((3, 20), 200.0), np.full((3, 20), 8.5), 15)
    kw = {"answer_within_seconds": 20, "replications": 4}
    a = simulate(*args, seed=5, **kw)
    monkeypatch.setattr("ccops.engine.simulate.core.os.cpu_count", lambda: 1)
    b = simulate(*args, seed=np.random.default_rng(5), **kw)
    c = simulate(*args, seed=6, **kw)
    assert np.array_equal(a.answered_within, b.answered_within)
    assert np.array_equal(a.busy_seconds, b.busy_seconds)
    assert not np.array_equal(a.answered_within, c.answered_within)


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"calls": [10.0, -1.0]}, "calls"),
        ({"aht_seconds": [180.0, 0.0]}, "aht_seconds"),
        ({"agents": [3.0, np.nan]}, "agents"),
        ({"agents": [3.0, 3.0, 3.0]}, "agents"),
        ({"interval_minutes": 7}, "interval_minutes"),
        ({"replications": 0}, "replications"),
        ({"arrivals": "batch"}, "arrivals"),
        ({"exact_aht": "yes"}, "exact_aht"),
        ({"answer_within_seconds": -1}, "answer_within_seconds"),
        ({"confidence": 1.5}, "confidence"),
        ({"seed": "x"}, "seed"),
        ({"priority_shares": [[0.5, 0.6]]}, "priority_shares"),
        ({"priority_shares": [[0.5, 0.5]], "priority_advance_seconds": [0, 1, 2]}, "priority_"),
        ({"service": "lognormal"}, "service"),
        ({"skills": [[False]]}, "skills"),
    ],
)
def test_bad_input_names_the_argument(change, name):
    kw = {
        "calls": [10.0, 10.0],
        "aht_seconds": [180.0, 180.0],
        "agents": [3.0, 3.0],
        "interval_minutes": 15,
        "answer_within_seconds": 20,
        "replications": 2,
        "seed": 1,
    }
    kw.update(change)
    with pytest.raises(ValueError, match=name):
        simulate(**kw)


@pytest.mark.parametrize("arrivals", ["fixed", "poisson"])
@pytest.mark.parametrize("classes", [1, 2])  # 1: the FCFS recursion, 2: the event loop
def test_exact_aht_gives_each_interval_exactly_its_mean_handle_time(arrivals, classes):
    # 40 agents for 10-30 calls a quarter-hour: nobody waits, every call is answered and
    # its whole handle time is busy time (the quiet hours after let the last calls end
    # inside the horizon), so the busy time of the run is sum(count x AHT).
    calls = np.array([12.0, 30.0, 0.0, 9.0, 21.0] + [0.0] * 16)
    aht = np.array([200.0, 90.0, 1.0, 400.0, 150.0] + [1.0] * 16)
    shares = {"priority_shares": [[0.5, 0.5]], "priority_advance_seconds": [0, 60]}
    kw = dict(
        interval_minutes=15,
        answer_within_seconds=20,
        service=ServiceDistribution.lognormal(1.2),
        arrivals=arrivals,
        replications=4,
        seed=5,
        **(shares if classes == 2 else {}),
    )
    exact = simulate(calls, aht, np.full(21, 40.0), exact_aht=True, **kw)
    assert exact.answered.sum() == exact.offered.sum() > 0
    expected = (exact.offered[:, 0, :] * aht).sum(axis=1)
    np.testing.assert_allclose(exact.busy_seconds.sum(axis=(1, 2)), expected, rtol=1e-9)
    free = simulate(calls, aht, np.full(21, 40.0), **kw)  # independent draws of mean AHT
    drawn = (free.offered[:, 0, :] * aht).sum(axis=1)
    assert np.all(np.abs(free.busy_seconds.sum(axis=(1, 2)) - drawn) > 1.0)


def test_exact_aht_keeps_after_call_work_on_top():
    service = ServiceDistribution.lognormal(0.8).with_after_call([30.0, 30.0])
    r = simulate(
        [20.0, 20.0, 0.0, 0.0], [120.0, 120.0, 1.0, 1.0], [40.0] * 4, 60, answer_within_seconds=20,
        service=service, arrivals="fixed", exact_aht=True, replications=2, seed=1,
    )  # fmt: skip
    np.testing.assert_allclose(r.busy_seconds.sum(axis=(1, 2)), 40 * (120.0 + 30.0))


def test_after_call_work_drawn_by_the_callers_waiting_when_the_call_ends():
    shape = ServiceDistribution.lognormal(0.5)
    none = shape.with_after_call_by_waiting({0: [0.0], 1: [0.0]})
    when_busy = shape.with_after_call_by_waiting({0: [0.0], 1: [120.0]})
    assert "1+ waiting 120 s" in when_busy.describe()
    # exact_aht: the handle times are drawn with the arrivals, the same in both runs
    kw = dict(answer_within_seconds=20, arrivals="fixed", exact_aht=True, replications=4, seed=2)
    # (the quiet hours after let every call and its after-call work end in the horizon)
    calls, aht = [20.0] + [0.0] * 11, [60.0] + [1.0] * 11
    # Forty agents for twenty calls: nobody ever waits, so nobody does after-call work.
    ample = [simulate(calls, aht, [40.0] * 12, 15, service=s, **kw) for s in (none, when_busy)]
    np.testing.assert_allclose(ample[0].busy_seconds, ample[1].busy_seconds)
    # One agent: every call that ends with a caller waiting adds 120 s before the next.
    scarce = [simulate(calls, aht, [1.0] * 12, 15, service=s, **kw) for s in (none, when_busy)]
    extra = scarce[1].busy_seconds.sum() - scarce[0].busy_seconds.sum()
    assert extra > 0
    assert extra / 120.0 == pytest.approx(round(extra / 120.0), abs=1e-6)
    assert float(scarce[1].asa_seconds.mean[0, 0]) > float(scarce[0].asa_seconds.mean[0, 0])
    for bad, words in (
        ({}, "non-empty"),
        ({-1: [1.0]}, "band keys"),
        ({0: [-1.0]}, "after_call_by_waiting"),
        ({0: []}, "no seconds"),
    ):
        with pytest.raises(ValueError, match=words):
            shape.with_after_call_by_waiting(bad)


def test_distribution_arguments_are_checked():
    with pytest.raises(ValueError, match="sigma"):
        ServiceDistribution.lognormal(-1)
    with pytest.raises(ValueError, match="service_seconds"):
        ServiceDistribution.empirical([10.0, -2.0])
    with pytest.raises(ValueError, match="patience_seconds"):
        PatienceDistribution.exponential(0)
    with pytest.raises(ValueError, match="observed"):
        kaplan_meier([1.0, 2.0], [False, False])


def test_kaplan_meier_on_the_textbook_censored_case():
    # Freireich et al. (1963) 6-MP arm; * = censored. Kaplan-Meier values as in
    # every survival text: S(6)=0.857, S(7)=0.807, S(10)=0.753, S(13)=0.690,
    # S(16)=0.627, S(22)=0.538, S(23)=0.448.
    times = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    cens = {3, 5, 7, 8, 11, 12, 13, 16, 17, 18, 19, 20}
    observed = [i not in cens for i in range(len(times))]
    km = kaplan_meier(times, observed)
    assert km.times.tolist() == [6, 7, 10, 13, 16, 22, 23]
    expected = [0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448]
    assert km.survival == pytest.approx(expected, abs=5e-4)
    assert km.at_risk.tolist() == [21, 17, 15, 12, 11, 7, 6]
    assert km(5.9) == 1.0 and km(8) == pytest.approx(0.807, abs=5e-4)


def test_fit_patience_recovers_an_exponential_patience_under_censoring():
    rng = np.random.default_rng(0)
    patience = rng.exponential(300.0, 40_000)
    wait_offered = rng.exponential(200.0, 40_000)  # how long each caller would have waited
    abandoned = patience < wait_offered
    seen = np.where(abandoned, patience, wait_offered)
    fitted = fit_patience(seen, abandoned)
    assert fitted.survival(300.0) == pytest.approx(np.exp(-1), abs=0.01)
    assert fitted.mean_seconds == pytest.approx(300.0, rel=0.05)
    shape = fit_lognormal_service(rng.lognormal(5.0, 0.8, 20_000))
    assert shape.sigma == pytest.approx(0.8, abs=0.01)


def test_km_patience_and_lognormal_service_are_used():
    # Most callers wait (6 agents, 6.7 Erlangs): impatient callers abandon more under a
    # patience that is short for most of them.
    impatient = fit_patience([5.0, 6.0, 7.0, 500.0], [True, True, True, False])
    args = (np.full(40, 20.0), np.full(40, 300.0), np.full(40, 6.0), 15)
    kw = {"answer_within_seconds": 20, "replications": 4, "seed": 2}
    short = simulate(*args, patience=impatient, **kw).totals()["abandon_rate"].mean[0]
    long = simulate(*args, patience=PatienceDistribution.exponential(600), **kw)
    assert short > float(long.totals()["abandon_rate"].mean[0]) + 0.1
    stable = (np.full(40, 20.0), np.full(40, 300.0), np.full(40, 8.0), 15)  # 83 % load
    slow = simulate(*stable, service=ServiceDistribution.lognormal(1.5), **kw)
    fast = simulate(*stable, service=ServiceDistribution.empirical([300.0, 300.0]), **kw)
    # Same mean handle time: the deterministic one waits least.
    assert fast.totals()["asa_seconds"].mean[0] < slow.totals()["asa_seconds"].mean[0]


def test_mg1_mean_wait_is_pollaczek_khinchine():
    # M/G/1 at 80 % load: mean wait rho (1 + CV^2) / (2 mu (1 - rho)) = 2 (1 + CV^2) s.
    for service, cv2 in (
        (None, 1.0),
        (ServiceDistribution.empirical([1.0, 1.0]), 0.0),
        (ServiceDistribution.lognormal(1.0), np.expm1(1.0)),
    ):
        r = simulate(
            np.full(200, 720.0), np.full(200, 1.0), np.full(200, 1.0), 15,
            answer_within_seconds=2, service=service, replications=4, seed=1,
        )  # fmt: skip
        asa = float(r.totals(slice(5, None))["asa_seconds"].mean[0])
        assert asa == pytest.approx(2 * (1 + cv2), rel=0.06)


def test_priority_class_moved_ahead_is_served_sooner():
    # Two queues served by one group; queue 1's calls are all in the priority class.
    def run(advance):
        return simulate(
            np.array([[56.0] * 60, [24.0] * 60]), np.full((2, 60), 180.0),
            np.full((1, 60), 16.5), 15, answer_within_seconds=20,
            priority_shares=[[1.0, 0.0], [0.0, 1.0]], priority_advance_seconds=[0.0, advance],
            replications=4, seed=1,
        ).totals()  # fmt: skip

    fifo, ahead, strict = run(0.0), run(30.0), run(1e6)
    sl = [r["service_level"].mean for r in (fifo, ahead, strict)]
    assert abs(sl[0][0] - sl[0][1]) < 0.05  # no advance: the same queue for both
    assert sl[0][1] < sl[1][1] < sl[2][1]  # the further ahead, the better served
    assert sl[2][0] < sl[0][0]  # at the others' expense
    asa = [float(np.dot(r["asa_seconds"].mean, [56, 24]) / 80) for r in (fifo, strict)]
    assert asa[1] == pytest.approx(asa[0], rel=0.2)  # work-conserving: mean wait kept


def test_queue_state_carries_into_the_next_interval_and_fractional_agents():
    # Interval 0: 50 calls and nobody; interval 1: 10 agents. The calls of interval 0
    # are answered in interval 1 (and counted in interval 0, where they arrived).
    r = simulate(
        [50.0, 0.0, 0.0], [60.0, 60.0, 60.0], [0.0, 10.0, 10.0], 15,
        answer_within_seconds=20, arrivals="fixed", replications=3, seed=1,
    )  # fmt: skip
    assert (r.offered[:, 0, 0] == 50).all()
    assert (r.answered[:, 0, 0] == 50).all()
    assert (r.answered_within[:, 0, 0] == 0).all()
    assert r.busy_seconds[:, 0, 0].sum() == 0 and r.busy_seconds[:, 0, 1].min() > 0
    # Half an agent, overloaded with 30 s calls: busy half of each interval, plus
    # the call it finishes after its half (about 30 s more of the 900).
    half = simulate(
        np.full(96, 200.0), np.full(96, 30.0), np.full(96, 0.5), 15,
        answer_within_seconds=20, replications=2, seed=1,
    )  # fmt: skip
    busy = half.busy_seconds[:, 0, :-4].sum(axis=1) / (92 * 900)
    assert busy == pytest.approx([0.5 + 30 / 900] * 2, abs=0.02)


def test_skills_route_to_specialists_first():
    # Queue 0 has its specialists (group 0) and shares group 1 with queue 1.
    skills = [[True, True], [False, True]]
    r = simulate(
        np.array([[40.0] * 20, [10.0] * 20]), np.full((2, 20), 200.0),
        np.array([[12.0] * 20, [3.0] * 20]), 15, answer_within_seconds=20,
        skills=skills, replications=3, seed=9,
    )  # fmt: skip
    busy = r.busy_seconds.sum(axis=(0, 2))
    assert busy[0] > busy[1]  # the specialists carry queue 0
    assert r.answered.sum() == r.offered.sum()
    with pytest.raises(ValueError, match="skills"):
        simulate(
            np.ones((2, 4)), np.full((2, 4), 100.0), np.ones((3, 4)), 15, answer_within_seconds=20
        )


def test_staffing_by_simulation_against_erlang_a():
    from ccops.engine.queueing import required_agents
    from ccops.engine.simulate import required_agents_simulated

    calls = np.array([0.0] + [90.0] * 10 + [0.0])
    aht = np.full(calls.size, 200.0)
    pat = PatienceDistribution.exponential(300.0)
    kw = {"service_level": 0.8, "answer_within_seconds": 20, "patience": pat, "seed": 1}
    erlang = required_agents(
        calls, aht, 900, service_level=0.8, answer_within_seconds=20,
        model="erlang_a", patience_seconds=300,
    ).agents  # fmt: skip
    steady = ServiceDistribution.empirical([190.0, 200.0, 210.0])  # almost constant
    easy = required_agents_simulated(calls, aht, 15, service=steady, replications=30, **kw)
    assert (easy.start_agents[0] == erlang).all() and easy.start_model == "Erlang A"
    assert (easy.agents[0] <= erlang).all() and easy.agents.sum() < erlang.sum()
    assert easy.agents[0, 0] == 0 and easy.agents[0, -1] == 0
    assert (easy.service_level.mean[0, 1:-1] >= 0.8).all()
    hard = required_agents_simulated(
        calls, aht, 15, service=ServiceDistribution.lognormal(1.5), replications=8, **kw
    )
    assert (hard.service_level.mean[0, 1:-1] >= 0.8).all()
    tried = hard.candidates(0, 5)
    assert [c.agents for c in tried] == sorted({c.agents for c in tried})
    answer = int(hard.agents[0, 5])
    assert any(c.agents == answer - 1 and "service_level" in c.missed for c in tried)
    assert "<= answer" in hard.explain(0, 5)
    with pytest.raises(ValueError, match="service_level"):
        required_agents_simulated(calls, aht, 15, service_level=1.2, answer_within_seconds=20)


def test_the_kernels_generator_draws_uniform_and_normal_numbers():
    from numba import njit
    from scipy import stats

    from ccops.engine.simulate._kernel import _normal, _seed_state, _uniform

    @njit
    def draw(n, seed):
        s = _seed_state(seed)
        u, z = np.empty(n), np.empty(n)
        for i in range(n):
            u[i] = _uniform(s)
            z[i] = _normal(s)
        return u, z

    u, z = draw(200_000, 3)
    assert u.min() > 0 and u.max() < 1
    assert stats.kstest(u, "uniform").pvalue > 0.01
    assert stats.kstest(z, "norm").pvalue > 0.01
    assert not np.array_equal(draw(10, 3)[0], draw(10, 4)[0])
