"""Helpers of the quality pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from ccops.core.models import Site
from ccops.people.services import employee_for


def error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def run(request, obj_or_url, action, success: str | None = None):
    """Call ``action()``; show its refusal as an error message; redirect back."""
    try:
        result = action()
    except ValidationError as exc:
        error(request, exc)
        result = None
    else:
        if success:
            messages.success(request, success)
    target = obj_or_url if isinstance(obj_or_url, str) else obj_or_url.get_absolute_url()
    return redirect(target), result


def user_site(request) -> Site | None:
    """The user's site, else the first site they may see."""
    employee = employee_for(request.user)
    if employee is not None:
        return employee.site
    return Site.objects.restrict(request.user, "view").order_by("code").first()


def parse_answers(post, questions) -> dict:
    """``{question id: {"value", "na", "comment"}}`` from the scoring form's fields
    ``q<id>`` (value), ``q<id>_na`` and ``q<id>_comment``."""
    out = {}
    for q in questions:
        raw = post.get(f"q{q.pk}", "").strip()
        na = post.get(f"q{q.pk}_na") in ("1", "on", "true")
        try:
            value = float(raw) if raw != "" else None
        except ValueError:
            value = None
        out[q.pk] = {"value": value, "na": na, "comment": post.get(f"q{q.pk}_comment", "")[:2000]}
    return out


def answer_rows(questions, answers_by_question: dict) -> list[dict]:
    """Rows for the scoring template: question, its current answer (or None), choices."""
    rows = []
    for q in questions:
        a = answers_by_question.get(q.pk)
        if q.kind == "yes_no":
            choices = [(1, "yes"), (0, "no")]
        elif q.kind == "scale":
            choices = [(v, str(v)) for v in range(q.scale_min, q.scale_max + 1)]
        else:
            choices = []
        rows.append({"q": q, "a": a, "choices": choices})
    return rows
