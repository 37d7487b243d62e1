"""Extra panels on other apps' record pages: an app higher up (knowledge, incidents) shows
its own information on a lower app's detail page without that app importing it.

An app registers in ``AppConfig.ready``::

    from ccops.core.detail_panels import register_detail_panel

    register_detail_panel(
        "knowledge.linked_articles",
        models={"shiftops.handover", "incidents.incident"},   # app_label.model_name
        template="knowledge/panels/_linked_articles.html",
        context=linked_articles_context,   # (request, obj) -> dict, or None to hide it
        order=10,
    )

``core/object_detail.html`` (which every detail page extends) renders the panels
registered for the page's record with ``{% detail_panels object %}``, before the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DetailPanel:
    key: str
    models: frozenset[str]
    template: str
    context: Callable
    order: int


_PANELS: dict[str, DetailPanel] = {}


def register_detail_panel(
    key: str, *, models: Iterable[str], template: str, context: Callable, order: int = 100
) -> DetailPanel:
    """Register (or replace, by ``key``) a panel for the detail pages of ``models``."""
    labels = frozenset(m.lower() for m in models)
    if not labels or any("." not in m for m in labels):
        raise ValueError(f"detail panel {key!r}: models are 'app_label.model_name' strings")
    panel = DetailPanel(key, labels, template, context, order)
    _PANELS[key] = panel
    return panel


def panels_for_object(request, obj) -> list[tuple[DetailPanel, dict]]:
    """``(panel, context)`` of the panels to show on ``obj``'s page, in order."""
    label = obj._meta.label_lower
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if label not in panel.models:
            continue
        context = panel.context(request, obj)
        if context is not None:
            shown.append((panel, context))
    return shown
