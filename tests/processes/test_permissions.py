"""Permission matrix of the process register and the projects; agents see the projects
they are in."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ccops.core.roles import ALL_ROLES, MANAGERS, SUPERVISORS
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix
from ccops.processes import services
from ccops.processes.models import ImprovementProject
from ccops.processes.roles import PROJECT_STAFF
from tests.processes.helpers import approve_first, process, project, stats
from tests.shiftops.helpers import employee_of

AUTHORS = SUPERVISORS | MANAGERS


def _slugs(u):
    return set(u.groups.values_list("name", flat=True)) if u is not None else {"agent"}


def a_process(w, u):
    return [process(w).pk]


def my_process(w, u):
    """A process the user owns (owners and supervisors change it)."""
    return [process(w, owner=_slugs(u).pop() if _slugs(u) else "group_manager").pk]


def draft_of_mine(w, u):
    p = process(w, owner=next(iter(_slugs(u))))
    return [p.versions.get().pk]


def version_in_review(w, u):
    """An operational change in review, drafted by the general supervisor (so the operations
    supervisor reviews it) or by the operations supervisor when the general supervisor
    asks (the center director reviews it)."""
    author = "operations_supervisor" if u == w.users["general_supervisor"] else "general_supervisor"
    category = "complaints" if u == w.users["general_supervisor"] else "operational"
    p = process(w, category=category, actor=author)
    version = p.versions.get()
    services.version_submit(version=version, actor=w.users[author])
    return [version.pk]


REVIEW_ALLOWED = {"operations_supervisor", "general_supervisor"}


def my_project(w, u):
    return [project(w, lead=next(iter(_slugs(u)))).pk]


def my_ready_project(w, u):
    pr = project(w, lead=next(iter(_slugs(u))))
    services.project_update(
        project=pr,
        metric="SL",
        baseline_value=70,
        baseline_from=timezone.localdate(),
        baseline_to=timezone.localdate(),
        baseline_source="ACD",
        target_value=80,
        actor=u,
    )
    return [pr.pk]


def my_measurable_project(w, u):
    day = timezone.localdate() - dt.timedelta(days=3)
    stats(w, day)
    pr = project(w, lead=next(iter(_slugs(u))))
    services.project_update(
        project=pr,
        queue=w.queue,
        stat_metric="service_level",
        baseline_from=day,
        baseline_to=day,
        actor=u,
    )
    return [pr.pk]


def my_project_at(step):
    def build(w, u):
        pr = ImprovementProject.objects.get(pk=my_ready_project(w, u)[0])
        services.project_advance(project=pr, actor=u)
        pr.refresh_from_db()
        if step >= 3:
            services.project_update(project=pr, cause_analysis="Causes", actor=u)
            services.evidence_add_record(
                project=pr,
                kind="other",
                content_type="core.site",
                object_id=w.site.pk,
                note="N",
                actor=u,
            )
            services.project_advance(project=pr, actor=u)
        return [pr.pk]

    return build


class TestProcessesPermissions(PermissionMatrix):
    pages = {
        "processes:process_list": Check(ALL_ROLES),
        "processes:process_detail": Check(ALL_ROLES, args=a_process),
        "processes:process_add": Check(SUPERVISORS),
        "processes:process_edit": Check(SUPERVISORS, args=a_process),
        "processes:process_archive": Check(SUPERVISORS, args=a_process),
        "processes:processversion_add": Check(AUTHORS, args=my_process),
        "processes:processversion_detail": Check(
            ALL_ROLES, args=lambda w, u: [process(w).versions.get().pk]
        ),
        "processes:processversion_edit": Check(AUTHORS, args=draft_of_mine),
        "processes:processversion_submit": Check(
            AUTHORS, args=draft_of_mine, method="post", ok=(302,)
        ),
        "processes:processversion_review": Check(
            REVIEW_ALLOWED,
            args=version_in_review,
            method="post",
            data=lambda w, u: {"approve": "true"},
            ok=(302,),
        ),
        "processes:improvementproject_board": Check(ALL_ROLES),
        "processes:improvementproject_list": Check(ALL_ROLES),
        "processes:improvementproject_add": Check(PROJECT_STAFF),
        "processes:improvementproject_detail": Check(ALL_ROLES, args=my_project),
        "processes:improvementproject_archive": Check(SUPERVISORS, args=my_project),
        "processes:improvementproject_step": Check(
            ALL_ROLES,
            args=my_project,
            method="post",
            data=lambda w, u: {"title": "Renamed", "problem": "P", "higher_is_better": "on"},
            ok=(302,),
        ),
        "processes:improvementproject_measure": Check(
            ALL_ROLES,
            args=my_measurable_project,
            method="post",
            data=lambda w, u: {"which": "baseline"},
            ok=(302,),
        ),
        "processes:evidence_add": Check(
            ALL_ROLES,
            args=my_project,
            method="post",
            data=lambda w, u: {"kind": "other", "content_type": "", "object_id": "1", "note": "N"},
            ok=(302,),
        ),
        "processes:evidence_add_statistics": Check(
            ALL_ROLES,
            args=my_project,
            method="post",
            data=lambda w, u: {
                "queue": w.queue.pk,
                "period_from": "2026-01-01",
                "period_to": "2026-01-02",
                "note": "N",
            },
            ok=(302,),
        ),
        "processes:countermeasure_add": Check(
            ALL_ROLES,
            args=my_project_at(3),
            method="post",
            data=lambda w, u: {"cause": "C"},
            ok=(302,),
        ),
        "processes:standardisation_add": Check(
            ALL_ROLES,
            args=my_project,
            method="post",
            data=lambda w, u: {"kind": "article"},
            ok=(302,),
        ),
        "processes:standardisation_add_version": Check(
            ALL_ROLES, args=my_project, method="post", data=lambda w, u: {}, ok=(302,)
        ),
        "processes:improvementproject_advance": Check(
            ALL_ROLES, args=my_ready_project, method="post", ok=(302,)
        ),
        "processes:improvementproject_cancel": Check(
            ALL_ROLES,
            args=my_project,
            method="post",
            data=lambda w, u: {"note": "No effect"},
            ok=(302,),
        ),
    }
    api = {
        "processes_process_list": Check(ALL_ROLES),
        "processes_process_get": Check(ALL_ROLES, args=a_process),
        "processes_process_create": Check(
            SUPERVISORS,
            method="post",
            data=lambda w, u: {
                "code": f"X{u.pk if u else 0}",
                "name": "N",
                "category": "web",
                "owner": employee_of(w, u or w.users["agent"]).pk,
                "description": "D",
                "effective_from": "2026-12-01",
            },
            ok=(201,),
        ),
        "processes_process_update": Check(
            SUPERVISORS, args=a_process, method="patch", data=lambda w, u: {"name": "N2"}
        ),
        "processes_process_archive": Check(SUPERVISORS, args=a_process, method="post"),
        "processes_processversion_list": Check(ALL_ROLES),
        "processes_processversion_get": Check(
            ALL_ROLES, args=lambda w, u: [process(w).versions.get().pk]
        ),
        "processes_processversion_create": Check(
            AUTHORS,
            method="post",
            data=lambda w, u: {
                "process": approve_first(w, process(w, owner=next(iter(_slugs(u))))).process_id,
                "description": "D2",
                "change_summary": "C",
                "effective_from": "2026-12-01",
            },
            ok=(201,),
        ),
        "processes_processversion_update": Check(
            AUTHORS, args=draft_of_mine, method="patch", data=lambda w, u: {"change_summary": "C2"}
        ),
        "processes_processversion_submit": Check(AUTHORS, args=draft_of_mine, method="post"),
        "processes_processversion_review": Check(
            REVIEW_ALLOWED,
            args=version_in_review,
            method="post",
            data=lambda w, u: {"approve": True},
        ),
        "processes_improvementproject_list": Check(ALL_ROLES),
        "processes_improvementproject_get": Check(ALL_ROLES, args=my_project),
        "processes_improvementproject_create": Check(
            PROJECT_STAFF,
            method="post",
            data=lambda w, u: {
                "process": process(w).pk,
                "title": "T",
                "lead": employee_of(w, u or w.users["agent"]).pk,
            },
            ok=(201,),
        ),
        "processes_improvementproject_update": Check(
            PROJECT_STAFF, args=my_project, method="patch", data=lambda w, u: {"goal": "G"}
        ),
        "processes_improvementproject_archive": Check(SUPERVISORS, args=my_project, method="post"),
        "processes_improvementproject_measure": Check(
            ALL_ROLES,
            args=my_measurable_project,
            method="post",
            data=lambda w, u: {"which": "baseline"},
        ),
        "processes_evidence_create": Check(
            ALL_ROLES,
            args=my_project,
            method="post",
            data=lambda w, u: {
                "kind": "other",
                "content_type": "core.site",
                "object_id": w.site.pk,
                "note": "N",
            },
            ok=(201,),
        ),
        "processes_evidence_create_statistics": Check(
            ALL_ROLES,
            args=my_measurable_project,
            method="post",
            data=lambda w, u: {
                "queue": w.queue.pk,
                "period_from": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
                "period_to": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
                "note": "N",
            },
            ok=(201,),
        ),
        "processes_countermeasure_create": Check(
            ALL_ROLES,
            args=my_project_at(3),
            method="post",
            data=lambda w, u: {
                "cause": "C",
                "meeting": _meeting(w).pk,
                "title": "Do it",
                "owner": employee_of(w, u or w.users["agent"]).pk,
                "due_date": "2026-12-31",
            },
            ok=(201,),
        ),
        "processes_standardisation_create": Check(
            ALL_ROLES,
            args=my_project,
            method="post",
            data=lambda w, u: {"kind": "article"},
            ok=(422,),
        ),
        "processes_improvementproject_advance": Check(
            ALL_ROLES, args=my_ready_project, method="post", data=lambda w, u: {"step": 1}
        ),
        "processes_improvementproject_cancel": Check(
            ALL_ROLES, args=my_project, method="post", data=lambda w, u: {"note": "No effect"}
        ),
    }


def _meeting(w):
    from tests.meetings.helpers import meeting

    return meeting(w, attendees=list(w.employees.values()))


class TestProjectsOwnRows(OwnRowsTests):
    model = ImprovementProject
    list_url = "processes:improvementproject_list"
    detail_url = "processes:improvementproject_detail"
    api_list = "processes_improvementproject_list"

    def own(self, w):
        return project(w)  # the agent is in the team

    def others(self, w):
        pr = project(w, lead="quality_supervisor")
        services.project_update(project=pr, members=[], actor=w.users["quality_supervisor"])
        return pr
