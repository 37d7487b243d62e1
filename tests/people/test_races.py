"""Parallel requests at the people and core (accounts, tokens, archive) transitions, on
PostgreSQL (issue 12, point 1): exactly one wins, the others get a 409."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ccops.core import services as core_services
from ccops.core.models import ApiToken
from ccops.core.testing import build_world, race, requires_row_locks
from ccops.people.models import Employee, EmployeeSkill, Skill
from tests.shiftops.test_races import _path, call, entries

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def test_parallel_hires_of_one_employee_number_hire_once():
    w = build_world()
    hire = call(
        w.users["center_director"],
        "post",
        _path("people_employee_create"),
        {"employee_number": "E-NEW-1", "full_name": "New hire", "site": w.site.pk},
    )
    outcome = race(hire, hire, hire)
    assert sorted(outcome.statuses)[0] == 201, outcome.errors
    assert set(sorted(outcome.statuses)[1:]) <= {409, 422}, outcome.statuses
    assert Employee.objects.filter(employee_number="E-NEW-1").count() == 1
    assert entries("employee_hire").count() == 1


def test_parallel_certifications_keep_one_certificate():
    w = build_world()
    skill = Skill.objects.create(code="loans", name="Loans")
    certify = call(
        w.users["group_manager"],
        "post",
        _path("people_employeeskill_create"),
        {"employee": w.employees["agent"].pk, "skill": skill.pk, "level": 4},
    )
    outcome = race(certify, certify, certify)
    assert outcome.statuses == [201, 201, 201], outcome.errors  # create, then raise the level
    assert EmployeeSkill.objects.filter(employee=w.employees["agent"], skill=skill).count() == 1


def test_parallel_archives_archive_once():
    w = build_world()
    director = w.users["center_director"]
    employee = w.other_employee
    archive = call(director, "post", _path("people_employee_archive", employee.pk))
    outcome = race(archive, archive, archive)
    assert sorted(outcome.statuses) == [200, 409, 409], outcome.errors
    assert entries("archive", employee).count() == 1
    queue = call(director, "post", _path("core_queue_archive", w.queue.pk))
    outcome = race(queue, queue)
    assert sorted(outcome.statuses) == [200, 409], outcome.errors


def test_parallel_revokes_of_a_token_revoke_once():
    w = build_world()
    user = w.users["agent"]
    token, _raw = core_services.api_token_create(user=user, name="laptop", actor=user)

    def revoke():
        client = Client()
        client.force_login(user)
        return client.post(reverse("core:apitoken_revoke", args=[token.pk]))

    outcome = race(revoke, revoke, revoke)
    assert outcome.statuses == [302, 302, 302], outcome.errors  # the losers see a message
    assert entries("api_token_revoke", token).count() == 1
    assert ApiToken.all_objects.get(pk=token.pk).archived_at is not None


def test_parallel_password_resets_leave_one_valid_password():
    w = build_world()
    user = w.users["agent"]
    director = w.users["center_director"]
    passwords = []

    def reset():
        passwords.append(core_services.user_reset_password(user=user, actor=director))

    outcome = race(reset, reset)
    assert outcome.errors == [None, None]
    user.refresh_from_db()
    assert sum(user.check_password(p) for p in passwords) == 1
    assert core_services.account_state(user).must_change_password
