"""Permission matrix of the quality pages and API, and agents' own rows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix
from ccops.quality.models import (
    CoachingSession,
    Complaint,
    DisciplineRecord,
    Evaluation,
    Scorecard,
    TestAttempt,
)
from ccops.quality.services import calibration as cal
from ccops.quality.services import complaints as cpl
from ccops.quality.services import discipline as dis
from ccops.quality.services import evaluations as ev
from ccops.quality.services import scorecards as sc
from ccops.quality.services import skills as sk
from ccops.quality.services import stats as st
from tests.quality.helpers import call, evaluation, form

LEAD = {"quality_supervisor", "center_director"}
INSPECTORS = {"qa_inspector"} | LEAD
TRAINERS = {"trainer"} | LEAD
READERS = SUPERVISORS | MANAGERS | {"qa_inspector", "statistician", "trainer"}
STAT = {"statistician"}
CALIBRATION_READERS = INSPECTORS | MANAGERS | TRAINERS | {"operations_supervisor"}
COACHES = INSPECTORS | MANAGERS | TRAINERS
POST = {"method": "post", "ok": (302,)}
AGENT = {"agent"}
#: The evaluators of the sample calibration.
CALIBRATORS = {"qa_inspector", "trainer", "group_manager", "area_manager"}
MONTH = timezone.localdate().replace(day=1)


def cached(fn):
    """Build the sample row once per world (the matrix asks for it once per role)."""

    def wrapper(w, u=None):
        store = w.__dict__.setdefault("_rows", {})
        if fn.__name__ not in store:
            store[fn.__name__] = fn(w)
        return store[fn.__name__]

    wrapper.__name__ = fn.__name__
    return wrapper


@cached
def the_form(w):
    return form(w)


@cached
def released(w):
    return evaluation(w, the_form(w))


@cached
def plan(w):
    return ev.qa_plan_create(
        site=w.site,
        month=MONTH,
        name="Plan",
        actor=w.users["quality_supervisor"],
        inspectors=[w.employees["qa_inspector"]],
        seed=1,
    )


@cached
def dispute(w):
    e = evaluation(w, the_form(w))
    return ev.dispute_raise(
        evaluation=e,
        questions=[e.form_version.questions().first()],
        reason="unfair",
        actor=w.users["agent"],
    )


@cached
def coaching(w):
    return ev.coaching_plan(
        agent=w.employees["agent"],
        topic="Tone",
        planned_for=timezone.localdate(),
        actor=w.users["quality_supervisor"],
    )


@cached
def calibration(w):
    return cal.calibration_create(
        site=w.site,
        title="Cal",
        form_version=the_form(w).current_version,
        call_reference="C1",
        participants=[w.employees[r] for r in CALIBRATORS],
        expert=w.employees["quality_supervisor"],
        due_date=timezone.localdate(),
        actor=w.users["quality_supervisor"],
    )


@cached
def complaint(w):
    return cpl.complaint_register(
        site=w.site,
        received_on=timezone.localdate(),
        channel="phone",
        category="attitude",
        description="Rude",
        agent=w.employees["agent"],
        actor=w.users["quality_supervisor"],
    )


@cached
def summary(w):
    return cpl.complaint_summary_create(
        site=w.site, month=MONTH, actor=w.users["quality_supervisor"]
    )


@cached
def csat(w):
    c = call(w, ref="CS-1")
    return cpl.satisfaction_import(
        site=w.site,
        filename="s.csv",
        content=f"call_reference,score\n{c.call_reference},4\n".encode(),
        actor=w.users["quality_supervisor"],
    )


@cached
def skills_test(w):
    now = timezone.now()
    return sk.skills_test_create(
        site=w.site,
        title="Test",
        year=now.year,
        quarter=1,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        actor=w.users["trainer"],
    )


@cached
def attempt(w):
    from ccops.core import audit
    from ccops.quality.models import TestAttempt as TA

    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        return TA.objects.create(
            test=skills_test(w),
            employee=w.employees["agent"],
            started_at=timezone.now(),
            deadline=timezone.now() + dt.timedelta(minutes=30),
        )


@cached
def stats(w):
    call(w)
    return st.agent_stats_derive(
        site=w.site, month=timezone.localdate(), actor=w.users["statistician"]
    )


@cached
def rule(w):
    from ccops.core.services import record_create
    from ccops.quality.models import KPIRule

    return record_create(
        KPIRule,
        data={
            "site": w.site,
            "kpi": "aht_seconds",
            "better": "lower",
            "thresholds": [300],
            "points": [10],
        },
        actor=w.users["quality_supervisor"],
    )


@cached
def record(w):
    return dis.discipline_record(
        site=w.site,
        employee=w.employees["agent"],
        occurred_on=timezone.localdate(),
        kind="lateness",
        description="Late",
        actor=w.users["quality_supervisor"],
    )


@cached
def sheet(w):
    released(w)
    return sc.scorecard_compute(
        site=w.site, month=timezone.localdate(), actor=w.users["quality_supervisor"]
    )


@cached
def card(w):
    return sc.current_scorecards(sheet(w)).get(employee=w.employees["agent"])


@cached
def settings_row(w):
    from ccops.quality.services.common import settings_for

    return settings_for(w.site)


def pk(fn):
    return lambda w, u: [fn(w).pk]


def version_pk(w, u):
    return [the_form(w).current_version.pk]


def section_pk(w, u):
    return [the_form(w).current_version.sections.first().pk]


def question_pk(w, u):
    return [the_form(w).current_version.questions().first().pk]


def stat_row_pk(w, u):
    return [stats(w).rows.first().pk]


def month_data(w, u):
    return {"month": MONTH.strftime("%Y-%m")}


class TestQualityPermissions(PermissionMatrix):
    pages = {
        "quality:my_quality": Check(ALL_ROLES),
        "quality:evaluationform_list": Check(READERS | {"agent"}),
        "quality:evaluationform_detail": Check(READERS | {"agent"}, args=pk(the_form)),
        "quality:evaluationform_add": Check(LEAD),
        "quality:evaluationform_edit": Check(LEAD, args=pk(the_form)),
        "quality:evaluationform_archive": Check(LEAD, args=pk(the_form)),
        "quality:question_agreement": Check(CALIBRATION_READERS, args=pk(the_form)),
        "quality:formversion_detail": Check(READERS | {"agent"}, args=version_pk),
        "quality:formsection_add": Check(
            LEAD, args=version_pk, data=lambda w, u: {"title": "S"}, **POST
        ),
        "quality:formsection_edit": Check(
            LEAD, args=section_pk, data=lambda w, u: {"title": "S", "weight": 1, "order": 1}, **POST
        ),
        "quality:formquestion_add": Check(
            LEAD, args=section_pk, data=lambda w, u: {"text": "Q"}, **POST
        ),
        "quality:formquestion_edit": Check(
            LEAD, args=question_pk, data=lambda w, u: {"text": "Q2"}, **POST
        ),
        "quality:formquestion_remove": Check(LEAD, args=question_pk, **POST),
        "quality:qualitysettings_list": Check(READERS),
        "quality:qualitysettings_detail": Check(READERS, args=pk(settings_row)),
        "quality:qualitysettings_edit": Check(LEAD, args=pk(settings_row)),
        "quality:qaplan_list": Check(INSPECTORS | MANAGERS | SUPERVISORS),
        "quality:qaplan_detail": Check(INSPECTORS | MANAGERS | SUPERVISORS, args=pk(plan)),
        "quality:qaplan_add": Check(LEAD),
        "quality:qaplan_edit": Check(LEAD, args=pk(plan)),
        "quality:qaplan_archive": Check(LEAD, args=pk(plan)),
        "quality:qaplan_draw": Check(LEAD, args=pk(plan), **POST),
        "quality:qa_scores": Check(ALL_ROLES),
        "quality:callrecord_list": Check(ALL_ROLES),
        "quality:callrecord_evaluate": Check(INSPECTORS, args=lambda w, u: [call(w).pk]),
        "quality:evaluation_list": Check(ALL_ROLES),
        "quality:evaluation_detail": Check(ALL_ROLES, args=pk(released)),
        "quality:evaluation_score": Check(INSPECTORS, args=pk(released), ok=(302,)),
        "quality:evaluation_acknowledge": Check(AGENT, args=pk(released), **POST),
        "quality:evaluation_cancel": Check(INSPECTORS, args=pk(released), **POST),
        "quality:evaluation_dispute": Check(AGENT, args=pk(released), **POST),
        "quality:evaluationdispute_list": Check(ALL_ROLES),
        "quality:evaluationdispute_detail": Check(ALL_ROLES, args=pk(dispute)),
        "quality:evaluationdispute_rescore": Check(LEAD, args=pk(dispute), **POST),
        "quality:evaluationdispute_decline": Check(LEAD, args=pk(dispute), **POST),
        "quality:coachingsession_list": Check(ALL_ROLES),
        "quality:coachingsession_detail": Check(ALL_ROLES, args=pk(coaching)),
        "quality:coachingsession_add": Check(COACHES),
        "quality:coachingsession_edit": Check(COACHES, args=pk(coaching)),
        "quality:coachingsession_archive": Check(LEAD, args=pk(coaching)),
        "quality:coachingsession_hold": Check(ALL_ROLES, args=pk(coaching), **POST),
        "quality:coachingsession_follow_up": Check(ALL_ROLES, args=pk(coaching), **POST),
        "quality:coachingsession_cancel": Check(ALL_ROLES, args=pk(coaching), **POST),
        "quality:coachingsession_acknowledge": Check(AGENT, args=pk(coaching), **POST),
        "quality:calibrationsession_list": Check(CALIBRATION_READERS),
        "quality:calibrationsession_detail": Check(CALIBRATION_READERS, args=pk(calibration)),
        "quality:calibrationsession_add": Check(LEAD),
        "quality:calibrationsession_edit": Check(LEAD, args=pk(calibration)),
        "quality:calibrationsession_archive": Check(LEAD, args=pk(calibration)),
        "quality:calibrationsession_score": Check(CALIBRATORS, args=pk(calibration), **POST),
        "quality:calibrationsession_close": Check(LEAD, args=pk(calibration), **POST),
        "quality:complaint_list": Check(ALL_ROLES),
        "quality:complaint_detail": Check(ALL_ROLES, args=pk(complaint)),
        "quality:complaint_add": Check(INSPECTORS | SUPERVISORS),
        "quality:complaint_edit": Check(INSPECTORS | SUPERVISORS, args=pk(complaint)),
        "quality:complaint_archive": Check(LEAD, args=pk(complaint)),
        "quality:complaint_investigate": Check(
            INSPECTORS | SUPERVISORS, args=pk(complaint), **POST
        ),
        "quality:complaint_close": Check(INSPECTORS | SUPERVISORS, args=pk(complaint), **POST),
        "quality:complaintsummary_list": Check(INSPECTORS | SUPERVISORS | MANAGERS | STAT),
        "quality:complaintsummary_detail": Check(
            INSPECTORS | SUPERVISORS | MANAGERS | STAT, args=pk(summary)
        ),
        "quality:complaintsummary_add": Check(LEAD, data=month_data, **POST),
        "quality:satisfactionimport_list": Check(INSPECTORS | SUPERVISORS | MANAGERS | STAT),
        "quality:satisfactionimport_detail": Check(
            INSPECTORS | SUPERVISORS | MANAGERS | STAT, args=pk(csat)
        ),
        "quality:satisfactionimport_add": Check(LEAD | STAT, **POST),
        "quality:skillstest_list": Check(ALL_ROLES),
        "quality:skillstest_detail": Check(ALL_ROLES, args=pk(skills_test)),
        "quality:skillstest_add": Check(TRAINERS),
        "quality:skillstest_edit": Check(TRAINERS, args=pk(skills_test)),
        "quality:skillstest_archive": Check(TRAINERS, args=pk(skills_test)),
        "quality:skillstest_assemble": Check(TRAINERS, args=pk(skills_test), **POST),
        "quality:skillstest_publish": Check(TRAINERS, args=pk(skills_test), **POST),
        "quality:skillstest_close": Check(TRAINERS, args=pk(skills_test), **POST),
        "quality:skillstest_start": Check(ALL_ROLES, args=pk(skills_test), **POST),
        "quality:testattempt_list": Check(ALL_ROLES),
        "quality:testattempt_detail": Check(ALL_ROLES, args=pk(attempt)),
        "quality:agentstatmonth_list": Check(READERS),
        "quality:agentstatmonth_detail": Check(READERS, args=pk(stats)),
        "quality:agentstatmonth_derive": Check(STAT, data=month_data, **POST),
        "quality:agentstatmonth_import": Check(STAT, data=month_data, **POST),
        "quality:agentstatmonth_sign": Check(STAT, args=pk(stats), **POST),
        "quality:agentstatmonth_amend": Check(STAT, args=pk(stats), **POST),
        "quality:agentmonthstat_edit": Check(STAT, args=stat_row_pk),
        "quality:kpirule_list": Check(READERS),
        "quality:kpirule_detail": Check(READERS, args=pk(rule)),
        "quality:kpirule_add": Check(LEAD | STAT),
        "quality:kpirule_edit": Check(LEAD | STAT, args=pk(rule)),
        "quality:kpirule_archive": Check(LEAD | STAT, args=pk(rule)),
        "quality:disciplinerecord_list": Check(ALL_ROLES),
        "quality:disciplinerecord_detail": Check(ALL_ROLES, args=pk(record)),
        "quality:disciplinerecord_add": Check(SUPERVISORS | MANAGERS),
        "quality:disciplinerecord_edit": Check(LEAD, args=pk(record)),
        "quality:disciplinerecord_archive": Check(LEAD, args=pk(record)),
        "quality:disciplinerecord_derive": Check(LEAD, data=month_data, **POST),
        "quality:disciplinerecord_appeal": Check(AGENT, args=pk(record), **POST),
        "quality:disciplinerecord_decide": Check(LEAD, args=pk(record), **POST),
        "quality:scorecardmonth_list": Check(READERS),
        "quality:scorecardmonth_detail": Check(READERS, args=pk(sheet)),
        "quality:scorecardmonth_compute": Check(LEAD, data=month_data, **POST),
        "quality:scorecardmonth_release": Check(LEAD, args=pk(sheet), **POST),
        "quality:scorecardmonth_export": Check(READERS, args=pk(sheet)),
        "quality:scorecard_detail": Check(ALL_ROLES, args=pk(card)),
        "quality:scorecard_amend": Check(LEAD, args=pk(card), **POST),
    }
    api = {
        "quality_evaluationform_list": Check(READERS | {"agent"}),
        "quality_evaluationform_get": Check(READERS | {"agent"}, args=pk(the_form)),
        "quality_evaluationform_archive": Check(
            LEAD, args=pk(the_form), method="post", ok=(200, 409)
        ),
        "quality_qaplan_list": Check(INSPECTORS | MANAGERS | SUPERVISORS),
        "quality_qaplan_get": Check(INSPECTORS | MANAGERS | SUPERVISORS, args=pk(plan)),
        "quality_qaplan_create": Check(
            LEAD,
            method="post",
            ok=(201,),
            data=lambda w, u: {"site": w.site.pk, "month": str(MONTH), "name": "P", "seed": 3},
        ),
        "quality_qaplan_update": Check(
            LEAD, args=pk(plan), method="patch", data=lambda w, u: {"name": "P2"}
        ),
        "quality_qaplan_archive": Check(LEAD, args=pk(plan), method="post", ok=(200, 409)),
        "quality_qaplan_draw": Check(LEAD, args=pk(plan), method="post", ok=(409, 422)),
        "wfm_callrecord_list": Check(ALL_ROLES),
        "wfm_callrecord_get": Check(
            ALL_ROLES, args=lambda w, u: [call(w, employee=w.employees["agent"]).pk], ok=(200, 404)
        ),
        "quality_evaluation_list": Check(ALL_ROLES),
        "quality_evaluation_get": Check(ALL_ROLES, args=pk(released)),
        "quality_evaluation_create": Check(
            INSPECTORS,
            method="post",
            ok=(201,),
            data=lambda w, u: {"call": call(w).pk, "form_version": the_form(w).current_version.pk},
        ),
        "quality_evaluation_score": Check(
            INSPECTORS,
            args=pk(released),
            method="post",
            ok=(409,),
            data=lambda w, u: {"answers": []},
        ),
        "quality_evaluation_release": Check(
            INSPECTORS, args=pk(released), method="post", ok=(409,)
        ),
        "quality_evaluation_acknowledge": Check(
            ALL_ROLES, args=pk(released), method="post", ok=(200, 403, 409), anonymous=(401,)
        ),
        "quality_evaluation_dispute": Check(
            ALL_ROLES,
            args=pk(released),
            method="post",
            ok=(201, 403, 409, 422),
            data=lambda w, u: {"questions": [], "reason": "x"},
        ),
        "quality_evaluationdispute_list": Check(ALL_ROLES),
        "quality_evaluationdispute_get": Check(ALL_ROLES, args=pk(dispute)),
        "quality_evaluationdispute_rescore": Check(
            LEAD,
            args=pk(dispute),
            method="post",
            ok=(200, 409, 422),
            data=lambda w, u: {"answers": [], "reason": ""},
        ),
        "quality_evaluationdispute_decline": Check(
            LEAD,
            args=pk(dispute),
            method="post",
            ok=(200, 409, 422),
            data=lambda w, u: {"note": ""},
        ),
        "quality_coachingsession_list": Check(ALL_ROLES),
        "quality_coachingsession_get": Check(ALL_ROLES, args=pk(coaching)),
        "quality_coachingsession_create": Check(
            COACHES,
            method="post",
            ok=(201,),
            data=lambda w, u: {
                "agent": w.employees["agent"].pk,
                "topic": "T",
                "planned_for": str(timezone.localdate()),
            },
        ),
        "quality_coachingsession_archive": Check(
            LEAD, args=pk(coaching), method="post", ok=(200, 409)
        ),
        "quality_coachingsession_hold": Check(
            COACHES,
            args=pk(coaching),
            method="post",
            ok=(200, 403, 404, 409, 422),
            data=lambda w, u: {"notes": "", "follow_up_due": str(timezone.localdate())},
        ),
        "quality_coachingsession_follow_up": Check(
            COACHES,
            args=pk(coaching),
            method="post",
            ok=(200, 403, 404, 409, 422),
            data=lambda w, u: {"note": ""},
        ),
        "quality_coachingsession_acknowledge": Check(
            ALL_ROLES, args=pk(coaching), method="post", ok=(200, 403, 404, 409)
        ),
        "quality_calibrationsession_list": Check(CALIBRATION_READERS),
        "quality_calibrationsession_get": Check(CALIBRATION_READERS, args=pk(calibration)),
        "quality_calibrationsession_create": Check(
            LEAD,
            method="post",
            ok=(201,),
            data=lambda w, u: {
                "site": w.site.pk,
                "title": "C",
                "form_version": the_form(w).current_version.pk,
                "call_reference": "X",
                "participants": [w.employees["qa_inspector"].pk, w.employees["trainer"].pk],
                "expert": w.employees["quality_supervisor"].pk,
                "due_date": str(timezone.localdate()),
            },
        ),
        "quality_calibrationsession_archive": Check(
            LEAD, args=pk(calibration), method="post", ok=(200, 409)
        ),
        "quality_calibrationsession_score": Check(
            CALIBRATORS,
            args=pk(calibration),
            method="post",
            ok=(200, 403, 404, 409, 422),
            data=lambda w, u: {"answers": []},
        ),
        "quality_calibrationsession_close": Check(
            LEAD, args=pk(calibration), method="post", ok=(409, 422)
        ),
        "quality_complaint_list": Check(ALL_ROLES),
        "quality_complaint_get": Check(ALL_ROLES, args=pk(complaint)),
        "quality_complaint_create": Check(
            INSPECTORS | SUPERVISORS,
            method="post",
            ok=(201,),
            data=lambda w, u: {
                "site": w.site.pk,
                "received_on": str(timezone.localdate()),
                "channel": "phone",
                "category": "attitude",
                "description": "Rude",
            },
        ),
        "quality_complaint_archive": Check(LEAD, args=pk(complaint), method="post", ok=(200, 409)),
        "quality_complaint_investigate": Check(
            INSPECTORS | SUPERVISORS,
            args=pk(complaint),
            method="post",
            ok=(200, 409),
            data=lambda w, u: {"investigator": w.employees["qa_inspector"].pk},
        ),
        "quality_complaint_close": Check(
            INSPECTORS | SUPERVISORS,
            args=pk(complaint),
            method="post",
            ok=(409, 422),
            data=lambda w, u: {"outcome": "x", "findings": ""},
        ),
        "quality_complaintsummary_list": Check(INSPECTORS | SUPERVISORS | MANAGERS | STAT),
        "quality_complaintsummary_get": Check(
            INSPECTORS | SUPERVISORS | MANAGERS | STAT, args=pk(summary)
        ),
        "quality_complaintsummary_create": Check(
            LEAD,
            method="post",
            ok=(201,),
            data=lambda w, u: {"site": w.site.pk, "month": str(MONTH)},
        ),
        "quality_satisfactionimport_list": Check(INSPECTORS | SUPERVISORS | MANAGERS | STAT),
        "quality_satisfactionimport_get": Check(
            INSPECTORS | SUPERVISORS | MANAGERS | STAT, args=pk(csat)
        ),
        "quality_satisfactionimport_create": Check(LEAD | STAT, method="post", ok=(422,)),
        "quality_skillstest_list": Check(ALL_ROLES),
        "quality_skillstest_get": Check(ALL_ROLES, args=pk(skills_test)),
        "quality_skillstest_create": Check(
            TRAINERS,
            method="post",
            ok=(201,),
            data=lambda w, u: {
                "site": w.site.pk,
                "title": "T",
                "year": 2026,
                "quarter": 4,
                "opens_at": "2026-12-01T08:00:00Z",
                "closes_at": "2026-12-08T08:00:00Z",
            },
        ),
        "quality_skillstest_archive": Check(
            TRAINERS, args=pk(skills_test), method="post", ok=(200, 409)
        ),
        "quality_skillstest_assemble": Check(
            TRAINERS,
            args=pk(skills_test),
            method="post",
            ok=(409, 422),
            data=lambda w, u: {"per_topic": {}},
        ),
        "quality_skillstest_publish": Check(
            TRAINERS, args=pk(skills_test), method="post", ok=(409, 422)
        ),
        "quality_skillstest_start": Check(
            ALL_ROLES, args=pk(skills_test), method="post", ok=(201, 403, 404, 422)
        ),
        "quality_testattempt_list": Check(ALL_ROLES),
        "quality_testattempt_get": Check(ALL_ROLES, args=pk(attempt)),
        "quality_testattempt_answers": Check(
            ALL_ROLES,
            args=pk(attempt),
            method="post",
            ok=(200, 403, 404),
            data=lambda w, u: {"answers": []},
        ),
        "quality_testattempt_mark": Check(
            TRAINERS, args=pk(attempt), method="post", ok=(409,), data=lambda w, u: {"marks": {}}
        ),
        "quality_agentstatmonth_list": Check(READERS),
        "quality_agentstatmonth_get": Check(READERS, args=pk(stats)),
        "quality_agentstatmonth_derive": Check(
            STAT,
            method="post",
            ok=(201,),
            data=lambda w, u: {"site": w.site.pk, "month": str(timezone.localdate())},
        ),
        "quality_agentstatmonth_import": Check(STAT, method="post", ok=(422,)),
        "quality_agentstatmonth_sign": Check(
            STAT, args=pk(stats), method="post", ok=(200, 409, 422)
        ),
        "quality_agentstatmonth_amend": Check(
            STAT, args=pk(stats), method="post", ok=(201, 422), data=lambda w, u: {"note": "fix"}
        ),
        "quality_kpirule_list": Check(READERS),
        "quality_kpirule_get": Check(READERS, args=pk(rule)),
        "quality_kpirule_create": Check(
            LEAD | STAT,
            method="post",
            ok=(201, 422),
            data=lambda w, u: {
                "site": w.site.pk,
                "kpi": "transfer_rate",
                "better": "lower",
                "thresholds": [0.1],
                "points": [5],
            },
        ),
        "quality_kpirule_update": Check(
            LEAD | STAT, args=pk(rule), method="patch", data=lambda w, u: {"order": 3}
        ),
        "quality_kpirule_archive": Check(LEAD | STAT, args=pk(rule), method="post", ok=(200, 409)),
        "quality_disciplinerecord_list": Check(ALL_ROLES),
        "quality_disciplinerecord_get": Check(ALL_ROLES, args=pk(record)),
        "quality_disciplinerecord_create": Check(
            SUPERVISORS | MANAGERS,
            method="post",
            ok=(201,),
            data=lambda w, u: {
                "site": w.site.pk,
                "employee": w.employees["agent"].pk,
                "occurred_on": str(timezone.localdate()),
                "kind": "lateness",
                "description": "Late",
            },
        ),
        "quality_disciplinerecord_archive": Check(
            LEAD, args=pk(record), method="post", ok=(200, 409)
        ),
        "quality_disciplinerecord_derive": Check(
            LEAD, method="post", data=lambda w, u: {"site": w.site.pk, "month": str(MONTH)}
        ),
        "quality_disciplinerecord_appeal": Check(
            ALL_ROLES,
            args=pk(record),
            method="post",
            ok=(200, 403, 404, 409),
            data=lambda w, u: {"reason": "bus"},
        ),
        "quality_disciplinerecord_decide": Check(
            LEAD,
            args=pk(record),
            method="post",
            ok=(200, 409, 422),
            data=lambda w, u: {"accept": False, "note": "no"},
        ),
        "quality_scorecardmonth_list": Check(READERS),
        "quality_scorecardmonth_get": Check(READERS, args=pk(sheet)),
        "quality_scorecardmonth_compute": Check(
            LEAD,
            method="post",
            ok=(200, 409),
            data=lambda w, u: {"site": w.site.pk, "month": str(timezone.localdate())},
        ),
        "quality_scorecardmonth_release": Check(LEAD, args=pk(sheet), method="post", ok=(200, 409)),
        "quality_scorecardmonth_export": Check(READERS, args=pk(sheet)),
        "quality_scorecard_list": Check(ALL_ROLES),
        "quality_scorecard_get": Check(ALL_ROLES, args=pk(card)),
        "quality_scorecard_amend": Check(
            LEAD,
            args=pk(card),
            method="post",
            ok=(201, 409, 422),
            data=lambda w, u: {"reason": "x"},
        ),
    }


class TestEvaluationsOwnRows(OwnRowsTests):
    model = Evaluation
    list_url = "quality:evaluation_list"
    detail_url = "quality:evaluation_detail"
    api_list = "quality_evaluation_list"

    def own(self, w):
        return released(w)

    def others(self, w):
        return evaluation(w, the_form(w), agent=w.other_employee)


class TestCoachingOwnRows(OwnRowsTests):
    model = CoachingSession
    list_url = "quality:coachingsession_list"
    detail_url = "quality:coachingsession_detail"
    api_list = "quality_coachingsession_list"

    def own(self, w):
        return coaching(w)

    def others(self, w):
        return ev.coaching_plan(
            agent=w.other_employee,
            topic="x",
            planned_for=timezone.localdate(),
            actor=w.users["quality_supervisor"],
        )


class TestComplaintsOwnRows(OwnRowsTests):
    model = Complaint
    list_url = "quality:complaint_list"
    detail_url = "quality:complaint_detail"
    api_list = "quality_complaint_list"

    def own(self, w):
        return complaint(w)

    def others(self, w):
        return cpl.complaint_register(
            site=w.site,
            received_on=timezone.localdate(),
            channel="phone",
            category="waiting",
            description="x",
            agent=w.other_employee,
            actor=w.users["quality_supervisor"],
        )


class TestDisciplineOwnRows(OwnRowsTests):
    model = DisciplineRecord
    list_url = "quality:disciplinerecord_list"
    detail_url = "quality:disciplinerecord_detail"
    api_list = "quality_disciplinerecord_list"

    def own(self, w):
        return record(w)

    def others(self, w):
        return dis.discipline_record(
            site=w.site,
            employee=w.other_employee,
            occurred_on=timezone.localdate(),
            kind="absence",
            description="x",
            actor=w.users["quality_supervisor"],
        )


class TestTestAttemptsOwnRows(OwnRowsTests):
    model = TestAttempt
    list_url = "quality:testattempt_list"
    detail_url = "quality:testattempt_detail"
    api_list = "quality_testattempt_list"

    def own(self, w):
        return attempt(w)

    def others(self, w):
        from ccops.core import audit

        with audit.acting_as(None, via=audit.VIA_SYSTEM):
            return TestAttempt.objects.create(
                test=skills_test(w),
                employee=w.other_employee,
                started_at=timezone.now(),
                deadline=timezone.now() + dt.timedelta(minutes=30),
            )


class TestScorecardsOwnRows:
    """The scorecard list is the month's page (no per-agent list): the API and details."""

    def test_agent_sees_only_own_scorecards(self, client, db):
        from django.urls import reverse

        from ccops.core.testing import api_operation_paths, build_world

        w = build_world()
        evaluation(w, the_form(w), agent=w.other_employee)
        cards = {c.employee_id: c for c in sc.current_scorecards(sheet(w))}
        client.force_login(w.users["agent"])
        ids = {
            r["id"]
            for r in client.get(api_operation_paths()["quality_scorecard_list"]).json()["items"]
        }
        assert ids == {cards[w.employees["agent"].pk].pk}
        other = cards[w.other_employee.pk]
        assert client.get(reverse("quality:scorecard_detail", args=[other.pk])).status_code == 404
        assert set(Scorecard.objects.restrict(w.users["agent"], "view")) == {
            cards[w.employees["agent"].pk]
        }
