"""Skills tests from the shared question bank, the agents' figures (derived, imported,
signed, amended), discipline from attendance and handovers, and the monthly scorecard
(released and frozen, amended, ranked, exported)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.services import record_create
from ccops.core.testing import build_world
from ccops.people.models import Employee
from ccops.quality.models import KPIRule, Scorecard
from ccops.quality.services import discipline as dis
from ccops.quality.services import scorecards as sc
from ccops.quality.services import skills as sk
from ccops.quality.services import stats as st
from ccops.quality.services.common import month_start
from ccops.shiftops.models import AttendanceRecord, HandoverQuestion
from tests.quality.helpers import call, evaluation, form

pytestmark = pytest.mark.django_db


def _bank(w):
    with audit.acting_as(w.users["trainer"]):
        rows = [
            HandoverQuestion(
                topic="Cards",
                text="Which card has no annual fee?",
                kind="single",
                options=[{"text": "Gold", "correct": False}, {"text": "Classic", "correct": True}],
            ),
            HandoverQuestion(
                topic="Cards",
                text="Which are debit cards?",
                kind="multiple",
                points=2,
                options=[
                    {"text": "Classic", "correct": True},
                    {"text": "Gold", "correct": False},
                    {"text": "Young", "correct": True},
                ],
            ),
            HandoverQuestion(
                topic="Fraud",
                text="A PIN may be asked on the phone.",
                kind="true_false",
                answer_true=False,
            ),
            HandoverQuestion(
                topic="Fraud",
                text="What do you do first with a stolen card?",
                kind="short",
                expected_answer="Block it",
                points=2,
                for_handovers=True,
            ),
            HandoverQuestion(topic="Fraud", text="Handover only", for_tests=False),
        ]
        for r in rows:
            r.full_clean()
            r.save()
    return rows


def _test(w, **kw):
    now = timezone.now()
    return sk.skills_test_create(
        site=w.site,
        title="Q test",
        year=now.year,
        quarter=(now.month - 1) // 3 + 1,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
        time_limit_minutes=20,
        actor=w.users["trainer"],
        **kw,
    )


def test_bank_validation_is_shared_with_handovers():
    w = build_world()
    q = HandoverQuestion(
        topic="X", text="?", kind="single", options=[{"text": "a", "correct": True}]
    )
    with pytest.raises(ValidationError, match="two options"):
        q.full_clean()
    q.options.append({"text": "b", "correct": True})
    with pytest.raises(ValidationError, match="exactly one"):
        q.full_clean()
    with pytest.raises(ValidationError, match="true"):
        HandoverQuestion(topic="X", text="?", kind="true_false").full_clean()
    _bank(w)
    from ccops.shiftops.forms import HandoverQuestionForm, options_from_text

    assert options_from_text("* Classic\nGold\n") == [
        {"text": "Classic", "correct": True},
        {"text": "Gold", "correct": False},
    ]
    form = HandoverQuestionForm(
        data={
            "topic": "Cards",
            "text": "Pick",
            "kind": "single",
            "options_text": "* A\nB",
            "points": 1,
            "for_tests": "on",
        }
    )
    assert form.is_valid(), form.errors


def test_assemble_take_within_time_and_mark():
    w = build_world()
    bank = _bank(w)
    t = _test(w)
    with pytest.raises(ValidationError, match="Fraud"):
        sk.skills_test_assemble(test=t, per_topic={"Fraud": 5}, actor=w.users["trainer"])
    sk.skills_test_assemble(test=t, per_topic={"Cards": 2, "Fraud": 2}, actor=w.users["trainer"])
    assert t.questions.count() == 4 and t.max_points == 6
    assert not t.questions.filter(question=bank[4]).exists()  # not for tests
    with pytest.raises(ValidationError, match="not open"):
        sk.attempt_start(test=t, actor=w.users["agent"])
    sk.skills_test_publish(test=t, actor=w.users["trainer"])
    with pytest.raises(PermissionDenied):  # the group manager is no test taker
        sk.attempt_start(test=t, actor=w.users["group_manager"])
    a = sk.attempt_start(test=t, actor=w.users["agent"])
    assert a.deadline == a.started_at + dt.timedelta(minutes=20)
    with pytest.raises(ValidationError, match="already"):
        sk.attempt_start(test=t, actor=w.users["agent"])
    qs = {tq.question_id: tq for tq in t.questions.all()}
    answers = {
        qs[bank[0].pk].pk: {"choices": [1]},
        qs[bank[1].pk].pk: {"choices": [0]},  # half right: all or nothing
        qs[bank[2].pk].pk: {"answer_true": False},
        qs[bank[3].pk].pk: {"text": "Block the card"},
    }
    with pytest.raises(PermissionDenied):
        sk.attempt_save(attempt=a, answers=answers, actor=w.other_agent)
    a = sk.attempt_save(attempt=a, answers=answers, submit=True, actor=w.users["agent"])
    assert a.status == "submitted" and a.points is None  # the short answer waits for the trainer
    short = a.answers.get(test_question=qs[bank[3].pk])
    with pytest.raises(ValidationError, match="0 to 2"):
        sk.attempt_mark(attempt=a, marks={short.pk: 3}, actor=w.users["trainer"])
    a = sk.attempt_mark(attempt=a, marks={short.pk: 2}, actor=w.users["trainer"])
    assert a.status == "marked" and a.points == 4 and a.score_percent == pytest.approx(66.67)
    # Once time is up, late answers are refused and the attempt is handed in as it stood.
    late = sk.attempt_start(test=t, actor=w.other_agent)
    with pytest.raises(ValidationError, match="Time is up"):
        sk.attempt_save(
            attempt=late,
            answers={},
            actor=w.other_agent,
            now=late.deadline + dt.timedelta(seconds=5),
        )
    assert sk.expire_attempts(now=late.deadline + dt.timedelta(seconds=5)) == 1
    late.refresh_from_db()
    assert late.status == "marked" and late.submitted_at == late.deadline and late.points == 0


def _calls_for_month(w, agents, month):
    start = dt.datetime.combine(month, dt.time(10), tzinfo=w.site.zone)
    for i, a in enumerate(agents):
        for k in range(6):
            call(
                w,
                employee=a,
                when=start + dt.timedelta(days=k, minutes=i),
                handle=200 + 40 * i,
                transferred=k == 0 and i == 0,
            )


def test_stats_derived_signed_immutable_and_amended():
    w = build_world()
    month = month_start(timezone.localdate())
    _calls_for_month(w, [w.employees["agent"], w.other_employee], month)
    with pytest.raises(PermissionDenied):
        st.agent_stats_derive(site=w.site, month=month, actor=w.users["agent"])
    p = st.agent_stats_derive(site=w.site, month=month, actor=w.users["statistician"])
    rows = {r.employee_id: r for r in p.rows.all()}
    mine = rows[w.employees["agent"].pk]
    assert mine.calls_handled == 6 and mine.aht_seconds == 200 and mine.transfers == 1
    assert mine.hold_seconds == 10 and mine.acw_seconds == 20 and mine.days_with_calls == 6
    st.agent_stats_sign(period=p, actor=w.users["statistician"])
    with pytest.raises(Conflict):
        st.agent_stats_sign(period=p, actor=w.users["statistician"])
    with pytest.raises(ValidationError, match="signed"):
        st.agent_stat_correct(row=mine, calls_handled=7, actor=w.users["statistician"])
    mine.calls_handled = 7
    with pytest.raises(audit.RecordLocked), audit.acting_as(w.users["statistician"]):
        mine.save()
    amendment = st.agent_stats_amend(
        period=p, note="Two calls counted twice", actor=w.users["statistician"]
    )
    row = amendment.rows.get(employee=w.employees["agent"])
    st.agent_stat_correct(row=row, calls_handled=5, actor=w.users["statistician"])
    st.agent_stats_sign(period=amendment, actor=w.users["statistician"])
    assert st.signed_stats(w.site, month) == amendment


def test_agent_report_import_names_bad_rows_and_matches_logins():
    w = build_world()
    Employee.objects.filter(pk=w.employees["agent"].pk).update(acd_login="acd-7")
    month = month_start(timezone.localdate())
    bad = (
        b"agent,calls_handled,aht_seconds,adherence_percent\n"
        b"acd-7,100,300,95\nnobody,3,1,1\nacd-7,x,1,1\n"
    )
    with pytest.raises(ValidationError) as err:
        st.agent_stats_import(
            site=w.site, month=month, filename="acd.csv", content=bad, actor=w.users["statistician"]
        )
    text = " ".join(err.value.messages)
    assert "line 3, agent" in text and "'nobody'" in text and "line 4, agent" in text
    good = (
        b"agent,calls_handled,aht_seconds,login_seconds,ready_seconds,adherence_percent\n"
        b"acd-7,100,300,36000,28800,95\n"
        + w.other_employee.employee_number.encode()
        + b",80,420,,,88\n"
    )
    p = st.agent_stats_import(
        site=w.site, month=month, filename="acd.csv", content=good, actor=w.users["statistician"]
    )
    mine = p.rows.get(employee=w.employees["agent"])
    assert mine.ready_ratio == pytest.approx(0.8) and mine.adherence_percent == 95


def test_discipline_from_attendance_and_handovers_with_appeal():
    w = build_world()
    from tests.shiftops.helpers import handover

    today = timezone.localdate()
    start = dt.datetime.combine(today.replace(day=1), dt.time(9), tzinfo=w.site.zone)
    with audit.acting_as(None, via=audit.VIA_SYSTEM):
        late = AttendanceRecord.objects.create(
            employee=w.employees["agent"],
            shift_start=start,
            shift_end=start + dt.timedelta(hours=8),
            clock_in=start + dt.timedelta(minutes=12),
            status="late",
            late_minutes=12,
        )
        AttendanceRecord.objects.create(
            employee=w.other_employee,
            shift_start=start,
            shift_end=start + dt.timedelta(hours=8),
            status="absent",
        )
        AttendanceRecord.objects.create(
            employee=w.employees["agent"],
            shift_start=start + dt.timedelta(days=1),
            shift_end=start + dt.timedelta(days=1, hours=8),
            status="excused",
        )
        from ccops.shiftops.models import HandoverTime

        HandoverTime.objects.create(site=w.site, time=dt.time(8), name="Morning", grace_minutes=30)
    when = dt.datetime.combine(today.replace(day=1), dt.time(8), tzinfo=w.site.zone)
    handover(w, when=when)  # opened, never signed
    report = dis.discipline_derive(
        site=w.site,
        month=today,
        actor=w.users["quality_supervisor"],
        now=timezone.now() + dt.timedelta(days=1),
    )
    assert report["added"]["lateness"] == 1 and report["added"]["absence"] == 1
    assert report["added"]["missing_handover"] == 2  # neither duty lead signed
    again = dis.discipline_derive(
        site=w.site,
        month=today,
        actor=w.users["quality_supervisor"],
        now=timezone.now() + dt.timedelta(days=1),
    )
    assert sum(again["added"].values()) == 0
    from ccops.quality.models import DisciplineRecord

    rec = DisciplineRecord.objects.get(attendance=late)
    assert rec.points == 1 and "12 minutes late" in rec.description
    with pytest.raises(PermissionDenied):
        dis.discipline_appeal(record=rec, reason="bus", actor=w.other_agent)
    dis.discipline_appeal(
        record=rec, reason="The metro stopped (notice attached)", actor=w.users["agent"]
    )
    with pytest.raises(PermissionDenied):
        dis.discipline_decide(record=rec, accept=True, note="ok", actor=w.users["group_manager"])
    dis.discipline_decide(
        record=rec, accept=True, note="Metro outage confirmed", actor=w.users["quality_supervisor"]
    )
    rec.refresh_from_db()
    assert rec.status == "withdrawn"
    breach = dis.discipline_record(
        site=w.site,
        employee=w.employees["agent"],
        occurred_on=today,
        kind="id_misuse",
        description="Logged in with a colleague's ID",
        points=10,
        actor=w.users["group_manager"],
    )
    assert breach.points == 10 and not breach.derived
    with pytest.raises(ValidationError, match="points"):
        dis.discipline_record(
            site=w.site,
            employee=w.employees["agent"],
            occurred_on=today,
            kind="confidentiality",
            description="x",
            actor=w.users["group_manager"],
        )


def _scorecard_world():
    w = build_world()
    month = month_start(timezone.localdate())
    f = form(w)
    for tone in (5, 4):
        evaluation(w, f, Tone=tone)
    evaluation(w, f, agent=w.other_employee, Verifies_identity=0)
    _calls_for_month(w, [w.employees["agent"], w.other_employee], month)
    with audit.acting_as(w.users["quality_supervisor"]):
        record_create(
            KPIRule,
            data={
                "site": w.site,
                "kpi": "aht_seconds",
                "better": "lower",
                "thresholds": [220, 300],
                "points": [10, 5],
            },
            actor=w.users["quality_supervisor"],
        )
    p = st.agent_stats_derive(site=w.site, month=month, actor=w.users["statistician"])
    st.agent_stats_sign(period=p, actor=w.users["statistician"])
    dis.discipline_record(
        site=w.site,
        employee=w.other_employee,
        occurred_on=month,
        kind="confidentiality",
        description="Read a card number aloud",
        points=5,
        actor=w.users["quality_supervisor"],
    )
    return w, month


def test_scorecard_compute_release_frozen_and_amended(client):
    w, month = _scorecard_world()
    sheet = sc.scorecard_compute(site=w.site, month=month, actor=w.users["quality_supervisor"])
    cards = {c.employee_id: c for c in sc.current_scorecards(sheet)}
    assert set(cards) == {w.employees["agent"].pk, w.other_employee.pk}  # managers are not scored
    mine, other = cards[w.employees["agent"].pk], cards[w.other_employee.pk]
    # AHT 200 s -> 10 of 10 KPI points -> the whole work weight (30); 240 s -> 5 -> 15.
    assert mine.work_points == 30 and other.work_points == 15
    assert mine.qa_count == 2 and mine.service_points == pytest.approx(
        40 * mine.qa_mean / 100, abs=0.01
    )
    assert mine.discipline_points == 15 and other.discipline_points == 10
    assert mine.skills_points == 0 and mine.details["evaluations"]
    assert mine.total == pytest.approx(mine.service_points + 30 + 0 + 15, abs=0.01)
    sc.scorecard_compute(
        site=w.site, month=month, actor=w.users["quality_supervisor"]
    )  # draft: recompute
    assert sc.current_scorecards(sheet).count() == 2
    with pytest.raises(PermissionDenied):
        sc.scorecard_release(sheet=sheet, actor=w.users["statistician"])
    sc.scorecard_release(sheet=sheet, actor=w.users["quality_supervisor"])
    card = sc.current_scorecards(sheet).get(employee=w.employees["agent"])
    assert card.is_signed
    # A released scorecard cannot be edited ...
    card.total = 100
    with pytest.raises(audit.RecordLocked), audit.acting_as(w.users["quality_supervisor"]):
        card.save()
    with pytest.raises(audit.RecordLocked):
        Scorecard.objects.filter(pk=card.pk).update(total=100)
    with pytest.raises(Conflict):
        sc.scorecard_compute(site=w.site, month=month, actor=w.users["quality_supervisor"])
    # ... only amended, with a reason; the released one stays.
    card.refresh_from_db()
    with pytest.raises(ValidationError, match="reason"):
        sc.scorecard_amend(
            scorecard=card, reason=" ", skills_points=12, actor=w.users["quality_supervisor"]
        )
    amended = sc.scorecard_amend(
        scorecard=card,
        reason="Test result entered late",
        skills_points=12,
        actor=w.users["quality_supervisor"],
    )
    assert amended.total == pytest.approx(card.total + 12) and amended.is_signed
    assert sc.current_scorecards(sheet).get(employee=w.employees["agent"]) == amended
    card.refresh_from_db()
    assert card.skills_points == 0
    with pytest.raises(Conflict):
        sc.scorecard_amend(
            scorecard=card, reason="again", skills_points=1, actor=w.users["quality_supervisor"]
        )
    ranked = sc.ranked(sc.current_scorecards(sheet))
    assert ranked[0]["rank_center"] == 1
    trend = sc.trend(w.employees["agent"])
    assert trend[-1]["total"] == amended.total
    # Drill-down and the agent's own view; another agent's scorecard is not found.
    client.force_login(w.users["agent"])
    page = client.get(reverse("quality:scorecard_detail", args=[amended.pk]))
    assert page.status_code == 200 and "chart-trend" in page.text
    other_card = sc.current_scorecards(sheet).get(employee=w.other_employee)
    assert client.get(reverse("quality:scorecard_detail", args=[other_card.pk])).status_code == 404
    assert client.get(reverse("quality:my_quality")).status_code == 200


def test_excel_export_for_performance_pay_neutralises_formulas(client):
    w, month = _scorecard_world()
    Employee.objects.filter(pk=w.other_employee.pk).update(full_name='=HYPERLINK("x")')
    sheet = sc.scorecard_compute(site=w.site, month=month, actor=w.users["quality_supervisor"])
    sc.scorecard_release(sheet=sheet, actor=w.users["quality_supervisor"])
    client.force_login(w.users["quality_supervisor"])
    response = client.get(reverse("quality:scorecardmonth_export", args=[sheet.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.values)
    assert len(rows) == 3
    names = [r[1] for r in rows[1:]]
    assert '\'=HYPERLINK("x")' in names
    # The group manager's export holds their group only.
    client.force_login(w.users["group_manager"])
    book = load_workbook(
        io.BytesIO(client.get(reverse("quality:scorecardmonth_export", args=[sheet.pk])).content)
    )
    assert [r[1] for r in list(book.active.values)[1:]] == [w.employees["agent"].full_name]
