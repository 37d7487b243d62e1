"""Permission matrix of the knowledge pages and API; agents see only their own cases."""

from __future__ import annotations

import itertools

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.core.services import record_create
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix
from ccops.knowledge.models import Department, DifficultCase, Synonym
from ccops.knowledge.services import articles
from tests.knowledge import helpers as h


def _has_font() -> bool:
    from ccops.knowledge.manual_pdf import FontMissing, find_font

    try:
        find_font()
    except FontMissing:
        return False
    return True


EDITORS = {"editor"}
REVIEWERS = {"qa_inspector", "quality_supervisor"}
RECORDERS = {"agent"} | MANAGERS
HANDLERS = MANAGERS | SUPERVISORS
LINKERS = EDITORS | REVIEWERS | HANDLERS | {"trainer"}
READERS = {"agent", "group_manager", "area_manager"}
NOT_AGENTS = ALL_ROLES - {"agent"}
QUESTION_BANK = SUPERVISORS | {"trainer"}
NOW = "2026-11-27T08:00:00Z"
_n = itertools.count(1)


def once(fn):
    """``fn``'s answer made once per world: for the pages that only read."""

    def made(w, u):
        cache = w.__dict__.setdefault("_once", {})
        if fn.__name__ not in cache:
            cache[fn.__name__] = fn(w, u)
        return cache[fn.__name__]

    made.__name__ = fn.__name__
    return made


def my_case(w, u):
    return [h.case(w).pk]


def answered_case(w, u):
    return [h.answered(w).pk]


def article(w, u):
    return [h.published(w).pk]


def archived_article(w, u):
    a = h.published(w)
    articles.article_archive(article=a, actor=w.users["editor"])
    return [a.pk]


def draft_revision(w, u):
    return [articles.open_revision(h.draft(w)).pk]


def revision_in_review(w, u):
    revision = articles.open_revision(h.draft(w))
    articles.revision_submit(revision=revision, actor=w.users["editor"])
    return [revision.pk]


def link(w, u):
    made = articles.article_link(article=h.published(w), target=h.case(w), actor=w.users["editor"])
    return [made.pk]


def category(w, u):
    return [h.category(w, f"c{next(_n)}").pk]


def synonym(w, u):
    h.synonyms(w, ["借记卡, 储蓄卡"])
    return [Synonym.objects.latest("pk").pk]


def department(w, u):
    return [
        record_create(
            Department, data={"name": f"部门{next(_n)}"}, actor=w.users["center_director"]
        ).pk
    ]


def draft_edition(w, u):
    return [h.edition(w).pk]


def published_edition(w, u):
    return [h.edition(w, publish_it=True).pk]


def edition_data(w, u):
    """A compile request, with a published article to compile."""
    h.published(w)
    return {"site": w.site.pk, "version": f"2026 H{next(_n)}", "title": "服务手册"}


def link_data(w, u):
    return {
        "article": h.published(w).pk,
        "target_type": "knowledge.difficultcase",
        "target_id": h.case(w).pk,
    }


class TestKnowledgePermissions(PermissionMatrix):
    pages = {
        "knowledge:search": Check(ALL_ROLES),
        "knowledge:difficultcase_list": Check(ALL_ROLES),
        "knowledge:difficultcase_add": Check(RECORDERS),
        "knowledge:difficultcase_detail": Check(ALL_ROLES, args=once(my_case)),
        "knowledge:difficultcase_answer": Check(
            HANDLERS, args=my_case, method="post", data=lambda w, u: {"answer": "A"}, ok=(302,)
        ),
        "knowledge:difficultcase_escalate": Check(
            HANDLERS,
            args=my_case,
            method="post",
            data=lambda w, u: {"expert": w.employees["trainer"].pk},
            ok=(302,),
        ),
        "knowledge:difficultcase_follow_up": Check(
            {"agent"}, args=answered_case, method="post", data=lambda w, u: {"text": "Q"}, ok=(302,)
        ),
        "knowledge:difficultcase_close": Check(
            {"agent"} | HANDLERS, args=answered_case, method="post", ok=(302,)
        ),
        "knowledge:difficultcase_merge": Check(
            HANDLERS,
            args=my_case,
            method="post",
            data=lambda w, u: {"into": h.case(w).pk},
            ok=(302,),
        ),
        "knowledge:difficultcase_article": Check(
            EDITORS,
            args=answered_case,
            method="post",
            data=lambda w, u: {"category": h.category(w, f"x{next(_n)}").pk},
            ok=(302,),
        ),
        "knowledge:article_list": Check(ALL_ROLES),
        "knowledge:article_add": Check(EDITORS),
        "knowledge:article_detail": Check(ALL_ROLES, args=once(article)),
        "knowledge:article_edit": Check(EDITORS, args=once(article)),
        "knowledge:article_archive": Check(EDITORS, args=article, method="post", ok=(302,)),
        "knowledge:article_restore": Check(
            EDITORS, args=archived_article, method="post", ok=(302,)
        ),
        "knowledge:article_verify": Check(
            EDITORS | REVIEWERS, args=article, method="post", ok=(302,)
        ),
        "knowledge:article_revise": Check(EDITORS, args=article, method="post", ok=(302,)),
        "knowledge:article_question": Check(QUESTION_BANK, args=once(article)),
        "knowledge:articlerevision_detail": Check(EDITORS | REVIEWERS, args=once(draft_revision)),
        "knowledge:articlerevision_edit": Check(EDITORS, args=once(draft_revision)),
        "knowledge:articlerevision_submit": Check(
            EDITORS, args=draft_revision, method="post", ok=(302,)
        ),
        "knowledge:articlerevision_review": Check(
            REVIEWERS,
            args=revision_in_review,
            method="post",
            data=lambda w, u: {"decision": "approve"},
            ok=(302,),
        ),
        "knowledge:articlelink_add": Check(LINKERS, method="post", data=link_data, ok=(302,)),
        "knowledge:articlelink_remove": Check(LINKERS, args=link, method="post", ok=(302,)),
        "knowledge:manualedition_list": Check(ALL_ROLES),
        "knowledge:manualedition_add": Check(REVIEWERS),
        "knowledge:manualedition_detail": Check(ALL_ROLES, args=once(published_edition)),
        # Without a CJK font on the machine the PDF page sends the reader back with the
        # administrator's instructions (tests/knowledge/test_manual.py checks the PDF).
        "knowledge:manualedition_pdf": Check(
            ALL_ROLES, args=once(published_edition), ok=(200,) if _has_font() else (302,)
        ),
        "knowledge:manualedition_publish": Check(
            REVIEWERS, args=draft_edition, method="post", ok=(302,)
        ),
        "knowledge:manualedition_acknowledge": Check(
            READERS, args=published_edition, method="post", ok=(302,)
        ),
        "knowledge:manualedition_archive": Check(REVIEWERS, args=once(draft_edition)),
        "knowledge:category_list": Check(ALL_ROLES),
        "knowledge:category_add": Check(EDITORS),
        "knowledge:category_detail": Check(ALL_ROLES, args=once(category)),
        "knowledge:category_edit": Check(EDITORS, args=once(category)),
        "knowledge:category_archive": Check(EDITORS, args=once(category)),
        "knowledge:synonym_list": Check(EDITORS | REVIEWERS),
        "knowledge:synonym_add": Check(EDITORS),
        "knowledge:synonym_detail": Check(EDITORS | REVIEWERS, args=once(synonym)),
        "knowledge:synonym_edit": Check(EDITORS, args=once(synonym)),
        "knowledge:synonym_archive": Check(EDITORS, args=once(synonym)),
        "knowledge:department_list": Check(NOT_AGENTS),
        "knowledge:department_add": Check(SUPERVISORS),
        "knowledge:department_detail": Check(NOT_AGENTS, args=once(department)),
        "knowledge:department_edit": Check(SUPERVISORS, args=once(department)),
        "knowledge:department_archive": Check(SUPERVISORS, args=once(department)),
    }
    api = {
        "knowledge_difficultcase_list": Check(ALL_ROLES),
        "knowledge_difficultcase_get": Check(ALL_ROLES, args=once(my_case)),
        "knowledge_difficultcase_create": Check(
            RECORDERS,
            method="post",
            data=lambda w, u: {"question": "客户问能否退税？", "occurred_at": NOW},
            ok=(201,),
        ),
        "knowledge_difficultcase_answer": Check(
            HANDLERS, args=my_case, method="post", data=lambda w, u: {"answer": "可以。"}
        ),
        "knowledge_difficultcase_escalate": Check(
            HANDLERS,
            args=my_case,
            method="post",
            data=lambda w, u: {"expert": w.employees["trainer"].pk, "note": "请培训师回答"},
        ),
        "knowledge_difficultcase_follow_up": Check(
            {"agent"}, args=answered_case, method="post", data=lambda w, u: {"text": "Q"}
        ),
        "knowledge_difficultcase_close": Check(
            {"agent"} | HANDLERS, args=answered_case, method="post"
        ),
        "knowledge_difficultcase_merge": Check(
            HANDLERS, args=my_case, method="post", data=lambda w, u: {"into": h.case(w).pk}
        ),
        "knowledge_difficultcase_article": Check(
            EDITORS,
            args=answered_case,
            method="post",
            data=lambda w, u: {"category": h.category(w, f"y{next(_n)}").pk},
            ok=(201,),
        ),
        "knowledge_article_list": Check(ALL_ROLES),
        "knowledge_article_get": Check(ALL_ROLES, args=once(article)),
        "knowledge_article_create": Check(
            EDITORS,
            method="post",
            data=lambda w, u: {
                "category": h.category(w, f"z{next(_n)}").pk,
                "title": "借记卡挂失",
                "body": "口头挂失有效期5天。",
            },
            ok=(201,),
        ),
        "knowledge_article_update": Check(
            EDITORS, args=article, method="patch", data=lambda w, u: {"visibility": "customer"}
        ),
        "knowledge_article_archive": Check(EDITORS, args=article, method="post"),
        "knowledge_article_restore": Check(EDITORS, args=archived_article, method="post"),
        "knowledge_article_verify": Check(EDITORS | REVIEWERS, args=article, method="post"),
        "knowledge_article_revise": Check(EDITORS, args=article, method="post", ok=(201,)),
        "knowledge_article_question": Check(
            QUESTION_BANK,
            args=article,
            method="post",
            data=lambda w, u: {"question": "金卡怎么免年费？", "expected_answer": "刷满6次"},
            ok=(201,),
        ),
        "knowledge_articlerevision_list": Check(EDITORS | REVIEWERS),
        "knowledge_articlerevision_get": Check(EDITORS | REVIEWERS, args=once(draft_revision)),
        "knowledge_articlerevision_update": Check(
            EDITORS, args=draft_revision, method="patch", data=lambda w, u: {"title": "新标题"}
        ),
        "knowledge_articlerevision_submit": Check(EDITORS, args=draft_revision, method="post"),
        "knowledge_articlerevision_review": Check(
            REVIEWERS, args=revision_in_review, method="post", data=lambda w, u: {"approve": True}
        ),
        "knowledge_search": Check(ALL_ROLES, args=None, ok=(200,)),
        "knowledge_category_list": Check(ALL_ROLES),
        "knowledge_category_get": Check(ALL_ROLES, args=once(category)),
        "knowledge_category_create": Check(
            EDITORS, method="post", data=lambda w, u: {"name": f"新类别{next(_n)}"}, ok=(201,)
        ),
        "knowledge_category_update": Check(
            EDITORS, args=category, method="patch", data=lambda w, u: {"order": 3}
        ),
        "knowledge_category_archive": Check(EDITORS, args=category, method="post"),
        "knowledge_synonym_list": Check(EDITORS | REVIEWERS),
        "knowledge_synonym_get": Check(EDITORS | REVIEWERS, args=once(synonym)),
        "knowledge_synonym_create": Check(
            EDITORS, method="post", data=lambda w, u: {"terms": "宽带, 光纤"}, ok=(201,)
        ),
        "knowledge_synonym_update": Check(
            EDITORS, args=synonym, method="patch", data=lambda w, u: {"note": "产品"}
        ),
        "knowledge_synonym_archive": Check(EDITORS, args=synonym, method="post"),
        "knowledge_department_list": Check(NOT_AGENTS),
        "knowledge_department_get": Check(NOT_AGENTS, args=once(department)),
        "knowledge_department_create": Check(
            SUPERVISORS, method="post", data=lambda w, u: {"name": f"部门X{next(_n)}"}, ok=(201,)
        ),
        "knowledge_department_update": Check(
            SUPERVISORS, args=department, method="patch", data=lambda w, u: {"answer_hours": 12}
        ),
        "knowledge_department_archive": Check(SUPERVISORS, args=department, method="post"),
        "knowledge_articlelink_list": Check(ALL_ROLES),
        "knowledge_articlelink_create": Check(LINKERS, method="post", data=link_data, ok=(201,)),
        "knowledge_articlelink_archive": Check(LINKERS, args=link, method="post"),
        "knowledge_manualedition_list": Check(ALL_ROLES),
        "knowledge_manualedition_get": Check(ALL_ROLES, args=once(published_edition)),
        "knowledge_manualedition_create": Check(
            REVIEWERS,
            method="post",
            data=lambda w, u: edition_data(w, u),
            ok=(201,),
        ),
        "knowledge_manualedition_publish": Check(REVIEWERS, args=draft_edition, method="post"),
        "knowledge_manualedition_archive": Check(REVIEWERS, args=draft_edition, method="post"),
        "knowledge_manualedition_acknowledge": Check(
            READERS, args=published_edition, method="post"
        ),
        "knowledge_manualedition_outstanding": Check(ALL_ROLES, args=once(published_edition)),
    }

    def _api_url(self, operation_id, check, world, user):
        url = super()._api_url(operation_id, check, world, user)
        if operation_id == "knowledge_search":
            return url + "?q=年费"
        if operation_id == "knowledge_articlelink_list":
            return url + f"?target_type=knowledge.difficultcase&target_id={h.case(world).pk}"
        return url


class TestCasesOwnRows(OwnRowsTests):
    model = DifficultCase
    list_url = "knowledge:difficultcase_list"
    detail_url = "knowledge:difficultcase_detail"
    api_list = "knowledge_difficultcase_list"

    def own(self, w):
        return h.case(w)

    def others(self, w):
        w.group2.leader = w.employees["general_supervisor"]
        w.group2.save()
        return h.case(w, actor=w.other_agent)
