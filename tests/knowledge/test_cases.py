"""Difficult cases: recorded by an agent, to the group manager, escalated to an expert or a
department with due times, answered, followed up, closed, merged; overdue cases on the
home pages; recorded from a handover's open problem."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ccops.core.errors import Conflict
from ccops.core.models import AuditEntry, Notification
from ccops.core.services import record_create, record_update
from ccops.core.testing import api_operation_paths, build_world
from ccops.knowledge.models import Department, DifficultCase
from ccops.knowledge.services import cases
from tests.knowledge import helpers as h
from tests.shiftops.helpers import handover as open_handover

pytestmark = pytest.mark.django_db


def notes(user):
    return [n.text for n in Notification.objects.filter(user=user)]


def test_a_case_goes_to_the_group_manager_with_a_due_time():
    w = build_world()
    c = h.case(w)
    assert c.status == "open" and c.level == "group_manager"
    assert c.assignee == w.employees["group_manager"] and c.team == w.group1
    assert c.due_at - timezone.now() > dt.timedelta(hours=3, minutes=50)
    assert any(f"#{c.pk}" in text for text in notes(w.users["group_manager"]))
    assert list(cases.cases_waiting_for(w.users["group_manager"])) == [c]
    assert c.events.get().kind == "recorded"
    assert AuditEntry.objects.for_object(c).filter(action="case_record").exists()


def test_recording_refuses_bad_input_by_field():
    w = build_world()
    with pytest.raises(ValidationError) as err:
        h.case(w, question="   ")
    assert "question" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        cases.case_record(
            question="Q",
            occurred_at=timezone.now() + dt.timedelta(hours=2),
            actor=w.users["agent"],
        )
    assert "occurred_at" in err.value.message_dict
    with pytest.raises(ValidationError, match="no manager"):
        h.case(w, actor=w.other_agent)  # group 2 has no manager
    with pytest.raises(PermissionDenied):
        h.case(w, actor=w.users["statistician"].__class__.objects.create_user("nobody"))


def test_escalation_to_an_expert_and_a_department_and_the_answer_notifies_the_agent():
    w = build_world()
    c = h.case(w)
    expert = w.employees["trainer"]
    with pytest.raises(PermissionDenied):
        cases.case_escalate(case=c, expert=expert, actor=w.users["trainer"])
    cases.case_escalate(case=c, expert=expert, note="产品规则", actor=w.users["group_manager"])
    c.refresh_from_db()
    assert (c.status, c.level, c.assignee) == ("escalated", "expert", expert)
    assert dt.timedelta(hours=23) < c.due_at - timezone.now() <= dt.timedelta(hours=24)
    assert any(f"#{c.pk}" in t for t in notes(w.users["trainer"]))
    # the expert passes it on to a department; they stay responsible for its answer
    dept = record_create(
        Department, data={"name": "信用卡中心", "answer_hours": 8}, actor=w.users["center_director"]
    )
    cases.case_escalate(case=c, department=dept, actor=w.users["trainer"])
    c.refresh_from_db()
    assert (c.level, c.department, c.assignee) == ("department", dept, expert)
    assert c.due_at - timezone.now() <= dt.timedelta(hours=8)
    with pytest.raises(PermissionDenied):  # no longer the group manager's turn
        cases.case_answer(case=c, answer="x", actor=w.users["agent"])
    cases.case_answer(case=c, answer="信用卡中心答复：可以。", actor=w.users["trainer"])
    c.refresh_from_db()
    assert c.status == "answered" and c.answered_by == expert and c.due_at is None
    assert any(f"#{c.pk}" in t and "answered" in t for t in notes(w.users["agent"]))
    assert [e.kind for e in c.events.all()] == ["recorded", "escalated", "escalated", "answered"]
    with pytest.raises(ValidationError, match="named expert or to a department"):
        cases.case_escalate(
            case=h.case(w), expert=expert, department=dept, actor=w.users["group_manager"]
        )


def test_follow_up_goes_back_to_whoever_answered_and_the_agent_closes():
    w = build_world()
    c = h.answered(w)
    with pytest.raises(PermissionDenied):
        cases.case_follow_up(case=c, text="还有问题", actor=w.users["group_manager"])
    with pytest.raises(ValidationError):
        cases.case_follow_up(case=c, text=" ", actor=w.users["agent"])
    cases.case_follow_up(case=c, text="退税是原路退回吗？", actor=w.users["agent"])
    c.refresh_from_db()
    assert c.status == "open" and c.assignee == w.employees["group_manager"] and c.due_at
    assert any("follow-up" in t for t in notes(w.users["group_manager"]))
    cases.case_answer(case=c, answer="是，原路退回。", actor=w.users["group_manager"])
    cases.case_close(case=c, actor=w.users["agent"])
    c.refresh_from_db()
    assert c.status == "closed"
    with pytest.raises(Conflict):
        cases.case_close(case=c, actor=w.users["agent"])


def test_duplicates_merge_into_one_case_and_share_its_answer():
    w = build_world()
    w.group2.leader = w.employees["general_supervisor"]
    w.group2.save()
    first = h.case(w)
    dup = h.case(w, question="客户也问退税能否抵扣账单", actor=w.other_agent)
    with pytest.raises(PermissionDenied):
        cases.case_merge(duplicate=dup, into=first, actor=w.users["agent"])
    with pytest.raises(ValidationError):
        cases.case_merge(duplicate=dup, into=dup, actor=w.users["general_supervisor"])
    cases.case_merge(duplicate=dup, into=first, actor=w.users["general_supervisor"])
    dup.refresh_from_db()
    assert dup.status == "merged" and dup.merged_into == first and dup.due_at is None
    assert first.events.filter(kind="merged", other_case=dup).exists()
    assert any("merged" in t for t in notes(w.other_agent))
    cases.case_answer(case=first, answer="可以抵扣。", actor=w.users["group_manager"])
    assert any(f"#{first.pk} has been answered" in t for t in notes(w.users["agent"]))
    assert any(f"#{first.pk} has been answered" in t for t in notes(w.other_agent))


def test_merging_into_a_merged_case_is_refused():
    w = build_world()
    a, b, c = h.case(w), h.case(w), h.case(w)
    cases.case_merge(duplicate=b, into=a, actor=w.users["group_manager"])
    with pytest.raises(ValidationError, match="itself merged"):
        cases.case_merge(duplicate=c, into=b, actor=w.users["group_manager"])


def test_overdue_cases_show_on_the_responsible_and_supervisors_home_pages(client):
    w = build_world()
    late = h.case(w)
    record_update(late, data={"due_at": timezone.now() - dt.timedelta(hours=1)}, actor=None)
    on_time = h.case(w)
    late.refresh_from_db()
    assert late.is_overdue and not on_time.is_overdue
    assert list(cases.overdue_cases(w.users["operations_supervisor"])) == [late]
    client.force_login(w.users["group_manager"])
    page = client.get(reverse("home")).text
    waiting = page.split('id="panel-knowledgewaiting_for_me"')[1].split("</section>")[0]
    assert late.get_absolute_url() in waiting and "overdue" in waiting
    for role in ("operations_supervisor", "quality_supervisor"):
        client.force_login(w.users[role])
        page = client.get(reverse("home")).text
        panel = page.split('id="panel-knowledgeoverdue_cases"')[1].split("</section>")[0]
        assert late.get_absolute_url() in panel and on_time.get_absolute_url() not in panel
    client.force_login(w.users["agent"])
    assert "panel-knowledgeoverdue_cases" not in client.get(reverse("home")).text
    mine = client.get(reverse("home")).text.split('id="panel-knowledgemy_cases"')[1]
    assert late.get_absolute_url() in mine


def test_a_case_is_recorded_from_the_handovers_open_problem(client):
    w = build_world()
    handover = open_handover(w)
    check = handover.checks.first()
    record_update(check, data={"status": "problem", "note": "客户问境外退税何时到账"}, actor=None)
    client.force_login(w.users["group_manager"])
    page = client.get(handover.get_absolute_url()).text
    assert 'id="handover-cases"' in page
    add = reverse("knowledge:difficultcase_add") + f"?check={check.pk}"
    assert add.replace("&", "&amp;") in page or add in page
    form = client.get(add)
    assert "客户问境外退税何时到账" in form.text
    response = client.post(
        add,
        {
            "question": "客户问境外退税何时到账",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "check": check.pk,
        },
    )
    assert response.status_code == 302
    case = DifficultCase.objects.get(handover_check=check)
    assert case.assignee == w.employees["group_manager"]
    page = client.get(handover.get_absolute_url()).text
    assert case.get_absolute_url() in page.split('id="handover-cases"')[1]


def test_case_pages_walk_the_workflow(client):
    w = build_world()
    client.force_login(w.users["agent"])
    response = client.post(
        reverse("knowledge:difficultcase_add"),
        {
            "question": "客户问积分能否转赠",
            "told_customer": "稍后回电",
            "queue": w.queue.pk,
            "call_reference": "C-1",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    case = DifficultCase.objects.get(question="客户问积分能否转赠")
    assert response["Location"] == case.get_absolute_url()
    client.force_login(w.users["group_manager"])
    page = client.get(case.get_absolute_url()).text
    assert 'id="case-actions"' in page and "Escalate" in page
    client.post(reverse("knowledge:difficultcase_escalate", args=[case.pk]), {"note": "no target"})
    case.refresh_from_db()
    assert case.status == "open"  # refused: neither expert nor department
    client.post(
        reverse("knowledge:difficultcase_escalate", args=[case.pk]),
        {"expert": w.employees["qa_inspector"].pk},
    )
    case.refresh_from_db()
    assert case.assignee == w.employees["qa_inspector"]
    client.force_login(w.users["qa_inspector"])
    client.post(reverse("knowledge:difficultcase_answer", args=[case.pk]), {"answer": "不能转赠"})
    case.refresh_from_db()
    assert case.status == "answered"
    client.force_login(w.users["agent"])
    page = client.get(case.get_absolute_url()).text
    assert "不能转赠" in page and "Ask again" in page
    client.post(reverse("knowledge:difficultcase_close", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "closed"


def test_case_api_records_and_answers(client):
    w = build_world()
    paths = api_operation_paths()
    client.force_login(w.users["agent"])
    response = client.post(
        paths["knowledge_difficultcase_create"],
        data={"question": "", "occurred_at": "2026-11-27T08:00:00Z"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "question"
    response = client.post(
        paths["knowledge_difficultcase_create"],
        data={"question": "能否退税", "occurred_at": "2026-11-27T08:00:00Z", "queue": 999999},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "queue"
    c = h.case(w)
    client.force_login(w.users["group_manager"])
    url = paths["knowledge_difficultcase_answer"].replace("{pk}", str(c.pk))
    assert (
        client.post(url, data={"answer": "可以"}, content_type="application/json").json()["status"]
        == "answered"
    )
    again = client.post(url, data={"answer": "可以"}, content_type="application/json")
    assert again.status_code == 409 and "already" in again.json()["detail"]


def test_a_case_moved_on_while_the_request_ran_is_a_conflict_not_a_refusal():
    """The loser of a race that read the case only after the winner moved it on is told
    the case was just passed on (409), as one that read it before; a request that began
    after the move is refused (403): it is no longer the manager's case."""
    from types import SimpleNamespace

    from ccops.core import audit

    w = build_world()
    case = h.case(w)
    gm = w.users["group_manager"]
    began = SimpleNamespace(ccops_started_at=timezone.now())
    cases.case_escalate(case=case, actor=gm, expert=w.employees["trainer"])  # the winner
    moved = DifficultCase.objects.get(pk=case.pk)  # read after the winner's commit
    with audit.acting_as(gm, via=audit.VIA_API, request=began), pytest.raises(Conflict):
        cases.case_escalate(case=moved, actor=gm, expert=w.employees["qa_inspector"])
    later = SimpleNamespace(ccops_started_at=timezone.now())
    with audit.acting_as(gm, via=audit.VIA_API, request=later), pytest.raises(PermissionDenied):
        cases.case_escalate(case=moved, actor=gm, expert=w.employees["qa_inspector"])
