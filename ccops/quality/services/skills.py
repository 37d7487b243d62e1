"""Quarterly business-skills tests: assembled from the one question bank
(``shiftops.HandoverQuestion``, those marked for tests), published, taken online within a
time limit, marked automatically (choice and true/false) and by the trainer (short
answers)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import formats
from ccops.core.permissions import has_model_perm
from ccops.core.services import lock_for_update, notify, record_create, record_update, require_state
from ccops.people.models import Employee
from ccops.quality.choices import AttemptStatus, TestStatus
from ccops.quality.models import SkillsTest, SkillsTestQuestion, TestAnswer, TestAttempt
from ccops.quality.services.common import acting_employee
from ccops.shiftops.choices import AUTO_MARKED, QuestionKind
from ccops.shiftops.models import HandoverQuestion


@transaction.atomic
def skills_test_create(*, actor, teams=(), **data) -> SkillsTest:
    if data["closes_at"] <= data["opens_at"]:
        raise ValidationError({"closes_at": _("The test closes after it opens.")})
    test = record_create(SkillsTest, data=data, actor=actor, verb="skills_test_create")
    test.teams.set(teams)
    return test


def bank_topics() -> list[tuple[str, int]]:
    """``(topic, questions)`` of the bank's questions marked for tests."""
    return [
        (r["topic"], r["n"])
        for r in HandoverQuestion.objects.filter(for_tests=True)
        .values("topic")
        .annotate(n=Count("pk"))
        .order_by("topic")
    ]


@transaction.atomic
def skills_test_assemble(*, test: SkillsTest, per_topic: dict[str, int], actor, seed: int = 0):
    """Draw ``per_topic[topic]`` questions of each topic at random from the bank; each is
    copied into the test as it is now. Once (to start again, archive the draft)."""
    test = lock_for_update(test)
    require_state(test, "status", TestStatus.DRAFT)
    if test.questions.exists():
        raise ValidationError(_("The test is assembled: archive the draft to start again."))
    rng = np.random.default_rng(seed or test.pk)
    chosen: list[HandoverQuestion] = []
    for topic, n in sorted(per_topic.items()):
        if n <= 0:
            continue
        pool = list(HandoverQuestion.objects.filter(for_tests=True, topic=topic).order_by("pk"))
        if len(pool) < n:
            raise ValidationError(
                {
                    "per_topic": _("The bank has %(have)s questions on %(topic)s, not %(n)s.")
                    % {"have": len(pool), "topic": topic, "n": n}
                }
            )
        picks = rng.choice(len(pool), size=n, replace=False)
        chosen.extend(pool[int(i)] for i in sorted(picks))
    if not chosen:
        raise ValidationError({"per_topic": _("Choose at least one question.")})
    for order, q in enumerate(chosen, 1):
        record_create(
            SkillsTestQuestion,
            data={
                "test": test,
                "question": q,
                "order": order,
                "topic": q.topic,
                "text": q.text,
                "kind": q.kind,
                "options": q.options,
                "answer_true": q.answer_true,
                "expected_answer": q.expected_answer,
                "points": q.points,
            },
            actor=actor,
            verb="skills_test_question",
        )
    return test


@transaction.atomic
def skills_test_publish(*, test: SkillsTest, actor) -> SkillsTest:
    test = lock_for_update(test)
    require_state(test, "status", TestStatus.DRAFT)
    if not test.questions.exists():
        raise ValidationError(_("Assemble the test's questions first."))
    test = record_update(
        test, data={"status": TestStatus.PUBLISHED}, actor=actor, verb="skills_test_publish"
    )
    for employee in test_takers(test):
        if employee.user_id:
            notify(
                user=employee.user,
                message=gettext_noop("Skills test %(title)s is open until %(until)s"),
                params={
                    "title": test.title,
                    "until": formats.format_datetime(test.closes_at, test.site),
                },
                url=test.get_absolute_url(),
            )
    return test


@transaction.atomic
def skills_test_close(*, test: SkillsTest, actor) -> SkillsTest:
    test = lock_for_update(test)
    require_state(test, "status", TestStatus.PUBLISHED)
    for attempt in test.attempts.filter(status=AttemptStatus.IN_PROGRESS):
        _finish(attempt, actor, timezone.now())
    return record_update(
        test, data={"status": TestStatus.CLOSED}, actor=actor, verb="skills_test_close"
    )


def test_takers(test: SkillsTest):
    """The agents who take the test: the active members of its teams (and of the groups of
    its areas), or every active employee of the site in a group."""
    people = Employee.objects.filter(site=test.site, status="active", user__isnull=False)
    teams = list(test.teams.all())
    if teams:
        ids = {t.pk for t in teams} | set(
            test.teams.model.objects.filter(parent__in=teams).values_list("pk", flat=True)
        )
        return people.filter(team__in=ids)
    return people.filter(team__kind="group", user__groups__name="agent")


@transaction.atomic
def attempt_start(*, test: SkillsTest, actor, now: dt.datetime | None = None) -> TestAttempt:
    """Start the agent's one attempt; the clock runs from now (until the test closes at
    the latest)."""
    test = lock_for_update(test)
    now = now or timezone.now()
    employee = acting_employee(actor)
    if test.status != TestStatus.PUBLISHED or not test.opens_at <= now < test.closes_at:
        raise ValidationError(_("This test is not open now."))
    if not test_takers(test).filter(pk=employee.pk).exists():
        raise PermissionDenied(_("This test is not for you."))
    if TestAttempt.objects.filter(test=test, employee=employee).exists():
        raise ValidationError(_("You have already taken this test."))
    deadline = min(now + dt.timedelta(minutes=test.time_limit_minutes), test.closes_at)
    attempt = record_create(
        TestAttempt,
        data={
            "test": test,
            "employee": employee,
            "started_at": now,
            "deadline": deadline,
            "max_points": test.max_points,
        },
        actor=actor,
        verb="test_attempt_start",
    )
    for tq in test.questions.all():
        record_create(TestAnswer, data={"attempt": attempt, "test_question": tq}, actor=actor)
    return attempt


def _own(attempt: TestAttempt, actor) -> None:
    if attempt.employee.user_id != actor.pk:
        raise PermissionDenied(_("This is not your test."))


def _clean_answer(tq: SkillsTestQuestion, given: dict) -> dict:
    if tq.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        raw = given.get("choices") or []
        try:
            choices = sorted({int(c) for c in raw})
        except (TypeError, ValueError):
            raise ValidationError({f"q{tq.pk}": _("Choose among the options.")}) from None
        if any(not 0 <= c < len(tq.options) for c in choices):
            raise ValidationError({f"q{tq.pk}": _("Choose among the options.")})
        if tq.kind == QuestionKind.SINGLE and len(choices) > 1:
            raise ValidationError({f"q{tq.pk}": _("Choose one option.")})
        return {"choices": choices}
    if tq.kind == QuestionKind.TRUE_FALSE:
        value = given.get("answer_true")
        return {"answer_true": None if value is None else bool(value)}
    return {"text": (given.get("text") or "").strip()[:2000]}


@transaction.atomic
def attempt_save(
    *,
    attempt: TestAttempt,
    answers: dict,
    actor,
    submit: bool = False,
    now: dt.datetime | None = None,
) -> TestAttempt:
    """Save answers (``{test question id: {"choices" | "answer_true" | "text"}}``) while
    the time lasts; ``submit`` hands the test in. Answers after the deadline are refused
    (:func:`expire_attempts` hands the attempt in as it stood at the deadline)."""
    attempt = lock_for_update(attempt)
    _own(attempt, actor)
    require_state(attempt, "status", AttemptStatus.IN_PROGRESS)
    now = now or timezone.now()
    if now > attempt.deadline:
        # Nothing of this request is kept; expire_attempts() hands the attempt in as it
        # stood at the deadline (the pages and the scorecard run it).
        raise ValidationError(
            _("Time is up: your answers saved before %(time)s count.")
            % {"time": formats.format_time(attempt.deadline, attempt.test.site)}
        )
    rows = {a.test_question_id: a for a in attempt.answers.select_related("test_question")}
    for key, given in answers.items():
        row = rows.get(int(key))
        if row is None:
            raise ValidationError(_("That question is not in this test."))
        record_update(row, data=_clean_answer(row.test_question, given), actor=actor)
    if submit:
        _finish(attempt, actor, now)
        attempt.refresh_from_db()
    return attempt


def _auto_points(tq: SkillsTestQuestion, answer: TestAnswer) -> float | None:
    if tq.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        correct = [i for i, o in enumerate(tq.options) if o.get("correct")]
        return float(tq.points) if sorted(answer.choices or []) == correct else 0.0
    if tq.kind == QuestionKind.TRUE_FALSE:
        return float(tq.points) if answer.answer_true == tq.answer_true else 0.0
    if not answer.text:
        return 0.0  # nothing written: nothing to mark
    return None


def _finish(attempt: TestAttempt, actor, when: dt.datetime) -> None:
    """Hand in: mark what the machine can; marked when nothing is left for the trainer."""
    for answer in attempt.answers.select_related("test_question"):
        tq = answer.test_question
        if tq.kind in AUTO_MARKED or not answer.text:
            record_update(answer, data={"points": _auto_points(tq, answer)}, actor=actor)
    record_update(
        attempt,
        data={"status": AttemptStatus.SUBMITTED, "submitted_at": when},
        actor=actor,
        verb="test_attempt_submit",
    )
    _complete_if_marked(attempt, actor)


def _complete_if_marked(attempt: TestAttempt, actor) -> None:
    answers = list(attempt.answers.all())
    if any(a.points is None for a in answers):
        return
    points = sum(a.points for a in answers)
    percent = 100.0 * points / attempt.max_points if attempt.max_points else 0.0
    record_update(
        attempt,
        data={
            "status": AttemptStatus.MARKED,
            "points": points,
            "score_percent": round(percent, 2),
            "marked_at": timezone.now(),
        },
        actor=actor,
        verb="test_attempt_marked",
    )
    if attempt.employee.user_id:
        notify(
            user=attempt.employee.user,
            message=gettext_noop("Your %(test)s result: %(percent)s %%"),
            params={"test": attempt.test.title, "percent": f"{percent:.0f}"},
            url=attempt.get_absolute_url(),
        )


@transaction.atomic
def attempt_mark(*, attempt: TestAttempt, marks: dict, actor) -> TestAttempt:
    """The trainer marks the short answers (``{answer id: points}``)."""
    attempt = lock_for_update(attempt)
    if not has_model_perm(actor, TestAttempt, "change"):
        raise PermissionDenied(_("Only a trainer marks tests."))
    require_state(attempt, "status", AttemptStatus.SUBMITTED)
    rows = {a.pk: a for a in attempt.answers.select_related("test_question")}
    for key, points in marks.items():
        row = rows.get(int(key))
        if row is None or row.test_question.kind in AUTO_MARKED:
            raise ValidationError(_("Only short answers are marked by hand."))
        try:
            value = float(points)
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= row.test_question.points:
            raise ValidationError(
                {f"a{row.pk}": _("Give 0 to %(max)s points.") % {"max": row.test_question.points}}
            )
        record_update(
            row, data={"points": value, "marked_by": actor}, actor=actor, verb="test_answer_mark"
        )
    _complete_if_marked(attempt, actor)
    attempt.refresh_from_db()
    return attempt


def expire_attempts(now: dt.datetime | None = None) -> int:
    """Hand in the attempts whose time is up (run on page views and before scorecards)."""
    now = now or timezone.now()
    n = 0
    for attempt in TestAttempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=now):
        with transaction.atomic():
            locked = lock_for_update(attempt)
            if locked.status == AttemptStatus.IN_PROGRESS:
                _finish(locked, None, locked.deadline)
                n += 1
    return n
