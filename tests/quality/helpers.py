"""Sample quality records for the tests: a form, imported calls, released evaluations."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from ccops.core import audit
from ccops.quality.services import evaluations as ev
from ccops.quality.services import forms as fs
from ccops.wfm.models import CallRecord

_n = itertools.count(1)


def form(w, *, queue=None):
    """A form: section "Greeting" (weight 1: a yes/no, a 1-5 scale) and "Compliance"
    (weight 2: a yes/no critical question, a fatal yes/no, a bonus yes/no)."""
    actor = w.users["quality_supervisor"]
    f = fs.evaluation_form_create(
        name=f"Retail calls {next(_n)}", site=w.site, queue=queue, actor=actor
    )
    v = f.current_version
    greeting = fs.form_section_add(version=v, title="Greeting", weight=1, order=1, actor=actor)
    compliance = fs.form_section_add(version=v, title="Compliance", weight=2, order=2, actor=actor)
    fs.form_question_add(section=greeting, text="Greets with the name", order=1, actor=actor)
    fs.form_question_add(
        section=greeting,
        text="Tone",
        kind="scale",
        scale_min=1,
        scale_max=5,
        points=4,
        order=2,
        actor=actor,
    )
    fs.form_question_add(
        section=compliance,
        text="Verifies identity",
        critical=True,
        points=2,
        order=1,
        actor=actor,
    )
    fs.form_question_add(
        section=compliance,
        text="No data disclosed",
        fatal="form",
        points=2,
        order=2,
        actor=actor,
    )
    fs.form_question_add(
        section=compliance,
        text="Offers a further product",
        bonus=True,
        points=1,
        order=3,
        actor=actor,
    )
    return f


def questions(version):
    return {q.text: q for q in version.questions()}


def answers(version, **by_text):
    """All yes / 5, with overrides ``Tone=3`` etc. (text with spaces as underscores)."""
    out = {}
    for q in version.questions():
        key = q.text.replace(" ", "_")
        value = by_text.get(key, 5 if q.kind == "scale" else 1)
        out[q.pk] = {"na": True} if value == "na" else {"value": value, "comment": ""}
    return out


def call(w, *, employee=None, when=None, queue=None, handle=240.0, transferred=False, ref=None):
    employee = employee if employee is not None else w.employees["agent"]
    when = when or timezone.now() - dt.timedelta(hours=2)
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return CallRecord.objects.create(
            site=w.site,
            queue=queue or w.queue,
            call_reference=ref or f"C{next(_n):06d}",
            started_at=when,
            answered_at=when + dt.timedelta(seconds=10),
            ended_at=when + dt.timedelta(seconds=10 + handle),
            outcome="answered",
            wait_seconds=10,
            talk_seconds=handle - 30,
            hold_seconds=10,
            acw_seconds=20,
            handle_seconds=handle,
            transferred=transferred,
            agent_login=employee.acd_login or employee.employee_number,
            employee=employee,
        )


def evaluation(w, f=None, *, agent=None, released=True, when=None, **scores):
    f = f or form(w)
    version = f.current_version
    agent = agent or w.employees["agent"]
    c = call(w, employee=agent, when=when)
    e = ev.evaluation_create(
        site=w.site,
        agent=agent,
        form_version=version,
        call=c,
        call_reference=c.call_reference,
        inspector=w.employees["qa_inspector"],
        actor=w.users["qa_inspector"],
    )
    e = ev.evaluation_score(
        evaluation=e,
        answers=answers(version, **scores),
        coaching_note="Well done",
        release=released,
        actor=w.users["qa_inspector"],
    )
    return e
