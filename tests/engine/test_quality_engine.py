"""The quality engine: form scoring rules, sampling, margin of error, KPI bands, ranks,
and Krippendorff's alpha against Krippendorff's (2011) worked examples."""

from __future__ import annotations

import numpy as np
import pytest

from ccops.engine.quality import agreement, sampling, scorecard, scoring

Q = scoring.Question


def test_scoring_na_bonus_critical_fatal_and_weights():
    qs = [
        Q("a", 0, points=2),
        Q("b", 0, kind=scoring.SCALE, points=4, scale_min=1, scale_max=5),
        Q("c", 1, points=3, critical=True),
        Q("d", 1, points=1, bonus=True),
        Q("e", 1, points=2, fatal=scoring.FATAL_SECTION),
    ]
    A = scoring.Answer
    s = scoring.score_form(qs, [1, 3], [A(1), A(3), A(1), A(1), A(1)])
    assert s.sections == (pytest.approx(100 * 4 / 6, abs=1e-3), 100.0)  # bonus capped at 100
    assert s.total == pytest.approx((1 * 400 / 6 + 3 * 100) / 4, abs=1e-3)
    assert s.critical == 100 and not s.fatal
    s = scoring.score_form(qs, [1, 3], [A(1), A(na=True), A(0), A(0), A(1)])
    assert s.sections[0] == 100.0 and s.critical == 0
    assert s.sections[1] == pytest.approx(100 * 2 / 5)
    s = scoring.score_form(qs, [1, 3], [A(1), A(5), A(1), A(1), A(0)])
    assert s.sections[1] == 0.0 and s.fatal and s.total == pytest.approx(25.0)
    # every answer N/A in a section: it has no score and its weight goes to the others
    s = scoring.score_form([*qs[:2], Q("c", 1, allow_na=True)], [1, 3], [A(1), A(5), A(na=True)])
    assert s.sections[1] is None and s.total == 100.0
    form_fatal = [Q("x", 0), Q("y", 0, fatal=scoring.FATAL_FORM)]
    assert scoring.score_form(form_fatal, [1], [A(1), A(0)]).total == 0.0


def test_scoring_refuses_bad_answers_with_codes():
    with pytest.raises(scoring.ScoringError) as err:
        scoring.score_form([Q("a", 0, allow_na=False)], [1], [scoring.Answer(na=True)])
    assert err.value.code == "na_not_allowed"
    with pytest.raises(scoring.ScoringError) as err:
        scoring.score_form([Q("a", 0, kind=scoring.POINTS, points=3)], [1], [scoring.Answer(4)])
    assert err.value.code == "out_of_range" and err.value.values["high"] == 3
    with pytest.raises(scoring.ScoringError, match="missing"):
        scoring.score_form([Q("a", 0)], [1], [scoring.Answer()])


def _calls(seed=0, n=600):
    rng = np.random.default_rng(seed)
    agent = rng.choice(["ann", "bob", "cy", "dee"], size=n).astype(object)
    start = rng.uniform(0, 30 * 86400, size=n)
    return agent, start, np.arange(n) + 1000


def test_sample_is_reproducible_spread_and_per_agent():
    agent, start, ids = _calls()
    kw = dict(quota=4, period_start_seconds=0, period_end_seconds=30 * 86400, seed=7)
    a = sampling.draw_sample(
        agent=agent, start_seconds=start, ids=ids, eligible=np.ones(len(ids), bool), **kw
    )
    order = np.random.default_rng(1).permutation(len(ids))
    b = sampling.draw_sample(
        agent=agent[order],
        start_seconds=start[order],
        ids=ids[order],
        eligible=np.ones(len(ids), bool),
        **kw,
    )
    assert sorted(ids[a.index]) == sorted(ids[order][b.index])  # same calls whatever the order
    c = sampling.draw_sample(
        agent=agent,
        start_seconds=start,
        ids=ids,
        eligible=np.ones(len(ids), bool),
        **{**kw, "seed": 8},
    )
    assert sorted(ids[a.index]) != sorted(ids[c.index])
    for name in ("ann", "bob", "cy", "dee"):
        mine = start[a.index][agent[a.index] == name]
        assert len(mine) == 4
        strata = sorted((mine // (30 * 86400 / 4)).astype(int))
        assert strata == [0, 1, 2, 3]  # one call from each week-long stratum


def test_sample_respects_filters_and_reports_short_agents():
    agent = np.array(["a", "a", "b", "", "a"], dtype=object)
    start = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    eligible = np.array([True, True, True, True, False])
    s = sampling.draw_sample(
        agent=agent,
        start_seconds=start,
        ids=np.arange(5),
        eligible=eligible,
        quota=3,
        period_start_seconds=0,
        period_end_seconds=100,
        seed=1,
    )
    assert sorted(s.index.tolist()) == [0, 1, 2]
    assert s.short == {"a": 1, "b": 2}


def test_share_out_is_even_and_counts_open_load():
    who = sampling.share_out(10, 3, seed=1, load=np.array([4, 0, 0]))
    counts = np.bincount(who, minlength=3)
    totals = counts + np.array([4, 0, 0])
    assert counts.sum() == 10 and totals.max() - totals.min() <= 1
    assert counts[0] <= 1  # the busy inspector gets the fewest new calls
    assert (sampling.share_out(10, 3, seed=1, load=np.array([4, 0, 0])) == who).all()


def test_margin_of_error_t_interval_with_finite_population():
    scores = np.array([80.0, 90, 70, 85])
    mean, n, moe = sampling.margin_of_error(scores)
    from scipy.stats import t

    assert mean == 81.25 and n == 4
    assert moe == pytest.approx(t.ppf(0.975, 3) * scores.std(ddof=1) / 2)
    _m, _n, fpc = sampling.margin_of_error(scores, population=10)
    assert fpc == pytest.approx(moe * np.sqrt(6 / 9))
    assert sampling.margin_of_error(np.array([75.0]))[2] is None
    assert sampling.margin_of_error(np.array([]))[1] == 0


def test_kpi_bands_and_ranks():
    aht = scorecard.kpi_points(
        [250, 300, 301, 420, 421, np.nan], [300, 360, 420], [10, 7, 4], "lower"
    )
    assert aht.tolist() == [10, 10, 7, 4, 0, 0]
    adh = scorecard.kpi_points([79.9, 80, 90, 99], [80, 90, 95], [4, 7, 10], "higher")
    assert adh.tolist() == [0, 4, 7, 10]
    with pytest.raises(ValueError, match="ascending"):
        scorecard.kpi_points([1], [3, 2], [1, 1], "lower")
    r = scorecard.ranks(np.array(["g1", "g1", "g2", "g1", "g2"]), np.array([90, 95, 80, 90, 85]))
    assert r.tolist() == [2, 1, 2, 2, 1]


def test_scorecard_points_scale_and_clip():
    w = scorecard.Weights(40, 30, 15, 15)
    p = scorecard.scorecard_points(
        weights=w,
        qa_mean=np.array([90.0, np.nan, 100]),
        complaint_points=np.array([5.0, 0, 50]),
        kpi_points_sum=np.array([20.0, 10, 30]),
        kpi_points_max=30.0,
        skills_percent=np.array([80.0, np.nan, 100]),
        discipline_points=np.array([2.0, 20, 0]),
    )
    assert p.service.tolist() == [31.0, 0.0, 0.0]
    assert p.work.tolist() == [20.0, 10.0, 30.0]
    assert p.skills.tolist() == [12.0, 0.0, 15.0]
    assert p.discipline.tolist() == [13.0, 0.0, 15.0]
    assert p.total.tolist() == [76.0, 10.0, 60.0]
    with pytest.raises(ValueError, match="add up to 100"):
        scorecard.Weights(40, 30, 20, 20)


# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania. The worked examples and their published alphas.
NAN = np.nan
EXAMPLE_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
EXAMPLE_B = [[1, 1, 2, 2, 4, 3, 3, 3, 5, 4, 4, 1], [2, 1, 2, 2, 2, 3, 3, 3, 5, 4, 4, 4]]
EXAMPLE_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


@pytest.mark.parametrize(
    ("data", "level", "published"),
    [
        (EXAMPLE_A, "nominal", 0.095),
        (EXAMPLE_B, "nominal", 0.692),
        (EXAMPLE_C, "nominal", 0.743),
        (EXAMPLE_C, "ordinal", 0.815),
        (EXAMPLE_C, "interval", 0.849),
        (EXAMPLE_C, "ratio", 0.797),
    ],
)
def test_krippendorff_alpha_matches_the_published_examples(data, level, published):
    assert agreement.alpha(data, level) == pytest.approx(published, abs=5e-4)


def test_alpha_undefined_without_variation_and_comparison_with_reference():
    assert agreement.alpha([[1, 1, 1], [1, 1, 1]]) is None
    f = np.array([[1.0, 0.5, NAN], [1.0, 0.0, 1.0], [0.0, 0.5, 1.0]])
    ref = np.array([1.0, 0.5, 1.0])
    c = agreement.compare(f, ref, np.array([90.0, 70, 60]), 80.0)
    assert c.rater_total_deviation.tolist() == [10.0, 10.0, 20.0]
    assert c.question_match_rate.tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3])
    assert c.rater_match_rate[0] == pytest.approx(2 / 3)
    assert c.session_alpha is not None and c.session_alpha < 1
