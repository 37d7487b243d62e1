"""Evaluation forms: scoring rules through the service, versioning on scoring changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ccops.core.testing import build_world
from ccops.quality.models import FormVersion
from ccops.quality.services import evaluations as ev
from ccops.quality.services import forms as fs
from tests.quality.helpers import answers, evaluation, form, questions

pytestmark = pytest.mark.django_db


def test_scores_sections_weights_na_bonus_critical_and_fatal():
    w = build_world()
    f = form(w)
    v = f.current_version
    # Greeting: 1 + 4*(3-1)/4 = 3 of 5 = 60 %; Compliance: 2 + 2 (+1 bonus) of 4 -> capped 100.
    e = evaluation(w, f, Tone=3)
    assert e.score == pytest.approx((1 * 60 + 2 * 100) / 3, abs=1e-3)
    assert e.critical_score == 100 and not e.fatal
    # N/A of the tone drops it from the denominator: greeting 1 of 1 = 100 %.
    e2 = evaluation(w, f, Tone="na", Offers_a_further_product=0)
    assert e2.score == pytest.approx(100)
    # A critical miss: critical score 0, total drops.
    e3 = evaluation(w, f, Verifies_identity=0, Offers_a_further_product=0)
    assert e3.critical_score == 0
    assert e3.score == pytest.approx((100 + 2 * 50) / 3, abs=1e-3)
    # The fatal question answered "no" zeroes the whole form.
    e4 = evaluation(w, f, No_data_disclosed=0)
    assert e4.score == 0 and e4.fatal
    revision = e4.current_revision
    assert revision.section_scores[0] == pytest.approx(100)
    assert v.number == 1


def test_missing_or_out_of_range_answers_name_the_question():
    w = build_world()
    f = form(w)
    v = f.current_version
    e = evaluation(w, f, released=False)
    bad = answers(v)
    tone = questions(v)["Tone"]
    bad[tone.pk] = {"value": 9}
    with pytest.raises(ValidationError) as err:
        ev.evaluation_score(evaluation=e, answers=bad, actor=w.users["qa_inspector"])
    assert "Tone" in str(err.value) and "9" in str(err.value)
    del bad[tone.pk]
    with pytest.raises(ValidationError, match="Tone"):
        ev.evaluation_score(evaluation=e, answers=bad, actor=w.users["qa_inspector"])


def test_a_used_version_gets_a_new_version_on_scoring_change_and_keeps_its_scores():
    w = build_world()
    f = form(w)
    v1 = f.current_version
    e = evaluation(w, f)
    old_score = e.score
    tone = questions(v1)["Tone"]
    # Wording changes in place, in the used version.
    fs.form_question_update(
        question=tone, text="Friendly tone", actor=w.users["quality_supervisor"]
    )
    tone.refresh_from_db()
    assert tone.text == "Friendly tone" and f.versions.count() == 1
    # A scoring change makes version 2; the evaluation keeps version 1 and its score.
    changed = fs.form_question_update(question=tone, points=10, actor=w.users["quality_supervisor"])
    assert f.versions.count() == 2
    v2 = FormVersion.objects.get(form=f, number=2)
    assert changed.section.version == v2 and changed.key == tone.key and changed.points == 10
    tone.refresh_from_db()
    assert tone.points == 4
    e.refresh_from_db()
    assert e.form_version == v1 and e.score == old_score
    assert v2.questions().count() == v1.questions().count()
    # An unused version changes in place.
    fs.form_question_update(question=changed, points=8, actor=w.users["quality_supervisor"])
    assert f.versions.count() == 2
    # The old version cannot be changed any more.
    with pytest.raises(ValidationError, match="replaced"):
        fs.form_question_update(question=tone, points=3, actor=w.users["quality_supervisor"])


def test_section_weight_and_removal_version_the_form():
    w = build_world()
    f = form(w)
    v1 = f.current_version
    evaluation(w, f)
    section = v1.sections.get(title="Greeting")
    fs.form_section_update(section=section, weight=3, actor=w.users["quality_supervisor"])
    section.refresh_from_db()
    assert section.weight == 1 and f.versions.count() == 2
    v2 = f.current_version
    assert v2.sections.get(title="Greeting").weight == 3
    bonus = questions(v2)["Offers a further product"]
    fs.form_question_remove(question=bonus, actor=w.users["quality_supervisor"])
    assert f.versions.count() == 2  # v2 unused: removed in place
    assert "Offers a further product" not in questions(f.current_version)


def test_form_for_call_prefers_queue_then_skill_then_general():
    w = build_world()
    general = form(w)
    assert fs.form_for_call(w.site, w.queue) == general
    by_skill = fs.evaluation_form_create(
        name="Cards", site=w.site, skill=w.skill, actor=w.users["quality_supervisor"]
    )
    fs.form_section_add(
        version=by_skill.current_version, title="S", actor=w.users["quality_supervisor"]
    )
    assert fs.form_for_call(w.site, w.queue) == by_skill
    own = form(w, queue=w.queue)
    assert fs.form_for_call(w.site, w.queue) == own
