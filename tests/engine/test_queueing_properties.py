"""Property tests of the queueing core (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ccops.engine.queueing import performance, required_agents

loads = st.floats(min_value=0.0, max_value=20_000.0, allow_nan=False)
ahts = st.floats(min_value=5.0, max_value=3600.0)
patiences = st.floats(min_value=0.5, max_value=1e5)
thresholds = st.floats(min_value=0.0, max_value=600.0)
MEASURES = ("prob_wait", "service_level", "abandon_rate", "occupancy")


def _calls(load, aht, interval=900.0):
    return load * interval / aht


@settings(max_examples=60, deadline=None)
@given(load=loads, aht=ahts, t=thresholds, patience=st.none() | patiences)
def test_service_level_rises_and_abandonment_falls_with_agents(load, aht, t, patience):
    model = "erlang_c" if patience is None else "erlang_a"
    top = int(load * 1.3 + 10 * np.sqrt(load) + 20)
    n = np.unique(np.linspace(0, top, 200).round())
    p = performance(
        n,
        _calls(load, aht),
        aht,
        900,
        answer_within_seconds=t,
        model=model,
        patience_seconds=patience,
    )
    for name in MEASURES:
        values = getattr(p, name)
        assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all(), name
    assert (np.diff(p.service_level) >= -1e-12).all()
    assert (np.diff(p.abandon_rate) <= 1e-12).all()
    assert (np.diff(p.prob_wait) <= 1e-12).all()
    assert not np.isnan(p.asa_seconds).any() and (p.asa_seconds >= 0).all()


@settings(max_examples=40, deadline=None)
@given(
    load=st.floats(min_value=0.1, max_value=500.0),
    aht=ahts,
    t=thresholds,
    headroom=st.floats(min_value=1.02, max_value=1.5),
)
def test_erlang_a_approaches_erlang_c_as_patience_grows(load, aht, t, headroom):
    n = np.ceil(load * headroom + 1)
    c = performance(n, _calls(load, aht), aht, 900, answer_within_seconds=t)
    gaps = []
    for patience in (aht * 1e3, aht * 1e5, aht * 1e7):
        a = performance(
            n,
            _calls(load, aht),
            aht,
            900,
            answer_within_seconds=t,
            model="erlang_a",
            patience_seconds=patience,
        )
        gaps.append(abs(float(a.service_level) - float(c.service_level)))
    assert gaps[2] <= gaps[0] + 1e-12
    assert gaps[2] < 1e-4


@settings(max_examples=40, deadline=None)
@given(
    calls=st.floats(min_value=0.0, max_value=400.0),
    aht=st.floats(min_value=30.0, max_value=900.0),
    sl=st.floats(min_value=0.01, max_value=0.99),
    t=st.sampled_from([0.0, 15.0, 20.0, 60.0]),
    occ=st.floats(min_value=0.5, max_value=1.0),
    patience=st.none() | st.floats(min_value=2.0, max_value=3600.0),
)
def test_required_agents_is_the_first_feasible_count(calls, aht, sl, t, occ, patience):
    model = "erlang_c" if patience is None else "erlang_a"
    result = required_agents(
        calls,
        aht,
        900,
        service_level=sl,
        answer_within_seconds=t,
        max_occupancy=occ,
        model=model,
        patience_seconds=patience,
    )
    n = int(result.agents)
    if calls == 0:
        assert n == 0
        return
    assert float(result.service_level) >= sl and float(result.occupancy) <= occ
    below = np.arange(0, n)
    p = performance(
        below, calls, aht, 900, answer_within_seconds=t, model=model, patience_seconds=patience
    )
    feasible = (p.service_level >= sl) & (p.occupancy <= occ)
    if model == "erlang_c":
        feasible &= below > calls * aht / 900
    assert not feasible.any()
