"""The audit-log pages: supervisors filter by actor, action, record type, record and time;
the detail shows before and after."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ccops.core import services
from ccops.core.models import AuditEntry, Queue
from ccops.core.testing import build_world
from ccops.people.models import Employee


def test_filters(client, db):
    w = build_world()
    supervisor = w.users["operations_supervisor"]
    services.record_update(w.queue, data={"name": "Cards"}, actor=supervisor)
    client.force_login(w.users["center_director"])
    url = reverse("core:auditentry_list")

    def rows(**params):
        return list(client.get(url, params).context["object_list"])

    by_actor = rows(actor=supervisor.username)
    assert by_actor and all(e.actor == supervisor for e in by_actor)
    queue_type = ContentType.objects.get_for_model(Queue)
    by_type = rows(content_type=queue_type.pk)
    assert by_type and all(e.content_type == queue_type for e in by_type)
    assert [
        e.action
        for e in rows(action="update", object_id=str(w.queue.pk), content_type=queue_type.pk)
    ] == ["update"]
    assert rows(q="Cards")
    later = timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert rows(since=later) == []
    assert {e.action for e in rows(via="web")} == {"login"} and rows(via="system")
    employee_type = ContentType.objects.get_for_model(Employee)
    assert all(e.content_type == employee_type for e in rows(content_type=employee_type.pk))


def test_detail_shows_before_and_after(client, db):
    w = build_world()
    services.record_update(w.queue, data={"name": "Cards"}, actor=w.users["center_director"])
    entry = AuditEntry.objects.for_object(w.queue).latest("id")
    client.force_login(w.users["quality_supervisor"])
    page = client.get(reverse("core:auditentry_detail", args=[entry.pk])).text
    assert "Retail" in page and "Cards" in page


def test_history_on_a_record_page(client, db):
    w = build_world()
    services.record_update(w.queue, data={"name": "Cards"}, actor=w.users["center_director"])
    client.force_login(w.users["general_supervisor"])
    page = client.get(reverse("core:queue_detail", args=[w.queue.pk]))
    assert [e.action for e in page.context["history"]][:2] == ["update", "create"]
    client.force_login(w.users["agent"])  # agents do not see the audit log
    assert "history" not in client.get(reverse("core:queue_detail", args=[w.queue.pk])).context


def test_management_commands(db, capsys):
    w = build_world()
    call_command("sync_roles")
    assert "center_director" in capsys.readouterr().out
    call_command("api_token", w.users["agent"].username, "--name", "script", "--days", "30")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("ccops_")
    token = w.users["agent"].api_tokens.get()
    assert token.expires_at is not None and AuditEntry.objects.for_object(token).get().via == "cli"
