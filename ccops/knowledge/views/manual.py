"""Pages of the service manual: editions (compile, read as HTML or PDF, publish),
acknowledgements and who has not acknowledged yet."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.permissions import all_rows, check_model_perm, not_found
from ccops.core.roles import is_supervisor
from ccops.knowledge import forms, manual_pdf
from ccops.knowledge.filters import ManualEditionFilter
from ccops.knowledge.models import ManualAcknowledgement, ManualEdition
from ccops.knowledge.services import manual
from ccops.knowledge.views.cases import refused
from ccops.people.models import Employee


class ManualEditionListView(ObjectListView):
    model = ManualEdition
    filterset_class = ManualEditionFilter
    columns = ["title", "version", "site", "signed_at", "created_at"]

    def get_queryset(self):
        rows = super().get_queryset().select_related("site")
        if not self.request.user.has_perm("knowledge.change_manualedition"):
            rows = rows.filter(signed_at__isnull=False)
        return rows


def _visible_editions(user):
    rows = all_rows(ManualEdition).restrict(user, "view")
    if not user.has_perm("knowledge.change_manualedition"):
        rows = rows.filter(signed_at__isnull=False)
    return rows


class ManualEditionDetailView(ObjectDetailView):
    model = ManualEdition
    template_name = "knowledge/manualedition_detail.html"
    fields = ["site", "version", "signed_at", "signed_by", "created_at"]

    def get_queryset(self):
        return _visible_editions(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition, user = self.object, self.request.user
        ack = ManualAcknowledgement.objects.filter(edition=edition, employee__user=user).first()
        is_reader = manual.readers(edition).filter(user=user).exists()
        show_outstanding = edition.is_signed and (
            is_supervisor(user)
            or user.has_perm("knowledge.change_manualedition")
            or user.groups.filter(name__in=["group_manager", "area_manager"]).exists()
        )
        outstanding = None
        if show_outstanding:
            outstanding = manual.outstanding(edition).filter(
                pk__in=Employee.objects.restrict(user, "view").values("pk")
            )
        context.update(
            chapters=manual.chapters_of(edition),
            acknowledgement=ack,
            can_acknowledge=edition.is_signed and is_reader and ack is None,
            can_publish=not edition.is_signed and user.has_perm("knowledge.change_manualedition"),
            outstanding=outstanding,
            acknowledged=ManualAcknowledgement.objects.filter(edition=edition).count(),
            readers=manual.readers(edition).count(),
        )
        context["can_change"] = False
        return context


class ManualEditionFormView(ObjectFormView):
    model = ManualEdition
    form_class = forms.EditionForm

    def get_initial(self):
        return {
            "version": manual.suggest_version(),
            "title": _("Service manual"),
        }

    def save(self, form):
        if self.object is not None:
            raise ValidationError(_("An edition is compiled anew, not edited."))
        return manual.edition_compile(actor=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Compile a new edition of the service manual")
        return context


class ManualEditionArchiveView(ObjectArchiveView):
    model = ManualEdition


@require_POST
def edition_publish(request, pk):
    check_model_perm(request.user, ManualEdition, "change")
    edition = get_restricted_or_404(ManualEdition, request.user, pk, "change")
    try:
        manual.edition_publish(edition=edition, actor=request.user)
        messages.success(request, _("Published; the floor staff are asked to read it."))
    except ValidationError as exc:
        refused(request, exc)
    return redirect(edition.get_absolute_url())


@require_POST
def edition_acknowledge(request, pk):
    check_model_perm(request.user, ManualAcknowledgement, "add")
    edition = _visible_editions(request.user).filter(pk=pk).first()
    if edition is None:
        raise Http404(not_found(ManualEdition._meta.verbose_name, pk))
    try:
        manual.edition_acknowledge(edition=edition, actor=request.user)
        messages.success(request, _("Thank you: your reading is recorded."))
    except ValidationError as exc:
        refused(request, exc)
    return redirect(edition.get_absolute_url())


def _edition_pdf(edition) -> bytes:
    """The PDF of an edition; a published edition never changes, so its PDF is rendered
    once per language and kept in the cache (rendering takes a few seconds)."""
    if not edition.is_published:
        return manual_pdf.render_edition(edition, manual.chapters_of(edition))
    key = f"knowledge:edition-pdf:{edition.pk}:{edition.signed_at.timestamp()}:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = manual_pdf.render_edition(edition, manual.chapters_of(edition))
        cache.set(key, data, timeout=None)
    return data


def edition_pdf(request, pk):
    check_model_perm(request.user, ManualEdition, "view")
    edition = _visible_editions(request.user).filter(pk=pk).first()
    if edition is None:
        raise Http404(not_found(ManualEdition._meta.verbose_name, pk))
    try:
        data = _edition_pdf(edition)
    except manual_pdf.FontMissing as exc:
        messages.error(
            request, _("The PDF cannot be made on this server: %(reason)s") % {"reason": exc}
        )
        return redirect(edition.get_absolute_url())
    response = HttpResponse(data, content_type="application/pdf")
    name = f"service-manual-{edition.version.replace(' ', '-')}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
