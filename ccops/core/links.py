"""Links from a record to a record of any installed app, without importing that app.

A register or an improvement project points at evidence kept elsewhere (a QA result, an
incident, a complaint, a discipline record, an article): apps built side by side must not
import each other, so such a link is a generic foreign key (``content_type`` +
``object_id``) to any audited record. This module is the one place that decides which
records a user may link and see:

* :func:`linkable_types` the audited record types whose rows ``user`` may view;
* :func:`linkable_rows` rows of one type that ``user`` may view, searched by text or id;
* :func:`resolve_link` the row for a ``(type, id)`` pair, or a ``ValidationError`` naming
  the field when the type is not linkable or the row is not visible to ``user``;
* :func:`visible_target` the linked row if ``user`` may still see it (else ``None``), so a
  page shows a link only to those allowed to follow it;
* :func:`record_options` the picker's htmx endpoint (``core:record_options``): the
  ``<option>`` list of rows of one type matching ``q``.

A link row keeps the target's text (``object_repr``) from the moment it was made, so an
auditor reads what was linked even after the target was archived or renamed.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, Q, TextField
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ccops.core import audit
from ccops.core.limits import shorten
from ccops.core.permissions import all_rows, has_model_perm

#: Records never offered as link targets (bookkeeping, not evidence).
NOT_LINKABLE = frozenset(
    {
        "auth.user",
        "auth.group",
        "core.apitoken",
        "core.notification",
        "core.job",
        "core.accountstate",
        "core.auditentry",
    }
)
#: How many rows the picker offers at once.
MAX_OPTIONS = 30


def _label(model) -> str:
    return model._meta.label_lower


def is_linkable(model) -> bool:
    return (
        model is not None
        and audit.is_audited(model)
        and _label(model) not in NOT_LINKABLE
        and not model._meta.proxy
    )


def linkable_types(user, *, prefer: tuple[str, ...] = ()) -> list[ContentType]:
    """The audited record types ``user`` may view, ordered by app and name; types whose
    model name contains one of the ``prefer`` words (``"disciplin"``, ``"complaint"``)
    come first."""
    found = []
    for ct in ContentType.objects.all():
        model = ct.model_class()
        if is_linkable(model) and has_model_perm(user, model, "view"):
            found.append(ct)

    def key(ct):
        name = ct.model
        preferred = any(word in name for word in prefer)
        return (not preferred, ct.app_label, str(ct.model_class()._meta.verbose_name))

    return sorted(found, key=key)


def type_label(ct: ContentType) -> str:
    model = ct.model_class()
    if model is None:
        return f"{ct.app_label}.{ct.model}"
    return f"{model._meta.app_config.verbose_name}: {model._meta.verbose_name}"


def _search_q(model, text: str) -> Q:
    q = Q()
    if text.isdigit():
        q |= Q(pk=int(text))
    for field in model._meta.concrete_fields:
        if isinstance(field, CharField | TextField) and not field.choices:
            q |= Q(**{f"{field.name}__icontains": text})
    return q


def linkable_rows(user, ct: ContentType, q: str = "", *, limit: int = MAX_OPTIONS):
    """Rows of type ``ct`` that ``user`` may view, newest first, matching ``q`` (an id or
    text in any text field)."""
    model = ct.model_class()
    if not is_linkable(model):
        return []
    rows = all_rows(model).restrict(user, "view")
    q = (q or "").strip()[:100]
    if q:
        rows = rows.filter(_search_q(model, q))
    return list(rows.order_by("-pk")[:limit])


def resolve_link(user, content_type, object_id, *, field: str = "object_id"):
    """The row ``(content_type, object_id)`` (a ``ContentType``, its id or ``"app.model"``)
    if it is linkable and ``user`` may view it; a ``ValidationError`` naming ``field``
    otherwise."""
    ct = _content_type(content_type)
    if ct is None or not is_linkable(ct.model_class()):
        raise ValidationError(
            {
                "content_type": _("%(type)s is not a record type that can be linked.")
                % {"type": shorten(content_type)}
            }
        )
    model = ct.model_class()
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("%(id)s is not a record id.") % {"id": shorten(object_id)}}
        ) from None
    row = all_rows(model).filter(pk=pk).restrict(user, "view").first()
    if row is None:
        raise ValidationError(
            {
                field: _("No %(type)s #%(id)s that you may see.")
                % {"type": model._meta.verbose_name, "id": pk}
            }
        )
    return row


def _content_type(value) -> ContentType | None:
    if isinstance(value, ContentType):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return ContentType.objects.filter(pk=int(value)).first()
    if isinstance(value, str) and "." in value:
        app_label, model = value.lower().split(".", 1)
        return ContentType.objects.filter(app_label=app_label, model=model).first()
    return None


def visible_target(user, ct: ContentType, object_id):
    """The linked row when ``user`` may still view it, else ``None``."""
    model = ct.model_class()
    if model is None or not has_model_perm(user, model, "view"):
        return None
    return all_rows(model).filter(pk=object_id).restrict(user, "view").first()


@require_GET
def record_options(request):
    """``<option>`` elements for the record picker (htmx): rows of ``content_type``
    matching ``q`` that the user may view."""
    ct = _content_type(request.GET.get("content_type", ""))
    if ct is None or not is_linkable(ct.model_class()):
        return HttpResponse(format_html('<option value="">{}</option>', _("Choose a type first")))
    rows = linkable_rows(request.user, ct, request.GET.get("q", ""))
    if not rows:
        return HttpResponse(format_html('<option value="">{}</option>', _("No matching record")))
    return HttpResponse(
        format_html_join("", '<option value="{}">#{} {}</option>', ((r.pk, r.pk, r) for r in rows))
    )
