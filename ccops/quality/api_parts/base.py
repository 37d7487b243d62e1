"""The quality API's router and shared helpers."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.errors import HttpError

from ccops.core.apitools import resolve_pk
from ccops.core.models import Site
from ccops.core.permissions import missing_permission
from ccops.people.models import Employee

router = Router(tags=["quality"])


class AnswerIn(Schema):
    """One answer: ``value`` (1/0 yes/no, the scale value, or the points), ``na``, a comment."""

    question: int
    value: float | None = None
    na: bool = False
    comment: str = ""


class MonthIn(Schema):
    site: int
    month: dt.date


def answers_dict(answers: list[AnswerIn]) -> dict:
    return {
        a.question: {"value": a.value, "na": a.na, "comment": a.comment[:2000]} for a in answers
    }


def site_of(pk: int) -> Site:
    return resolve_pk(Site, pk, "site")


def employee(actor, pk, field):
    return resolve_pk(Employee, pk, field, Employee.objects.restrict(actor, "view"))


def need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, missing_permission(perm))
