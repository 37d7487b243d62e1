"""Audit entries in the reader's language: action codes and field names.

An entry stores its action as a code (``handover_sign``, ``shift_swap_approve``) and the
changed fields by attribute name; pages show both translated. A code is read from its
end: the longest known ending names the action (``sign_incoming``: "signed as incoming"),
the record column names what it was done to. A code no ending matches is shown as is.
Field names come from the model's ``verbose_name``.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: Endings of action codes (after an entity prefix, or the whole code) and their labels.
ACTIONS = {
    "create": _("created"),
    "update": _("changed"),
    "change": _("changed"),
    "archive": _("archived"),
    "restore": _("restored"),
    "notify": _("notified"),
    "view": _("viewed"),
    "append": _("added to"),
    "version": _("new version"),
    "store_true": _("changed"),
    "add": _("added"),
    "ask": _("asked"),
    "answer": _("answered"),
    "accept": _("accepted"),
    "acknowledge": _("acknowledged"),
    "advance": _("moved to the next step"),
    "amend": _("amended"),
    "amend_sign": _("amendment signed"),
    "appeal": _("appealed"),
    "appeal_accept": _("appeal accepted"),
    "approve": _("approved"),
    "assign": _("assigned"),
    "attach": _("attached"),
    "announce": _("announced"),
    "article": _("article linked"),
    "authorize": _("authorised"),
    "backdate": _("backdated (demo)"),
    "build": _("built"),
    "cancel": _("cancelled"),
    "certify": _("certified"),
    "check": _("checked"),
    "check_in": _("checked in"),
    "check_out": _("checked out"),
    "clock_in": _("clocked in"),
    "clock_out": _("clocked out"),
    "close": _("closed"),
    "compile": _("compiled"),
    "compute": _("computed"),
    "copy": _("copied"),
    "correct": _("corrected"),
    "count": _("counted"),
    "countermeasure_add": _("countermeasure added"),
    "deactivate": _("deactivated"),
    "decide": _("decided"),
    "decline": _("declined"),
    "declined": _("declined"),
    "default": _("defaults set"),
    "derive": _("derived"),
    "dispute": _("disputed"),
    "draft": _("drafted"),
    "draw": _("sample drawn"),
    "enqueue": _("queued"),
    "entry": _("entry recorded"),
    "entry_approve": _("entry approved"),
    "escalate": _("escalated"),
    "evidence_add": _("evidence added"),
    "exit": _("exit recorded"),
    "fail": _("failed"),
    "file": _("filed"),
    "follow_up": _("followed up"),
    "fulfil": _("fulfilled"),
    "generate": _("generated"),
    "handle": _("handled"),
    "hire": _("hired"),
    "hold": _("held"),
    "import": _("imported"),
    "investigate": _("investigated"),
    "link": _("linked"),
    "lock": _("locked"),
    "mark": _("marked"),
    "marked": _("marked"),
    "merge": _("merged"),
    "open": _("opened"),
    "plan": _("planned"),
    "progress": _("progress reported"),
    "publish": _("published"),
    "question": _("question added"),
    "raise": _("raised"),
    "read": _("read"),
    "ready": _("ready"),
    "reassign": _("reassigned"),
    "receive": _("received"),
    "record": _("recorded"),
    "recorded_earlier": _("recorded earlier (demo)"),
    "reference": _("reference set"),
    "register": _("registered"),
    "reject": _("rejected"),
    "release": _("released"),
    "remind_sign_out": _("reminded to sign out"),
    "request": _("requested"),
    "rescore": _("rescored"),
    "rescored": _("rescored"),
    "retry": _("retried"),
    "revision": _("revision"),
    "revoke": _("revoked"),
    "schedule": _("scheduled"),
    "set": _("set"),
    "set_leader": _("leader set"),
    "settle": _("settled"),
    "score": _("scored"),
    "sign": _("signed"),
    "sign_incoming": _("signed as incoming"),
    "sign_off": _("signed off"),
    "sign_outgoing": _("signed as outgoing"),
    "standardise": _("standardised"),
    "start": _("started"),
    "submit": _("submitted"),
    "succeed": _("succeeded"),
    "supersede": _("superseded"),
    "swap": _("swapped"),
    "take_over": _("taken over"),
    "to_question": _("turned into a question"),
    "transfer": _("transferred"),
    "upload": _("uploaded"),
    "verified_earlier": _("verified earlier (demo)"),
    "verify": _("verified"),
    "walk_in": _("walked in"),
    "write": _("written"),
    "rota_generate": _("rota generated"),
    "report_progress": _("progress reported"),
    "step_record": _("step recorded"),
    "step_sign": _("step signed"),
    "revision_lock": _("revision locked"),
    "attempt_marked": _("attempt marked"),
    "lesson_add": _("lesson added"),
    "section_add": _("section added"),
    "section_update": _("section changed"),
    "question_add": _("question added"),
    "question_update": _("question changed"),
    "item_count": _("items counted"),
    "login": _("logged in"),
    "logout": _("logged out"),
    "login_failed": _("failed log-in"),
    "lockout": _("locked out"),
    "offboard": _("offboarded"),
    "verify_note": _("verification note"),
    "attendees": _("attendees set"),
    "people": _("people set"),
    "members": _("members set"),
    "done": _("done"),
    "cancelled": _("cancelled"),
    "declare": _("declared"),
    "measure_baseline": _("baseline measured"),
    "measure_result": _("result measured"),
    "recorded": _("recorded"),
    "escalated": _("escalated"),
    "answered": _("answered"),
    "closed": _("closed"),
    "merged": _("merged"),
    "derived": _("derived"),
    "imported": _("imported"),
    "entered": _("entered"),
}
#: Codes that read better as a whole.
WHOLE = {
    "demo_build": _("demo built"),
    "password_set": _("password set"),
    "notification_read": pgettext_lazy("audit", "notification read"),
    "calendar_feed_create": _("calendar feed made"),
    "api_token_create": _("API token made"),
    "api_token_revoke": _("API token revoked"),
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
