"""Accounts hardening: offboarding stops login, sessions and tokens at once; a password set
by an administrator blocks the API too; passwords close to the user name are refused;
failed logins are limited per address as well as per user name; a locked account's tokens
stop working."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ccops.core import services
from ccops.core.models import AuditEntry
from ccops.core.testing import PASSWORD, build_world, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _logged_in_with_token(user):
    browser = Client()
    assert browser.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
    assert browser.get(reverse("home")).status_code == 200
    _token, raw = services.api_token_create(user=user, name="laptop", actor=user)
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/core/me", headers=headers).status_code == 200
    return browser, headers


def _assert_offboarded(user, browser, headers, reason):
    user.refresh_from_db()
    assert user.is_active is False
    assert browser.get(reverse("home")).status_code == 302  # the open session has ended
    assert Client().get("/api/v1/core/me", headers=headers).status_code == 401
    assert user.api_tokens.filter(archived_at__isnull=True).count() == 0
    assert (
        Client().post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 200
    )
    entry = AuditEntry.objects.for_object(user).get(action="user_offboard")
    assert reason in entry.note and "1 session(s) ended" in entry.note
    assert "1 API token(s) revoked" in entry.note


def test_archiving_an_employee_offboards_their_login(client):
    w = build_world()
    agent = w.users["agent"]
    browser, headers = _logged_in_with_token(agent)
    client.force_login(w.users["center_director"])
    url = reverse("people:employee_archive", args=[w.employees["agent"].pk])
    assert client.post(url).status_code == 302
    _assert_offboarded(agent, browser, headers, "employee archived")


def test_an_employee_who_left_is_offboarded_through_the_page(client):
    w = build_world()
    agent = w.users["agent"]
    employee = w.employees["agent"]
    browser, headers = _logged_in_with_token(agent)
    client.force_login(w.users["center_director"])
    form = client.get(reverse("people:employee_edit", args=[employee.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["status"] = "left"
    response = client.post(reverse("people:employee_edit", args=[employee.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    _assert_offboarded(agent, browser, headers, "employee left")


def test_an_employee_who_left_is_offboarded_through_the_api(client):
    w = build_world()
    agent = w.users["agent"]
    browser, headers = _logged_in_with_token(agent)
    client.force_login(w.users["center_director"])
    url = f"/api/v1/people/employees/{w.employees['agent'].pk}"
    response = client.patch(url, {"status": "left"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    _assert_offboarded(agent, browser, headers, "employee left")


def test_archiving_through_the_api_offboards_too(client):
    w = build_world()
    agent = w.users["agent"]
    browser, headers = _logged_in_with_token(agent)
    client.force_login(w.users["center_director"])
    url = f"/api/v1/people/employees/{w.employees['agent'].pk}/archive"
    assert client.post(url).status_code == 200
    _assert_offboarded(agent, browser, headers, "employee archived")


def test_a_password_set_by_an_administrator_blocks_the_api_until_changed(client):
    w = build_world()
    agent = w.users["agent"]
    _token, raw = services.api_token_create(user=agent, name="laptop", actor=agent)
    headers = {"Authorization": f"Bearer {raw}"}
    temporary = services.user_reset_password(user=agent, actor=w.users["general_supervisor"])
    refused = client.get("/api/v1/core/me", headers=headers)
    assert refused.status_code == 403 and "choose a new one" in refused.json()["detail"]
    client.post(LOGIN, {"username": agent.username, "password": temporary})
    assert client.get("/api/v1/core/me").status_code == 403  # the session is refused too
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": temporary,
            "new_password1": "Q7-harbour-lamp",
            "new_password2": "Q7-harbour-lamp",
        },
    )
    assert changed.status_code == 302
    assert client.get("/api/v1/core/me").status_code == 200
    assert Client().get("/api/v1/core/me", headers=headers).status_code == 200


@pytest.mark.parametrize(
    "password", ["chen.wei2026!", "Chenwei-2026", "iew.nehc-77", "Ch3nw31-2026", "xx-CHEN-WEI-9"]
)
def test_passwords_close_to_the_user_name_are_refused(password):
    user = make_user("agent", username="chen.wei")
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    assert "too close to the user name" in str(caught.value)


def test_a_password_unrelated_to_the_user_name_is_accepted():
    validate_password("Harbour-lamp-42", make_user("agent", username="chen.wei"))


def test_failed_logins_are_limited_per_address_as_well():
    victim = make_user("agent")
    attacker = Client(REMOTE_ADDR="10.9.8.7")
    for n in range(settings.CCOPS_LOCKOUT_ADDRESS_FAILURES):
        # a different user name every time: no user name reaches its own limit
        attacker.post(LOGIN, {"username": f"guess{n}", "password": "Wrong-pass-1"})
    assert (
        attacker.post(LOGIN, {"username": victim.username, "password": PASSWORD}).status_code == 429
    )
    # the user's own account is not locked: from another address the login works
    other = Client(REMOTE_ADDR="10.1.1.1")
    assert other.post(LOGIN, {"username": victim.username, "password": PASSWORD}).status_code == 302


def test_the_per_user_lock_out_is_kept():
    victim = make_user("agent")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # from a different address every time: no address reaches its limit
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post(
            LOGIN, {"username": victim.username, "password": "Wrong-pass-1"}
        )
    fresh = Client(REMOTE_ADDR="10.0.1.1")
    assert fresh.post(LOGIN, {"username": victim.username, "password": PASSWORD}).status_code == 429


def test_tokens_stop_working_while_the_account_is_locked():
    user = make_user("statistician")
    _token, raw = services.api_token_create(user=user, name="reports", actor=user)
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/core/me", headers=headers).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(LOGIN, {"username": user.username, "password": "Wrong-pass-1"})
    refused = Client().get("/api/v1/core/me", headers=headers)
    assert refused.status_code == 403 and "locked" in refused.json()["detail"]
    from axes.utils import reset

    reset(username=user.username)
    assert Client().get("/api/v1/core/me", headers=headers).status_code == 200


def test_behind_a_proxy_the_forwarded_address_is_used(settings):
    from django.test import RequestFactory

    from ccops.core.lockout import client_ip

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    assert client_ip(request) == "10.0.0.1"
    settings.CCOPS_PROXY_COUNT = 1
    assert client_ip(request) == "5.6.7.8"  # the address our proxy saw; 1.2.3.4 may be forged
