"""Signed records are immutable; corrections are amendments linked to the original."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from ccops.core import audit, services
from ccops.core.models import AuditEntry, SignableModel
from ccops.core.testing import make_user


@pytest.fixture
def minutes_model(transactional_db):
    """A throw-away signable model with its table, removed from the registry afterwards."""

    class ShiftNote(SignableModel):
        text = models.TextField()

        class Meta:
            app_label = "core"

        def __str__(self):
            return self.text[:20]

    audit.connect(ShiftNote)
    with connection.schema_editor() as editor:
        editor.create_model(ShiftNote)
    try:
        yield ShiftNote
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(ShiftNote)
        del apps.all_models["core"]["shiftnote"]
        apps.clear_cache()


def test_sign_locks_and_amend_corrects(minutes_model):
    user = make_user("group_manager")
    note = services.record_create(minutes_model, data={"text": "Queue 3 backlog"}, actor=user)
    services.record_update(note, data={"text": "Queue 3 backlog at 09:00"}, actor=user)
    services.record_sign(note, actor=user, verb="note_sign")
    assert note.is_signed and note.signed_by == user

    note.text = "rewritten history"
    with pytest.raises(audit.RecordLocked):
        note.save()
    with pytest.raises(audit.RecordLocked):
        minutes_model.objects.filter(pk=note.pk).update(text="rewritten")
    with pytest.raises(ValidationError):
        services.record_sign(minutes_model.objects.get(pk=note.pk), actor=user)

    original = minutes_model.objects.get(pk=note.pk)
    assert original.text == "Queue 3 backlog at 09:00"
    amendment = services.record_amend(
        original, data={"text": "Queue 3 backlog at 09:10"}, actor=user
    )
    assert amendment.amends == original and not amendment.is_signed
    assert list(original.amendments.all()) == [amendment]
    with pytest.raises(audit.RecordLocked, match="archived"):  # signed means signed
        services.record_archive(original, actor=user)
    with pytest.raises(audit.RecordLocked):
        minutes_model.objects.filter(pk=note.pk).update(archived_at=timezone.now())
    assert minutes_model.objects.filter(pk=note.pk).exists()
    entries = AuditEntry.objects.for_object(original).order_by("id")
    actions = list(entries.values_list("action", flat=True))
    assert actions == ["create", "update", "note_sign"]
    assert AuditEntry.objects.for_object(amendment).get().action == "amend"
