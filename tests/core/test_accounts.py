"""Accounts: password policy, lock-out, administrator's reset forcing a new password,
session expiry, API tokens."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccops.core import audit, services
from ccops.core.middleware import SessionLifetimeMiddleware
from ccops.core.models import AccountState, ApiToken, AuditEntry
from ccops.core.testing import PASSWORD, build_world, make_user

LOGIN = "/accounts/login/"


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.parametrize(
    "password",
    ["short1", "onlyletterslong", "1234567890123", "aaaa1111aaaa", "password123"],
)
def test_password_policy_refuses_weak_passwords(password, db):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_policy_accepts_a_good_password(db):
    validate_password("Shift-handover-42")


def test_lock_out_after_repeated_failed_logins(client, db):
    user = make_user("agent")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, user.username, "wrong-password-1")
        assert response.status_code in (200, 429)
    response = login(client, user.username, PASSWORD)  # even the right password now fails
    assert response.status_code == 429
    assert "Account locked" in response.text
    actions = list(AuditEntry.objects.for_object(user).values_list("action", flat=True))
    assert "lockout" in actions and actions.count("login_failed") >= 1
    assert "_auth_user_id" not in client.session


def test_a_good_login_resets_the_failure_count(client, db):
    user = make_user("agent")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.username, "wrong-password-1")
    assert login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    login(client, user.username, "wrong-password-1")
    assert login(client, user.username, PASSWORD).status_code == 302


def test_administrators_reset_unlocks_and_forces_a_new_password(client, db):
    w = build_world()
    agent = w.users["agent"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, agent.username, "wrong-password-1")
    assert login(client, agent.username, PASSWORD).status_code == 429

    client.force_login(w.users["general_supervisor"])
    page = client.post(reverse("people:employee_reset_password", args=[w.employees["agent"].pk]))
    assert page.status_code == 200
    temporary = page.context["password"]
    client.logout()

    assert login(client, agent.username, temporary).status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("password_change")
    assert client.get(reverse("core:site_list"))["Location"] == reverse("password_change")
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": temporary,
            "new_password1": "My-own-secret-77",
            "new_password2": "My-own-secret-77",
        },
    )
    assert changed.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    state = AccountState.objects.get(user=agent)
    assert state.must_change_password is False and state.password_changed_at is not None


def test_a_password_set_by_someone_else_must_be_changed(db):
    admin = make_user("general_supervisor")
    user = make_user("agent")
    with audit.acting_as(admin, via=audit.VIA_CLI):
        user.set_password("Temporary-pass-1")
        user.save()
    assert AccountState.objects.get(user=user).must_change_password is True
    with audit.acting_as(user, via=audit.VIA_WEB):
        user.set_password("My-own-secret-77")
        user.save()
    assert AccountState.objects.get(user=user).must_change_password is False


def test_agents_cannot_reset_passwords(client, db):
    w = build_world()
    client.force_login(w.users["group_manager"])
    url = reverse("people:employee_reset_password", args=[w.employees["agent"].pk])
    assert client.post(url).status_code == 403


def test_session_expires_after_the_maximum_lifetime(client, db):
    user = make_user("agent")
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SessionLifetimeMiddleware.KEY] = time.time() - settings.SESSION_MAX_HOURS * 3600 - 5
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(reverse("home")).status_code == 302  # logged out for good


def test_idle_sessions_expire(client, db):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    client.force_login(make_user("agent"))
    client.get(reverse("home"))
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date="2000-01-01T00:00:00Z")
    session = client.session
    session[SessionLifetimeMiddleware.TOUCHED] = int(time.time())  # touched just now
    session.save()
    Session.objects.filter(pk=key).update(expire_date="2000-01-01T00:00:00Z")
    # an idle session (expired in the database) is logged out ...
    assert client.get(reverse("home")).status_code == 302


def test_an_active_session_is_kept_alive_without_a_write_per_request(client, db):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user("agent"))
    client.get(reverse("home"))
    key = client.session.session_key
    first = Session.objects.get(pk=key).expire_date
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in ctx.captured_queries if "UPDATE" in q["sql"] and "session" in q["sql"]]
    session = client.session
    session[SessionLifetimeMiddleware.TOUCHED] = int(time.time()) - 61  # a minute ago
    session.save()
    before = Session.objects.get(pk=key).expire_date
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(pk=key).expire_date > before >= first - timedelta(seconds=1)


def test_api_tokens_authenticate_until_revoked_or_expired(client, db):
    user = make_user("statistician")
    token, raw = services.api_token_create(user=user, name="reports", actor=user)
    assert token.key_hash != raw and raw.startswith("ccops_")
    headers = {"Authorization": f"Bearer {raw}"}
    me = client.get("/api/v1/core/me", headers=headers)
    assert me.status_code == 200 and me.json()["roles"] == ["statistician"]
    assert (
        client.get("/api/v1/core/me", headers={"Authorization": "Bearer ccops_x"}).status_code
        == 401
    )
    services.api_token_revoke(token=token, actor=user)
    assert client.get("/api/v1/core/me", headers=headers).status_code == 401
    token2, raw2 = services.api_token_create(user=user, name="old", actor=user)
    ApiToken.objects.filter(pk=token2.pk).update(expires_at="2000-01-01T00:00:00Z")
    assert (
        client.get("/api/v1/core/me", headers={"Authorization": f"Bearer {raw2}"}).status_code
        == 401
    )


def test_account_page_creates_a_token_shown_once(client, db):
    user = make_user("agent")
    client.force_login(user)
    page = client.post(reverse("core:account"), {"name": "laptop"})
    assert page.status_code == 200
    raw = page.context["new_token"]
    assert raw and raw in page.text
    again = client.get(reverse("core:account"))
    assert raw not in again.text and "laptop" in again.text


def test_the_account_backend_gives_django_s_permissions_in_one_query(db, django_assert_num_queries):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    from ccops.core.accounts import AccountBackend

    world = build_world()
    agent = world.users["agent"]
    agent.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    user_model = get_user_model()
    for slug, user in world.users.items():
        expected = ModelBackend().get_all_permissions(user_model.objects.get(pk=user.pk))
        fresh = user_model.objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            got = AccountBackend().get_all_permissions(fresh)
            assert AccountBackend().get_all_permissions(fresh) is got  # kept on the user
        assert got == expected and got, slug
    assert "core.view_auditentry" in AccountBackend().get_all_permissions(
        user_model.objects.get(pk=agent.pk)
    )


def test_the_session_s_user_comes_with_its_account_state(db, django_assert_num_queries):
    from ccops.core.accounts import AccountBackend

    user = make_user(username="state-reader")
    AccountState.objects.update_or_create(user=user, defaults={"must_change_password": True})
    with django_assert_num_queries(1):
        found = AccountBackend().get_user(user.pk)
        assert found.account_state.must_change_password
    user.is_active = False
    user.save()
    assert AccountBackend().get_user(user.pk) is None
