"""Evaluation forms: create, add sections and questions, change them. A scoring change to
a version that has scored an evaluation (or a calibration) makes a new version; wording
changes edit in place, whatever the version."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccops.core.models import Queue, Site
from ccops.core.services import lock_for_update, record_archive, record_create, record_update
from ccops.engine.quality import scoring
from ccops.people.models import Skill
from ccops.quality.models import EvaluationForm, FormQuestion, FormSection, FormVersion

SECTION_SCORING = ("weight",)


@transaction.atomic
def evaluation_form_create(
    *,
    name: str,
    actor,
    site: Site | None = None,
    queue: Queue | None = None,
    skill: Skill | None = None,
    description: str = "",
) -> EvaluationForm:
    """A new form with an empty version 1."""
    form = record_create(
        EvaluationForm,
        data={
            "name": name,
            "site": site,
            "queue": queue,
            "skill": skill,
            "description": description,
        },
        actor=actor,
        verb="evaluation_form_create",
    )
    record_create(
        FormVersion, data={"form": form, "number": 1}, actor=actor, verb="form_version_create"
    )
    return form


@transaction.atomic
def evaluation_form_update(*, form: EvaluationForm, actor, **data) -> EvaluationForm:
    """Name, description, queue, skill: not scoring, edited in place."""
    return record_update(form, data=data, actor=actor, verb="evaluation_form_update")


def _copy_version(version: FormVersion, *, actor, note: str) -> tuple[FormVersion, dict, dict]:
    """The next version of the form, a copy of ``version``; returns it and the maps
    old section/question id -> new row."""
    form = lock_for_update(version.form)
    number = (form.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    new = record_create(
        FormVersion,
        data={"form": form, "number": number, "note": note[:300]},
        actor=actor,
        verb="form_version_create",
    )
    sections, questions = {}, {}
    for section in version.sections.all():
        sections[section.pk] = record_create(
            FormSection,
            data={
                "version": new,
                "title": section.title,
                "weight": section.weight,
                "order": section.order,
            },
            actor=actor,
        )
        for q in section.questions.all():
            questions[q.pk] = _question_copy(q, sections[section.pk], actor)
    return new, sections, questions


def _question_copy(q: FormQuestion, section: FormSection, actor) -> FormQuestion:
    data = {f: getattr(q, f) for f in (*FormQuestion.SCORING_FIELDS, *FormQuestion.WORDING_FIELDS)}
    return record_create(FormQuestion, data={**data, "section": section, "key": q.key}, actor=actor)


def editable_version(version: FormVersion, *, actor, note: str) -> tuple[FormVersion, dict, dict]:
    """``version`` itself while unused, else a new copy to change (see module docstring)."""
    if not version.in_use:
        return version, {}, {}
    latest = version.form.versions.order_by("-number").first()
    if latest.pk != version.pk:
        raise ValidationError(
            _("Version %(n)s has been replaced by version %(m)s: change the latest version.")
            % {"n": version.number, "m": latest.number}
        )
    return _copy_version(version, actor=actor, note=note)


@transaction.atomic
def form_section_add(
    *, version: FormVersion, title: str, actor, weight: float = 1, order: int = 10
) -> FormSection:
    version, _s, _q = editable_version(
        version, actor=actor, note=_("section %(t)s added") % {"t": title}
    )
    return record_create(
        FormSection,
        data={"version": version, "title": title, "weight": weight, "order": order},
        actor=actor,
        verb="form_section_add",
    )


@transaction.atomic
def form_section_update(*, section: FormSection, actor, **data) -> FormSection:
    scoring_change = any(k in data and data[k] != getattr(section, k) for k in SECTION_SCORING)
    if scoring_change:
        _version, sections, _q = editable_version(
            section.version, actor=actor, note=_("weight of %(t)s changed") % {"t": section.title}
        )
        section = sections.get(section.pk, section)
    return record_update(section, data=data, actor=actor, verb="form_section_update")


@transaction.atomic
def form_question_add(*, section: FormSection, text: str, actor, **data) -> FormQuestion:
    _version, sections, _q = editable_version(
        section.version, actor=actor, note=_("question added: %(t)s") % {"t": text[:200]}
    )
    section = sections.get(section.pk, section)
    return record_create(
        FormQuestion,
        data={"section": section, "text": text, "key": uuid.uuid4().hex[:12], **data},
        actor=actor,
        verb="form_question_add",
    )


@transaction.atomic
def form_question_update(*, question: FormQuestion, actor, **data) -> FormQuestion:
    """Change a question. Wording (text, guidance, order) changes in place; a change of
    how it scores changes a copy in a new version when the current one has been used.
    Returns the question that was changed (possibly the copy)."""
    unknown = set(data) - set(FormQuestion.SCORING_FIELDS) - set(FormQuestion.WORDING_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    scoring_change = any(
        k in data and data[k] != getattr(question, k) for k in FormQuestion.SCORING_FIELDS
    )
    if scoring_change:
        _v, _s, questions = editable_version(
            question.section.version,
            actor=actor,
            note=_("scoring of %(t)s changed") % {"t": question.text[:200]},
        )
        question = questions.get(question.pk, question)
    return record_update(question, data=data, actor=actor, verb="form_question_update")


@transaction.atomic
def form_question_remove(*, question: FormQuestion, actor) -> FormVersion:
    """Take a question off the form (a new version when the current one has been used)."""
    version, _s, questions = editable_version(
        question.section.version,
        actor=actor,
        note=_("question removed: %(t)s") % {"t": question.text[:200]},
    )
    record_archive(questions.get(question.pk, question), actor=actor)
    return version


def form_for_call(site: Site, queue: Queue | None) -> EvaluationForm | None:
    """The form that scores a call of ``queue``: the queue's own, else one for a skill
    that answers the queue, else a general form of the site (or of every site)."""
    forms = EvaluationForm.objects.filter(site__in=[site]) | EvaluationForm.objects.filter(
        site__isnull=True
    )
    forms = forms.filter(versions__sections__isnull=False).distinct().order_by("pk")
    if queue is not None:
        own = forms.filter(queue=queue).first()
        if own:
            return own
        by_skill = forms.filter(skill__queue=queue).first()
        if by_skill:
            return by_skill
    return forms.filter(queue__isnull=True, skill__isnull=True).first()


# --- engine types ---------------------------------------------------------------------


def scoring_model(version: FormVersion) -> tuple[list[FormQuestion], list, list[float]]:
    """The version's questions (in order), their engine ``Question`` and the section
    weights, for :func:`ccops.engine.quality.scoring.score_form`."""
    sections = list(version.sections.order_by("order", "pk"))
    index = {s.pk: i for i, s in enumerate(sections)}
    rows = [q for q in version.questions() if q.section_id in index]
    engine = [
        scoring.Question(
            key=str(q.pk),
            section=index[q.section_id],
            kind=q.kind,
            points=q.points,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            critical=q.critical,
            fatal=q.fatal,
            bonus=q.bonus,
            allow_na=q.allow_na,
        )
        for q in rows
    ]
    return rows, engine, [s.weight for s in sections]


def scoring_message(exc: scoring.ScoringError, rows: list[FormQuestion]) -> ValidationError:
    """The engine's scoring error worded for the user, naming the question."""
    by_key = {str(q.pk): q for q in rows}
    q = by_key.get(str(exc.values.get("question")))
    name = q.text if q else str(exc.values.get("question"))
    field = f"q{q.pk}" if q else None
    if exc.code == "missing":
        msg = _("Answer “%(q)s” (or mark it N/A).") % {"q": name}
    elif exc.code == "na_not_allowed":
        msg = _("“%(q)s” cannot be N/A.") % {"q": name}
    else:
        msg = _("The answer to “%(q)s” must be between %(low)s and %(high)s, not %(value)s.") % {
            "q": name,
            "low": exc.values.get("low"),
            "high": exc.values.get("high"),
            "value": exc.values.get("value"),
        }
    return ValidationError({field: msg} if field else msg)
