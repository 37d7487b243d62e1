"""The audit log: every create and update, actor and via, archive-not-delete, signed rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ccops.core import audit, services
from ccops.core.models import AuditEntry, Queue, Site
from ccops.core.testing import build_world, make_user


def entries_for(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("id"))


def test_create_and_update_are_logged_with_before_and_after(db):
    user = make_user("general_supervisor")
    site = services.site_create(
        code="bj", name="Beijing", time_zone="Asia/Shanghai", interval_minutes=15, actor=user
    )
    services.record_update(site, data={"name": "Beijing North"}, actor=user)
    first, second = entries_for(site)
    assert (first.action, first.actor, first.before) == ("site_create", user, None)
    assert first.after["name"] == "Beijing"
    assert second.action == "update"
    assert second.changed_fields == ["name"]
    assert (second.before["name"], second.after["name"]) == ("Beijing", "Beijing North")


def test_save_without_change_writes_nothing(db):
    site = Site.objects.create(code="a", name="A")
    site.save()
    assert len(entries_for(site)) == 1


def test_queryset_update_and_bulk_create_are_logged(db):
    site = Site.objects.create(code="a", name="A")
    queues = Queue.objects.bulk_create(
        [Queue(site=site, code="q1", name="One"), Queue(site=site, code="q2", name="Two")]
    )
    Queue.objects.filter(site=site).update(service_level_percent=90)
    for queue in queues:
        actions = [e.action for e in entries_for(queue)]
        assert actions == ["create", "update"]


def test_actor_and_via_from_context(db):
    user = make_user("center_director")
    with audit.acting_as(user, via=audit.VIA_CLI):
        site = Site.objects.create(code="c", name="C")
    entry = entries_for(site)[0]
    assert (entry.actor, entry.actor_name, entry.via) == (user, user.username, "cli")


def test_web_request_is_attributed_to_the_user(client, db):
    w = build_world()
    user = w.users["general_supervisor"]
    client.force_login(user)
    response = client.post(
        reverse("core:site_edit", args=[w.site.pk]),
        {
            "code": w.site.code,
            "name": "Renamed",
            "time_zone": "Asia/Shanghai",
            "interval_minutes": 30,
            "address": "",
        },
    )
    assert response.status_code == 302
    entry = entries_for(w.site)[-1]
    assert (entry.actor, entry.via, entry.after["name"]) == (user, "web", "Renamed")


def test_api_request_is_attributed_to_the_token_owner(client, db):
    w = build_world()
    user = w.users["operations_supervisor"]
    _token, raw = services.api_token_create(user=user, name="cli", actor=user)
    response = client.patch(
        f"/api/v1/core/queues/{w.queue.pk}",
        data='{"name": "Cards"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200, response.content
    entry = entries_for(w.queue)[-1]
    assert (entry.actor, entry.via, entry.after["name"]) == (user, "api", "Cards")


def test_nothing_is_hard_deleted(db):
    site = Site.objects.create(code="d", name="D")
    with pytest.raises(audit.HardDeleteRefused):
        site.delete()
    with pytest.raises(audit.HardDeleteRefused):
        Site.objects.all().delete()
    with pytest.raises(audit.HardDeleteRefused):
        entries_for(site)[0].delete()


def test_archive_hides_the_row_and_is_logged(db):
    user = make_user("center_director")
    site = Site.objects.create(code="e", name="E")
    services.record_archive(site, actor=user)
    assert not Site.objects.filter(pk=site.pk).exists()
    assert Site.all_objects.filter(pk=site.pk).exists()
    assert entries_for(site)[-1].action == "archive"
    services.record_restore(site, actor=user)
    assert Site.objects.filter(pk=site.pk).exists()
    assert entries_for(site)[-1].action == "restore"


def test_audit_entries_are_immutable(db):
    site = Site.objects.create(code="f", name="F")
    entry = entries_for(site)[0]
    entry.action = "forged"
    with pytest.raises(audit.RecordLocked):
        entry.save()
    with pytest.raises(audit.RecordLocked):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")


def test_password_change_and_role_change_are_logged(db):
    admin = make_user("center_director")
    user = make_user("agent")
    with audit.acting_as(admin, via=audit.VIA_WEB):
        services.user_set_password(user=user, password="Another-pass-77", actor=admin)
    actions = [e.action for e in entries_for(user)]
    assert "password_set" in actions
    assert "roles_change" in actions  # make_user added the agent role
