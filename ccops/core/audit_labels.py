"""Audit entries in the reader's language: action codes and field names.

An entry stores its action as a code (``handover_sign``, ``shift_swap_approve``) and the
changed fields by attribute name; pages show both translated. A code is read from its
end: the longest known ending names the action (``sign_incoming``: "signed as incoming"),
the record column names what it was done to. A code no ending matches is shown as is.
Field names come from the model's ``verbose_name``.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import pgettext_lazy

#: Endings of action codes (after an entity prefix, or the whole code) and their labels, in
#: their own message context ("signed" the action is not "signed" the field).
ACTIONS = {
    "create": pgettext_lazy("audit action", "created"),
    "update": pgettext_lazy("audit action", "changed"),
    "change": pgettext_lazy("audit action", "changed"),
    "archive": pgettext_lazy("audit action", "archived"),
    "restore": pgettext_lazy("audit action", "restored"),
    "notify": pgettext_lazy("audit action", "notified"),
    "view": pgettext_lazy("audit action", "viewed"),
    "append": pgettext_lazy("audit action", "added to"),
    "version": pgettext_lazy("audit action", "new version"),
    "store_true": pgettext_lazy("audit action", "changed"),
    "add": pgettext_lazy("audit action", "added"),
    "ask": pgettext_lazy("audit action", "asked"),
    "answer": pgettext_lazy("audit action", "answered"),
    "accept": pgettext_lazy("audit action", "accepted"),
    "acknowledge": pgettext_lazy("audit action", "acknowledged"),
    "advance": pgettext_lazy("audit action", "moved to the next step"),
    "amend": pgettext_lazy("audit action", "amended"),
    "amend_sign": pgettext_lazy("audit action", "amendment signed"),
    "appeal": pgettext_lazy("audit action", "appealed"),
    "appeal_accept": pgettext_lazy("audit action", "appeal accepted"),
    "approve": pgettext_lazy("audit action", "approved"),
    "assign": pgettext_lazy("audit action", "assigned"),
    "attach": pgettext_lazy("audit action", "attached"),
    "announce": pgettext_lazy("audit action", "announced"),
    "article": pgettext_lazy("audit action", "article linked"),
    "authorize": pgettext_lazy("audit action", "authorised"),
    "backdate": pgettext_lazy("audit action", "backdated (demo)"),
    "build": pgettext_lazy("audit action", "built"),
    "cancel": pgettext_lazy("audit action", "cancelled"),
    "certify": pgettext_lazy("audit action", "certified"),
    "check": pgettext_lazy("audit action", "checked"),
    "check_in": pgettext_lazy("audit action", "checked in"),
    "check_out": pgettext_lazy("audit action", "checked out"),
    "clock_in": pgettext_lazy("audit action", "clocked in"),
    "clock_out": pgettext_lazy("audit action", "clocked out"),
    "close": pgettext_lazy("audit action", "closed"),
    "compile": pgettext_lazy("audit action", "compiled"),
    "compute": pgettext_lazy("audit action", "computed"),
    "copy": pgettext_lazy("audit action", "copied"),
    "correct": pgettext_lazy("audit action", "corrected"),
    "count": pgettext_lazy("audit action", "counted"),
    "countermeasure_add": pgettext_lazy("audit action", "countermeasure added"),
    "deactivate": pgettext_lazy("audit action", "deactivated"),
    "decide": pgettext_lazy("audit action", "decided"),
    "decline": pgettext_lazy("audit action", "declined"),
    "declined": pgettext_lazy("audit action", "declined"),
    "default": pgettext_lazy("audit action", "defaults set"),
    "derive": pgettext_lazy("audit action", "derived"),
    "dispute": pgettext_lazy("audit action", "disputed"),
    "draft": pgettext_lazy("audit action", "drafted"),
    "draw": pgettext_lazy("audit action", "sample drawn"),
    "enqueue": pgettext_lazy("audit action", "queued"),
    "entry": pgettext_lazy("audit action", "entry recorded"),
    "entry_approve": pgettext_lazy("audit action", "entry approved"),
    "escalate": pgettext_lazy("audit action", "escalated"),
    "evidence_add": pgettext_lazy("audit action", "evidence added"),
    "exit": pgettext_lazy("audit action", "exit recorded"),
    "fail": pgettext_lazy("audit action", "failed"),
    "file": pgettext_lazy("audit action", "filed"),
    "follow_up": pgettext_lazy("audit action", "followed up"),
    "fulfil": pgettext_lazy("audit action", "fulfilled"),
    "generate": pgettext_lazy("audit action", "generated"),
    "handle": pgettext_lazy("audit action", "handled"),
    "hire": pgettext_lazy("audit action", "hired"),
    "hold": pgettext_lazy("audit action", "held"),
    "import": pgettext_lazy("audit action", "imported"),
    "investigate": pgettext_lazy("audit action", "investigated"),
    "link": pgettext_lazy("audit action", "linked"),
    "lock": pgettext_lazy("audit action", "locked"),
    "mark": pgettext_lazy("audit action", "marked"),
    "marked": pgettext_lazy("audit action", "marked"),
    "merge": pgettext_lazy("audit action", "merged"),
    "open": pgettext_lazy("audit action", "opened"),
    "plan": pgettext_lazy("audit action", "planned"),
    "progress": pgettext_lazy("audit action", "progress reported"),
    "publish": pgettext_lazy("audit action", "published"),
    "question": pgettext_lazy("audit action", "question added"),
    "raise": pgettext_lazy("audit action", "raised"),
    "read": pgettext_lazy("audit action", "read"),
    "ready": pgettext_lazy("audit action", "ready"),
    "reassign": pgettext_lazy("audit action", "reassigned"),
    "receive": pgettext_lazy("audit action", "received"),
    "record": pgettext_lazy("audit action", "recorded"),
    "recorded_earlier": pgettext_lazy("audit action", "recorded earlier (demo)"),
    "reference": pgettext_lazy("audit action", "reference set"),
    "register": pgettext_lazy("audit action", "registered"),
    "reject": pgettext_lazy("audit action", "rejected"),
    "release": pgettext_lazy("audit action", "released"),
    "remind_sign_out": pgettext_lazy("audit action", "reminded to sign out"),
    "request": pgettext_lazy("audit action", "requested"),
    "rescore": pgettext_lazy("audit action", "rescored"),
    "rescored": pgettext_lazy("audit action", "rescored"),
    "retry": pgettext_lazy("audit action", "retried"),
    "revision": pgettext_lazy("audit action", "revision"),
    "revoke": pgettext_lazy("audit action", "revoked"),
    "schedule": pgettext_lazy("audit action", "scheduled"),
    "set": pgettext_lazy("audit action", "set"),
    "set_leader": pgettext_lazy("audit action", "leader set"),
    "settle": pgettext_lazy("audit action", "settled"),
    "score": pgettext_lazy("audit action", "scored"),
    "sign": pgettext_lazy("audit action", "signed"),
    "sign_incoming": pgettext_lazy("audit action", "signed as incoming"),
    "sign_off": pgettext_lazy("audit action", "signed off"),
    "sign_outgoing": pgettext_lazy("audit action", "signed as outgoing"),
    "standardise": pgettext_lazy("audit action", "standardised"),
    "start": pgettext_lazy("audit action", "started"),
    "submit": pgettext_lazy("audit action", "submitted"),
    "succeed": pgettext_lazy("audit action", "succeeded"),
    "supersede": pgettext_lazy("audit action", "superseded"),
    "swap": pgettext_lazy("audit action", "swapped"),
    "take_over": pgettext_lazy("audit action", "taken over"),
    "to_question": pgettext_lazy("audit action", "turned into a question"),
    "transfer": pgettext_lazy("audit action", "transferred"),
    "upload": pgettext_lazy("audit action", "uploaded"),
    "verified_earlier": pgettext_lazy("audit action", "verified earlier (demo)"),
    "verify": pgettext_lazy("audit action", "verified"),
    "walk_in": pgettext_lazy("audit action", "walked in"),
    "write": pgettext_lazy("audit action", "written"),
    "rota_generate": pgettext_lazy("audit action", "rota generated"),
    "report_progress": pgettext_lazy("audit action", "progress reported"),
    "step_record": pgettext_lazy("audit action", "step recorded"),
    "step_sign": pgettext_lazy("audit action", "step signed"),
    "revision_lock": pgettext_lazy("audit action", "revision locked"),
    "attempt_marked": pgettext_lazy("audit action", "attempt marked"),
    "lesson_add": pgettext_lazy("audit action", "lesson added"),
    "section_add": pgettext_lazy("audit action", "section added"),
    "section_update": pgettext_lazy("audit action", "section changed"),
    "question_add": pgettext_lazy("audit action", "question added"),
    "question_update": pgettext_lazy("audit action", "question changed"),
    "item_count": pgettext_lazy("audit action", "items counted"),
    "login": pgettext_lazy("audit action", "logged in"),
    "logout": pgettext_lazy("audit action", "logged out"),
    "login_failed": pgettext_lazy("audit action", "failed log-in"),
    "lockout": pgettext_lazy("audit action", "locked out"),
    "offboard": pgettext_lazy("audit action", "offboarded"),
    "verify_note": pgettext_lazy("audit action", "verification note"),
    "attendees": pgettext_lazy("audit action", "attendees set"),
    "people": pgettext_lazy("audit action", "people set"),
    "members": pgettext_lazy("audit action", "members set"),
    "done": pgettext_lazy("audit action", "done"),
    "cancelled": pgettext_lazy("audit action", "cancelled"),
    "declare": pgettext_lazy("audit action", "declared"),
    "measure_baseline": pgettext_lazy("audit action", "baseline measured"),
    "measure_result": pgettext_lazy("audit action", "result measured"),
    "recorded": pgettext_lazy("audit action", "recorded"),
    "escalated": pgettext_lazy("audit action", "escalated"),
    "answered": pgettext_lazy("audit action", "answered"),
    "closed": pgettext_lazy("audit action", "closed"),
    "merged": pgettext_lazy("audit action", "merged"),
    "derived": pgettext_lazy("audit action", "derived"),
    "imported": pgettext_lazy("audit action", "imported"),
    "entered": pgettext_lazy("audit action", "entered"),
}
#: Codes that read better as a whole.
WHOLE = {
    "demo_build": pgettext_lazy("audit action", "demo built"),
    "password_set": pgettext_lazy("audit action", "password set"),
    "notification_read": pgettext_lazy("audit action", "notification read"),
    "calendar_feed_create": pgettext_lazy("audit action", "calendar feed made"),
    "api_token_create": pgettext_lazy("audit action", "API token made"),
    "api_token_revoke": pgettext_lazy("audit action", "API token revoked"),
}


def action_label(code: str) -> str:
    """``handover_sign_incoming`` -> "signed as incoming" (translated); unknown codes as is."""
    if not code:
        return ""
    if code in WHOLE:
        return str(WHOLE[code])
    parts = code.split("_")
    for start in range(len(parts)):
        ending = "_".join(parts[start:])
        if ending in ACTIONS:
            return str(ACTIONS[ending])
    return code


def field_label(model, name: str) -> str:
    """The verbose name of ``model``'s field ``name`` (the name itself when unknown)."""
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        attname = name[:-3] if name.endswith("_id") else None
        if attname is None:
            return name
        try:
            field = model._meta.get_field(attname)
        except FieldDoesNotExist:
            return name
    return str(getattr(field, "verbose_name", name))


def field_labels(entry) -> list[str]:
    """The changed fields of an audit entry, translated."""
    from django.contrib.contenttypes.models import ContentType

    model = None
    if entry.content_type_id:
        model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    return [field_label(model, name) for name in entry.changed_fields or []]
