"""Skills tests: create, assemble from the question bank, publish, take online within the
time limit, mark; the trainer's marking page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.people.services import employee_for
from ccops.quality import forms
from ccops.quality.choices import AttemptStatus, TestStatus
from ccops.quality.filters import SkillsTestFilter, TestAttemptFilter
from ccops.quality.models import SkillsTest, TestAttempt
from ccops.quality.services import skills as services
from ccops.quality.services.common import quarter_of
from ccops.quality.views.common import run, user_site
from ccops.shiftops.choices import AUTO_MARKED, QuestionKind


class SkillsTestListView(ObjectListView):
    model = SkillsTest
    filterset_class = SkillsTestFilter
    columns = ["title", "year", "quarter", "opens_at", "closes_at", "status"]


class SkillsTestDetailView(ObjectDetailView):
    model = SkillsTest
    template_name = "quality/skillstest_detail.html"
    fields = [
        "site",
        "year",
        "quarter",
        "time_limit_minutes",
        "opens_at",
        "closes_at",
        "pass_percent",
        "status",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        test, user = self.object, self.request.user
        trainer = has_model_perm(user, SkillsTest, "change")
        me = employee_for(user)
        mine = TestAttempt.objects.filter(test=test, employee=me).first() if me else None
        services.expire_attempts()
        context.update(
            trainer=trainer,
            questions=test.questions.all() if trainer or test.status == TestStatus.CLOSED else [],
            topics=services.bank_topics() if trainer and test.status == TestStatus.DRAFT else [],
            attempts=TestAttempt.objects.restrict(user, "view")
            .filter(test=test)
            .select_related("employee"),
            mine=mine,
            can_start=bool(
                me
                and not mine
                and test.is_open
                and services.test_takers(test).filter(pk=me.pk).exists()
            ),
            takers=services.test_takers(test).count(),
            teams=test.teams.all(),
        )
        return context


class SkillsTestFormView(ObjectFormView):
    model = SkillsTest
    form_class = forms.SkillsTestForm

    def get_initial(self):
        today = timezone.localdate()
        year, quarter = quarter_of(today)
        zone = timezone.get_current_timezone()
        opens = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(9), tzinfo=zone)
        return {
            **super().get_initial(),
            "site": user_site(self.request),
            "year": year,
            "quarter": quarter,
            "opens_at": opens,
            "closes_at": opens + dt.timedelta(days=7),
            "title": _("Business skills test %(y)s Q%(q)s") % {"y": year, "q": quarter},
        }

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.skills_test_create(actor=self.request.user, **data)
        return super().save(form)


class SkillsTestArchiveView(ObjectArchiveView):
    model = SkillsTest


def _test(request, pk):
    check_model_perm(request.user, SkillsTest, "change")
    return get_restricted_or_404(SkillsTest, request.user, pk, "change")


@require_POST
def skills_test_assemble(request, pk):
    test = _test(request, pk)
    per_topic = {}
    for key, value in request.POST.items():
        if key.startswith("topic:") and value.strip().isdigit():
            per_topic[key[6:]] = int(value)
    seed = int(request.POST.get("seed") or 0) if (request.POST.get("seed") or "0").isdigit() else 0
    response, _r = run(
        request,
        test,
        lambda: services.skills_test_assemble(
            test=test, per_topic=per_topic, seed=seed, actor=request.user
        ),
        _("Questions drawn from the bank."),
    )
    return response


@require_POST
def skills_test_publish(request, pk):
    test = _test(request, pk)
    response, _r = run(
        request,
        test,
        lambda: services.skills_test_publish(test=test, actor=request.user),
        _("Published: the agents are told."),
    )
    return response


@require_POST
def skills_test_close(request, pk):
    test = _test(request, pk)
    response, _r = run(
        request,
        test,
        lambda: services.skills_test_close(test=test, actor=request.user),
        _("Closed."),
    )
    return response


@require_POST
def attempt_start(request, pk):
    check_model_perm(request.user, TestAttempt, "add")
    test = get_restricted_or_404(SkillsTest, request.user, pk)
    response, attempt = run(
        request, test, lambda: services.attempt_start(test=test, actor=request.user)
    )
    return redirect(attempt.get_absolute_url()) if attempt is not None else response


class TestAttemptListView(ObjectListView):
    model = TestAttempt
    filterset_class = TestAttemptFilter
    columns = ["test", "employee", "started_at", "submitted_at", "status", "score_percent"]

    def get_queryset(self):
        services.expire_attempts()
        return super().get_queryset().select_related("test", "employee")


def _answers_from_post(post, attempt: TestAttempt) -> dict:
    out = {}
    for answer in attempt.answers.select_related("test_question"):
        tq = answer.test_question
        key = f"q{tq.pk}"
        if tq.kind == QuestionKind.SINGLE:
            value = post.get(key)
            out[tq.pk] = {"choices": [value] if value not in (None, "") else []}
        elif tq.kind == QuestionKind.MULTIPLE:
            out[tq.pk] = {"choices": post.getlist(key)}
        elif tq.kind == QuestionKind.TRUE_FALSE:
            value = post.get(key)
            out[tq.pk] = {"answer_true": None if value in (None, "") else value == "true"}
        else:
            out[tq.pk] = {"text": post.get(key, "")}
    return out


def attempt_detail(request, pk):
    """The agent takes the test here (a countdown to the deadline; answers saved on the
    way); afterwards they and the trainer see the marked answers. The trainer marks short
    answers on the same page."""
    check_model_perm(request.user, TestAttempt, "view")
    attempt = get_restricted_or_404(TestAttempt, request.user, pk)
    services.expire_attempts()
    attempt.refresh_from_db()
    own = attempt.employee.user_id == request.user.pk
    trainer = has_model_perm(request.user, TestAttempt, "change")
    if request.method == "POST":
        if "mark" in request.POST:
            if not trainer:
                raise PermissionDenied(_("Only a trainer marks a test."))
            marks = {
                k[1:]: v for k, v in request.POST.items() if k.startswith("a") and k[1:].isdigit()
            }
            try:
                services.attempt_mark(attempt=attempt, marks=marks, actor=request.user)
                messages.success(request, _("Marks saved."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(attempt.get_absolute_url())
        if not own:
            raise PermissionDenied(_("This test is another employee's: only they answer it."))
        try:
            services.attempt_save(
                attempt=attempt,
                answers=_answers_from_post(request.POST, attempt),
                actor=request.user,
                submit="submit" in request.POST,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Handed in.") if "submit" in request.POST else _("Answers saved.")
            )
        return redirect(attempt.get_absolute_url())
    answers = list(attempt.answers.select_related("test_question"))
    taking = own and attempt.status == AttemptStatus.IN_PROGRESS
    rows = []
    for a in answers:
        tq = a.test_question
        rows.append(
            {
                "a": a,
                "tq": tq,
                "auto": tq.kind in AUTO_MARKED,
                "options": [
                    {
                        "i": i,
                        "text": o["text"],
                        "correct": o.get("correct"),
                        "chosen": i in (a.choices or []),
                    }
                    for i, o in enumerate(tq.options or [])
                ],
            }
        )
    seconds_left = max(0, int((attempt.deadline - timezone.now()).total_seconds())) if taking else 0
    return render(
        request,
        "quality/testattempt_detail.html",
        {
            "object": attempt,
            "rows": rows,
            "taking": taking,
            "seconds_left": seconds_left,
            "can_mark": trainer and attempt.status == AttemptStatus.SUBMITTED,
            "show_key": not taking and (trainer or attempt.status == AttemptStatus.MARKED),
            "title": str(attempt),
        },
    )
