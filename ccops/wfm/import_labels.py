"""Import formats and import-report counts in the reader's language.

The import form lists each format by ``preset_label(name)`` (``Genesys Cloud interactions
(genesys-cloud-interactions)``, ``Genesys Cloud 交互记录 (…)``), the batch page labels each
count of the validation report by ``report_label(key)``; a key without a label (a report
stored by an older version) is shown as stored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: The import formats by name; a preset without a label is shown by its name.
PRESET_LABELS = {
    "anonymous-bank": _("Anonymous Bank call records (1999 sample)"),
    "avaya-cms-interval": _("Avaya CMS interval report"),
    "ccops-calls": _("ccops call records"),
    "ccops-history": _("ccops interval history"),
    "cisco-ucce-call-type-interval": _("Cisco UCCE call-type interval report"),
    "generic-interval": _("Interval table (any ACD)"),
    "genesys-cloud-interactions": _("Genesys Cloud interactions"),
    "huawei-cc-call": _("Huawei contact-center call records"),
    "synthetic": _("synthetic demo data"),
}

#: The validation report's keys (stored in English by the import service).
REPORT_LABELS = {
    "rows read": _("rows read"),
    "skipped: left in the IVR": _("skipped: left in the IVR"),
    "skipped: ignored records": _("skipped: ignored records"),
    "calls (answered + abandoned)": _("calls (answered + abandoned)"),
    "empty intervals filled with 0 calls": _("empty intervals filled with 0 calls"),
    "intervals written": _("intervals written"),
    "intervals replaced (imported before)": _("intervals replaced (imported before)"),
    "days": _("days"),
    "call records kept": _("call records kept"),
    "call records replaced (imported before)": _("call records replaced (imported before)"),
    "calls matched to an employee": _("calls matched to an employee"),
    "ACD agents not matched to an employee": _("ACD agents not matched to an employee"),
    # the keys of the one import pipeline (ccops.engine.io.pipeline) and the web import
    "intervals read": _("intervals read"),
    "skipped: left in the IVR before queueing": _("skipped: left in the IVR before queueing"),
    "skipped: ignored records (e.g. PHANTOM, unlisted outcome)": _(
        "skipped: ignored records (e.g. PHANTOM, unlisted outcome)"
    ),
    "skipped: queue not in --queues": _("skipped: queue not in the queue mapping"),
    "skipped: intervals of queues not in --queues": _(
        "skipped: intervals of queues not in the queue mapping"
    ),
    "calls imported (answered + abandoned)": _("calls imported (answered + abandoned)"),
    "calls imported": _("calls imported"),
    "intervals outside the files' time span": _("intervals outside the file's time span"),
    "earlier intervals kept outside the file's time span": _(
        "earlier intervals kept outside the file's time span"
    ),
    "intervals changed (earlier values kept with this import)": _(
        "intervals changed (earlier values kept with this import)"
    ),
}


def preset_label(name: str) -> str:
    label = PRESET_LABELS.get(name)
    return f"{label} ({name})" if label else name


def report_label(key: str) -> str:
    return str(REPORT_LABELS.get(key, key))
