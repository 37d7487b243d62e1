"""Scoring an evaluation form: sections with weights, questions worth points.

The model is the one the contact-centre QA suites share (Genesys Cloud quality
evaluation forms, Amazon Connect evaluation forms, NICE and MaestroQA
scorecards); ccops follows it and states every rule:

* A question earns a fraction of its points: yes/no earns all or nothing; a
  scale ``lo..hi`` earns ``(value - lo) / (hi - lo)``; a points question earns
  ``value / points`` (0 to its points).
* **N/A** answers drop out of the numerator *and* the denominator.
* A **section score** is earned / possible × 100; a section whose questions are
  all N/A has no score and its weight is shared out among the others.
* The **form score** is the weight-averaged section score.
* **Bonus** questions add their earned points to their section without adding
  to what is possible; a section never exceeds 100.
* **Critical** questions also give the *critical score*: earned / possible over
  the critical questions alone (Genesys' "critical score"); ``None`` when the
  form has none answered.
* A **fatal** (auto-fail) question answered "no" (or earning nothing) zeroes
  either its section or the whole form, as the question says.

Everything here takes plain numbers and returns a frozen result, so the web app,
the calibration comparison and the benchmarks score forms the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

YES_NO, SCALE, POINTS = "yes_no", "scale", "points"
FATAL_FORM, FATAL_SECTION = "form", "section"


@dataclass(frozen=True)
class Question:
    """One question of a form version (what scoring needs of it)."""

    key: str
    section: int
    kind: str = YES_NO
    points: float = 1.0
    scale_min: float = 1.0
    scale_max: float = 5.0
    critical: bool = False
    fatal: str = ""  # "", FATAL_FORM or FATAL_SECTION
    bonus: bool = False
    allow_na: bool = True


@dataclass(frozen=True)
class Answer:
    """``value`` is 1/0 for yes/no, the scale value, or the points given; ``na``: N/A."""

    value: float | None = None
    na: bool = False


@dataclass(frozen=True)
class Score:
    total: float | None
    critical: float | None
    fatal: bool
    sections: tuple[float | None, ...]
    earned: tuple[float, ...]  # per question, points earned (0 for N/A)
    possible: tuple[float, ...]  # per question, points possible (0 for N/A and bonus)


class ScoringError(ValueError):
    """An answer that the question does not allow: ``code`` and ``values`` are data,
    worded by the caller (``missing``, ``na_not_allowed``, ``out_of_range``)."""

    def __init__(self, code: str, **values):
        self.code = code
        self.values = values
        super().__init__(f"{code}: {values}")


def _fraction(q: Question, a: Answer) -> float:
    value = a.value
    if value is None:
        raise ScoringError("missing", question=q.key)
    if q.kind == YES_NO:
        if value not in (0, 1):
            raise ScoringError("out_of_range", question=q.key, value=value, low=0, high=1)
        return float(value)
    if q.kind == SCALE:
        lo, hi = q.scale_min, q.scale_max
        if not lo <= value <= hi:
            raise ScoringError("out_of_range", question=q.key, value=value, low=lo, high=hi)
        return (value - lo) / (hi - lo) if hi > lo else 1.0
    if q.kind == POINTS:
        if not 0 <= value <= q.points:
            raise ScoringError("out_of_range", question=q.key, value=value, low=0, high=q.points)
        return value / q.points if q.points else 0.0
    raise ValueError(f"unknown question kind {q.kind!r}")


def score_form(
    questions: Sequence[Question], section_weights: Sequence[float], answers: Sequence[Answer]
) -> Score:
    """Score one evaluation (see the module docstring for the rules).

    Parameters
    ----------
    questions : sequence of Question
        In form order; ``section`` indexes ``section_weights``.
    section_weights : sequence of float
        Non-negative weights; only their ratios matter.
    answers : sequence of Answer
        One per question, in the same order.

    Raises
    ------
    ScoringError
        An answer is missing, out of range, or N/A where the question does not allow it.
    """
    if len(answers) != len(questions):
        raise ValueError(f"{len(answers)} answers for {len(questions)} questions")
    n_sections = len(section_weights)
    earned_s = [0.0] * n_sections
    possible_s = [0.0] * n_sections
    zero_section = [False] * n_sections
    fatal_form = False
    crit_earned = crit_possible = 0.0
    earned_q, possible_q = [], []
    for q, a in zip(questions, answers, strict=True):
        if not 0 <= q.section < n_sections:
            raise ValueError(f"question {q.key} is in section {q.section} of {n_sections}")
        if a.na:
            if not q.allow_na:
                raise ScoringError("na_not_allowed", question=q.key)
            earned_q.append(0.0)
            possible_q.append(0.0)
            continue
        got = _fraction(q, a) * q.points
        earned_q.append(got)
        earned_s[q.section] += got
        if q.bonus:
            possible_q.append(0.0)
        else:
            possible_q.append(q.points)
            possible_s[q.section] += q.points
        if q.critical and not q.bonus:
            crit_earned += got
            crit_possible += q.points
        if q.fatal and got == 0:
            if q.fatal == FATAL_FORM:
                fatal_form = True
            else:
                zero_section[q.section] = True
    sections: list[float | None] = []
    for s in range(n_sections):
        if possible_s[s] <= 0:
            # all N/A (or only bonus): no score, unless a fatal answer zeroed it
            sections.append(0.0 if zero_section[s] else None)
        elif zero_section[s]:
            sections.append(0.0)
        else:
            sections.append(min(100.0, 100.0 * earned_s[s] / possible_s[s]))
    weighted = [
        (w, s) for w, s in zip(section_weights, sections, strict=True) if s is not None and w > 0
    ]
    total_weight = sum(w for w, _s in weighted)
    total = sum(w * s for w, s in weighted) / total_weight if total_weight else None
    fatal = fatal_form or any(zero_section)
    if fatal_form:
        total = 0.0
    critical = 100.0 * crit_earned / crit_possible if crit_possible else None
    return Score(
        total=None if total is None else round(total, 4),
        critical=None if critical is None else round(critical, 4),
        fatal=fatal,
        sections=tuple(None if s is None else round(s, 4) for s in sections),
        earned=tuple(earned_q),
        possible=tuple(possible_q),
    )


def answer_fraction(question: Question, answer: Answer) -> float | None:
    """The share 0..1 of its points an answer earns (``None`` for N/A): the value raters
    are compared on in calibration."""
    if answer.na:
        return None
    return _fraction(question, answer)
