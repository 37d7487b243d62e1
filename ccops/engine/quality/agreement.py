"""Agreement between evaluators in a calibration session.

Krippendorff's alpha (Krippendorff, *Content Analysis*, 2nd ed. 2004, ch. 11;
"Computing Krippendorff's Alpha-Reliability", 2011) measures how far raters
agree beyond chance, ``alpha = 1 - D_o / D_e``, for any number of raters, with
missing values, on nominal to ratio scales. It is computed by the
``krippendorff`` package (fast-krippendorff, Castro 2017), checked in
``tests/engine/test_quality_agreement.py`` against the worked examples of
Krippendorff (2011). Krippendorff suggests relying on data with alpha of at
least 0.800 and drawing tentative conclusions only from 0.667 up.

Deviations are measured on the share of points each answer earns (0..1), so
yes/no, scale and points questions compare on one footing.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import krippendorff
import numpy as np

#: Below this alpha a question is flagged: people cannot score it consistently.
TENTATIVE_ALPHA = 0.667
RELIABLE_ALPHA = 0.800


def alpha(data, level: str = "interval") -> float | None:
    """Krippendorff's alpha of a raters × units matrix (NaN = not rated).

    ``None`` when it is undefined: fewer than two units rated by two raters or more,
    or no variation at all in the values (then every rater agrees trivially and the
    caller says so)."""
    m = np.asarray(data, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError("reliability data must be a raters x units matrix")
    pairable = (np.isfinite(m).sum(axis=0) >= 2).sum()
    if pairable < 1:
        return None
    values = np.unique(m[np.isfinite(m)])
    if len(values) < 2:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        result = krippendorff.alpha(reliability_data=m, level_of_measurement=level)
    return None if not np.isfinite(result) else float(result)


@dataclass(frozen=True)
class Calibration:
    """Comparison of raters with the reference (expert or consensus) answers."""

    rater_total_deviation: np.ndarray  # per rater, |total - reference total| (points of 100)
    rater_match_rate: np.ndarray  # per rater, share of questions answered as the reference
    question_match_rate: np.ndarray  # per question, share of raters matching the reference
    question_mean_deviation: np.ndarray  # per question, mean |fraction - reference fraction|
    question_spread: np.ndarray  # per question, standard deviation of the raters' fractions
    session_alpha: float | None  # alpha over the questions of this call (units = questions)


def compare(
    fractions: np.ndarray,
    reference: np.ndarray,
    totals: np.ndarray,
    reference_total: float | None,
    *,
    tolerance: float = 1e-9,
) -> Calibration:
    """Compare raters (rows of ``fractions``, questions in columns; NaN = N/A) with the
    reference answers ``reference`` (NaN = N/A) and totals."""
    f = np.asarray(fractions, dtype=np.float64)
    ref = np.asarray(reference, dtype=np.float64)
    if f.ndim != 2 or f.shape[1] != len(ref):
        raise ValueError("fractions must be raters x questions, matching the reference")
    both_na = np.isnan(f) & np.isnan(ref)[None, :]
    same = (np.abs(f - ref[None, :]) <= tolerance) | both_na
    with np.errstate(invalid="ignore"):
        diff = np.abs(f - ref[None, :])
    tot = np.asarray(totals, dtype=np.float64)
    dev = (
        np.abs(tot - reference_total) if reference_total is not None else np.full(len(tot), np.nan)
    )
    with warnings.catch_warnings():  # an all-N/A column has no mean: NaN, said by the caller
        warnings.simplefilter("ignore", RuntimeWarning)
        empty = np.full(len(ref), np.nan)
        q_dev = np.nanmean(np.where(both_na, 0.0, diff), axis=0) if len(f) else empty
        spread = np.nanstd(f, axis=0) if len(f) else empty
    return Calibration(
        rater_total_deviation=dev,
        rater_match_rate=same.mean(axis=1) if f.shape[1] else np.full(len(f), np.nan),
        question_match_rate=same.mean(axis=0) if len(f) else np.full(len(ref), np.nan),
        question_mean_deviation=q_dev,
        question_spread=spread,
        session_alpha=alpha(f, "interval") if len(f) >= 2 else None,
    )
