"""Template helpers of the quality pages."""

from __future__ import annotations

from django import template

from ccops.quality.choices import KPI, ComplaintCategory, ComplaintOutcome

register = template.Library()

_LABELS = {
    "outcome": dict(ComplaintOutcome.choices),
    "category": dict(ComplaintCategory.choices),
    "kpi": dict(KPI.choices),
}


@register.filter
def label(value, kind: str):
    """``{{ code|label:"outcome" }}``: the translated label of a stored choice value."""
    return _LABELS.get(kind, {}).get(value, value)


@register.filter
def percent(value, digits: int = 0):
    """``0.834|percent`` -> ``83``: a share as a percentage (``—`` for none)."""
    if value is None:
        return "—"
    return f"{100 * float(value):.{int(digits)}f}"
