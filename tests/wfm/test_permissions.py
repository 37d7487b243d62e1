"""Permission matrix of every wfm page and API operation, and own-row scopes."""

from __future__ import annotations

from datetime import date, timedelta

from ccops.core.roles import ALL_ROLES, MANAGERS
from ccops.core.testing import Check, OwnRowsTests, PermissionMatrix
from ccops.wfm.models import ScheduledShift, ShiftSwapRequest, TimeOffRequest
from tests.wfm import fixtures as fx
from tests.wfm.helpers import TEMPLATES_YAML, local, next_monday

APPROVERS = MANAGERS | {"operations_supervisor", "center_director"}
PLANNERS = {"statistician", "operations_supervisor"}
OVERSEERS = {
    "center_director",
    "operations_supervisor",
    "quality_supervisor",
    "general_supervisor",
    "statistician",
    "area_manager",
    "group_manager",
}


def pk(builder):
    return lambda w, u: [builder(w, u).pk]


def time_off_payload(w, u):
    start = local(w.site, next_monday() + timedelta(days=7 * fx._next_week(w)), 9)
    return {
        "start": start.isoformat(),
        "end": (start + timedelta(hours=4)).isoformat(),
        "kind": "annual",
        "reason": "family",
    }


def swap_payload(w, u):
    mine, theirs = fx.fresh_week(w, [w.employees["agent"], w.other_employee])
    return {"shift": mine.pk, "colleague": w.other_employee.pk, "colleague_shift": theirs.pk}


class TestSelfServicePermissions(PermissionMatrix):
    pages = {
        "wfm:my_schedule": Check(ALL_ROLES),
        "wfm:calendar_feed_create": Check(ALL_ROLES, method="post", ok=(302,)),
        "wfm:calendar_feed_revoke": Check(ALL_ROLES, method="post", ok=(302,)),
        "wfm:calendar_feed": Check(
            ALL_ROLES, args=lambda w, u: [fx.feed_token(w, u)], public=True, anonymous=(200,)
        ),
        "wfm:scheduledshift_list": Check(ALL_ROLES),
        "wfm:scheduledshift_detail": Check(ALL_ROLES, args=pk(fx.agent_shift)),
        "wfm:timeoffrequest_list": Check(ALL_ROLES),
        "wfm:timeoffrequest_detail": Check(ALL_ROLES, args=pk(fx.cached_time_off)),
        "wfm:timeoffrequest_add": Check(ALL_ROLES),
        "wfm:timeoffrequest_approve": Check(
            APPROVERS, args=pk(fx.agent_time_off), method="post", ok=(302,)
        ),
        "wfm:timeoffrequest_reject": Check(
            APPROVERS, args=pk(fx.agent_time_off), method="post", ok=(302,)
        ),
        "wfm:timeoffrequest_cancel": Check(
            ALL_ROLES, args=pk(fx.cached_time_off), method="post", ok=(302,)
        ),
        "wfm:team_calendar": Check(ALL_ROLES),
        "wfm:leave_balances": Check(ALL_ROLES),
        "wfm:leave_carry_over": Check(
            {"center_director", "general_supervisor", "operations_supervisor"},
            method="post",
            ok=(302, 404),
        ),
        "wfm:shiftswaprequest_list": Check(ALL_ROLES),
        "wfm:shiftswaprequest_detail": Check(ALL_ROLES, args=pk(fx.cached_swap)),
        "wfm:shiftswaprequest_add": Check(ALL_ROLES),
        "wfm:shiftswaprequest_accept": Check(
            ALL_ROLES, args=pk(fx.cached_swap), method="post", ok=(302,)
        ),
        "wfm:shiftswaprequest_approve": Check(
            APPROVERS,
            args=pk(lambda w, u: fx.agent_swap(w, u, accepted=True)),
            method="post",
            ok=(302,),
        ),
        "wfm:shiftswaprequest_reject": Check(
            ALL_ROLES, args=pk(fx.cached_swap), method="post", ok=(302,)
        ),
        "wfm:shiftswaprequest_cancel": Check(
            ALL_ROLES, args=pk(fx.cached_swap), method="post", ok=(302,)
        ),
    }
    api = {
        "wfm_scheduledshift_list": Check(ALL_ROLES),
        "wfm_scheduledshift_get": Check(ALL_ROLES, args=pk(fx.agent_shift)),
        "wfm_my_shifts": Check(ALL_ROLES),
        "wfm_timeoffrequest_list": Check(ALL_ROLES),
        "wfm_timeoffrequest_get": Check(ALL_ROLES, args=pk(fx.cached_time_off)),
        "wfm_timeoffrequest_create": Check(
            ALL_ROLES, method="post", data=time_off_payload, ok=(201,)
        ),
        "wfm_timeoffrequest_approve": Check(APPROVERS, args=pk(fx.agent_time_off), method="post"),
        "wfm_timeoffrequest_reject": Check(APPROVERS, args=pk(fx.agent_time_off), method="post"),
        "wfm_timeoffrequest_cancel": Check({"agent"}, args=pk(fx.agent_time_off), method="post"),
        "wfm_timeoffrequest_impact": Check(APPROVERS, args=pk(fx.cached_time_off)),
        "wfm_leave_balances": Check(ALL_ROLES),
        "wfm_team_calendar": Check(ALL_ROLES),
        "wfm_shiftswaprequest_list": Check(ALL_ROLES),
        "wfm_shiftswaprequest_get": Check(ALL_ROLES, args=pk(fx.cached_swap)),
        "wfm_shiftswaprequest_create": Check(
            {"agent"}, method="post", data=swap_payload, ok=(201,)
        ),
        "wfm_shiftswaprequest_accept": Check(ALL_ROLES, args=pk(fx.swap_to_user), method="post"),
        "wfm_shiftswaprequest_approve": Check(
            APPROVERS, args=pk(lambda w, u: fx.agent_swap(w, u, accepted=True)), method="post"
        ),
        "wfm_shiftswaprequest_reject": Check(
            APPROVERS, args=pk(lambda w, u: fx.agent_swap(w, u, accepted=True)), method="post"
        ),
        "wfm_shiftswaprequest_cancel": Check({"agent"}, args=pk(fx.agent_swap), method="post"),
    }


class TestShiftsOwnRows(OwnRowsTests):
    model = ScheduledShift
    list_url = "wfm:scheduledshift_list"
    detail_url = "wfm:scheduledshift_detail"
    api_list = "wfm_scheduledshift_list"

    def own(self, w):
        return fx.agent_shift(w)

    def others(self, w):
        (shift,) = fx.fresh_week(w, [w.other_employee])
        return shift


class TestTimeOffOwnRows(OwnRowsTests):
    model = TimeOffRequest
    list_url = "wfm:timeoffrequest_list"
    detail_url = "wfm:timeoffrequest_detail"
    api_list = "wfm_timeoffrequest_list"

    def own(self, w):
        return fx.cached_time_off(w)

    def others(self, w):
        start = local(w.site, next_monday() + timedelta(days=3), 9)
        from ccops.wfm import services

        return services.time_off_request(
            employee=w.other_employee,
            start=start,
            end=start + timedelta(hours=2),
            kind="sick",
            actor=w.other_agent,
        )


class TestSwapsOwnRows(OwnRowsTests):
    model = ShiftSwapRequest
    list_url = "wfm:shiftswaprequest_list"
    detail_url = "wfm:shiftswaprequest_detail"
    api_list = "wfm_shiftswaprequest_list"

    def own(self, w):
        return fx.cached_swap(w)

    def others(self, w):
        # Between the other agent and the area manager: the agent is no participant.
        from ccops.people.models import EmployeeSkill
        from ccops.wfm import services

        (theirs,) = fx.fresh_week(w, [w.other_employee])
        EmployeeSkill.objects.create(employee=w.employees["trainer"], skill=w.skill, level=1)
        return services.shift_swap_request(
            shift=theirs, colleague=w.employees["trainer"], actor=w.other_agent
        )


def plan_pk(w, u):
    from tests.wfm.helpers import make_plan

    if not hasattr(w, "plan"):
        w.plan = make_plan(w)
    return [w.plan.pk]


def fresh_plan(w, u):
    from tests.wfm.helpers import make_plan

    return [make_plan(w, name=f"Plan {fx._next_week(w)}").pk]


class TestPlanningPermissions(PermissionMatrix):
    pages = {
        "wfm:staffingplan_list": Check(OVERSEERS),
        "wfm:staffingplan_detail": Check(OVERSEERS, args=plan_pk),
        "wfm:staffingplan_whatif": Check(OVERSEERS, args=plan_pk),
        "wfm:staffingplan_add": Check(PLANNERS),
        "wfm:staffingplan_edit": Check(PLANNERS, args=plan_pk),
        "wfm:staffingplan_archive": Check(PLANNERS, args=plan_pk),
    }
    api = {
        "wfm_staffingplan_list": Check(OVERSEERS),
        "wfm_staffingplan_get": Check(OVERSEERS, args=plan_pk),
        "wfm_staffingplan_requirement": Check(
            OVERSEERS, args=plan_pk, data=lambda w, u: {"day": "2026-03-02"}
        ),
        "wfm_staffingplan_create": Check(
            PLANNERS,
            method="post",
            data=lambda w, u: {"name": f"API plan {fx._next_week(w)}", "queue": w.queue.pk},
            ok=(201,),
        ),
        "wfm_staffingplan_update": Check(
            PLANNERS, args=fresh_plan, method="patch", data=lambda w, u: {"shrinkage_percent": 25}
        ),
        "wfm_staffingplan_archive": Check(PLANNERS, args=fresh_plan, method="post"),
    }


def import_pk(w, u):
    if not hasattr(w, "batch"):
        from ccops.wfm.services import imports

        w.batch = imports.import_create(
            site=w.site,
            preset="ccops-calls",
            filename="c.csv",
            content=b"x",
            actor=w.users["statistician"],
        )
    return [w.batch.pk]


def stat_pk(w, u):
    from ccops.wfm.models import IntervalStat
    from tests.wfm.helpers import add_history

    if not IntervalStat.objects.filter(queue=w.queue).exists():
        add_history(w, date(2026, 3, 2), weeks=1)
    return [IntervalStat.objects.filter(queue=w.queue).first().pk]


class TestImportPermissions(PermissionMatrix):
    pages = {
        "wfm:importbatch_list": Check(OVERSEERS),
        "wfm:importbatch_detail": Check(OVERSEERS, args=import_pk),
        "wfm:importbatch_add": Check(PLANNERS),
        # The matrix's import is queued, not awaiting confirmation: back to its page.
        "wfm:importbatch_confirm": Check(PLANNERS, args=import_pk, method="post", ok=(302,)),
        # It replaced nothing: allowed roles get past the permission check to the 404.
        "wfm:importbatch_superseded": Check(OVERSEERS, args=import_pk, ok=(404,)),
        # nor any call records: the same
        "wfm:importbatch_replaced_calls": Check(OVERSEERS, args=import_pk, ok=(404,)),
    }
    api = {
        "wfm_importbatch_list": Check(OVERSEERS),
        "wfm_importbatch_get": Check(OVERSEERS, args=import_pk),
        # The matrix client posts JSON: allowed roles get past the permission check to the
        # "send the file as multipart" answer; real uploads are tested in test_imports.py.
        "wfm_importbatch_create": Check(PLANNERS, method="post", ok=(422,)),
        "wfm_importbatch_confirm": Check(PLANNERS, args=import_pk, method="post", ok=(409,)),
        "wfm_importbatch_cancel": Check(PLANNERS, args=import_pk, method="post", ok=(409,)),
        "wfm_intervalstat_list": Check(OVERSEERS),
        "wfm_intervalstat_get": Check(OVERSEERS, args=stat_pk),
    }


def forecast_pk(w, u):
    if not hasattr(w, "forecast"):
        from ccops.wfm.services import forecasts

        w.forecast = forecasts.forecast_create(
            queue=w.queue,
            horizon_start=date(2026, 3, 2),
            horizon_days=7,
            actor=w.users["statistician"],
        )
    return [w.forecast.pk]


def ready_pk(w, u):
    if not hasattr(w, "ready_forecast"):
        from tests.wfm.helpers import ready_forecast

        w.ready_forecast = ready_forecast(w, days=1)
    return [w.ready_forecast.pk]


def adjust_data(w, u):
    return {"start": "2026-03-02", "percent": "10", "reason": "campaign"}


def compare_data(w, u):
    pk = ready_pk(w, u)[0]
    return {"a": pk, "b": pk}


class TestForecastPermissions(PermissionMatrix):
    pages = {
        "wfm:forecast_list": Check(OVERSEERS),
        "wfm:forecast_detail": Check(OVERSEERS, args=forecast_pk),
        "wfm:forecast_csv": Check(OVERSEERS, args=forecast_pk),
        "wfm:forecast_add": Check(PLANNERS),
        "wfm:forecast_accuracy": Check(OVERSEERS),
        "wfm:forecast_compare": Check(OVERSEERS, data=compare_data),
        "wfm:forecast_adjust": Check(
            PLANNERS, args=ready_pk, method="post", data=adjust_data, ok=(302,)
        ),
    }
    api = {
        "wfm_forecast_list": Check(OVERSEERS),
        "wfm_forecast_get": Check(OVERSEERS, args=forecast_pk),
        "wfm_forecast_intervals": Check(OVERSEERS, args=forecast_pk),
        "wfm_forecast_chart": Check(OVERSEERS, args=ready_pk),
        "wfm_forecast_compare": Check(OVERSEERS, data=compare_data),
        "wfm_forecast_adjust": Check(
            PLANNERS,
            args=ready_pk,
            method="post",
            data=lambda w, u: {"start": "2026-03-02", "percent": 10, "reason": "campaign"},
            ok=(201,),
        ),
        "wfm_forecast_accuracy": Check(OVERSEERS, data=lambda w, u: {"week": "2026-03-02"}),
        "wfm_forecast_create": Check(
            PLANNERS,
            method="post",
            data=lambda w, u: {"queue": w.queue.pk, "horizon_start": "2026-03-02"},
            ok=(201,),
        ),
    }


def draft_schedule(w, u=None):
    """A new draft week (weeks ahead) with one unassigned shift."""
    from ccops.wfm import services

    week = next_monday() + timedelta(days=7 * fx._next_week(w))
    schedule = services.schedule_create(
        site=w.site, week_start=week, actor=w.users["operations_supervisor"]
    )
    start = local(w.site, week, 9)
    services.shift_add(
        schedule=schedule,
        start=start,
        end=start + timedelta(hours=8),
        actor=w.users["operations_supervisor"],
    )
    return schedule


def cached_draft(w, u=None):
    if not hasattr(w, "draft"):
        w.draft = draft_schedule(w)
    return w.draft


def cached_published(w, u=None):
    """A published week with an agent's shift (feedback, activities on a live schedule)."""
    if not hasattr(w, "published"):
        from ccops.wfm import services

        week = next_monday() + timedelta(days=7 * fx._next_week(w))
        ops = w.users["operations_supervisor"]
        schedule = services.schedule_create(site=w.site, week_start=week, actor=ops)
        start = local(w.site, week, 9)
        services.shift_add(
            schedule=schedule,
            employee=w.employees["agent"],
            start=start,
            end=start + timedelta(hours=8),
            queue_ids=[w.queue.pk],
            actor=ops,
        )
        w.published = services.schedule_publish(schedule=schedule, actor=ops, confirm=True)
    return w.published


def an_activity(w, u=None):
    from ccops.wfm.services import activities

    [placed] = activities.activity_place(
        schedule=cached_published(w),
        employees=[w.employees["agent"]],
        kind="meeting",
        title="Briefing",
        minutes=15,
        actor=w.users["operations_supervisor"],
    )
    return [placed.activity.pk]


def activity_payload(w, u):
    return {
        "kind": "training",
        "title": "Tariffs",
        "minutes": 15,
        "employees": [w.employees["agent"].pk],
    }


def template_set_pk(w, u):
    from tests.wfm.helpers import make_template_set

    if not hasattr(w, "templates"):
        w.templates = make_template_set(w)
    return [w.templates.pk]


def fresh_template_set(w, u):
    from ccops.core.services import record_create
    from ccops.wfm.models import ShiftTemplateSet

    return [
        record_create(
            ShiftTemplateSet,
            data={"site": w.site, "definition": TEMPLATES_YAML, "name": f"T{fx._next_week(w)}"},
            actor=w.users["statistician"],
        ).pk
    ]


def generate_payload(w, u):
    from tests.wfm.helpers import make_plan

    make_plan(w, name=f"P{fx._next_week(w)}")
    return {
        "site": w.site.pk,
        "week_start": str(next_monday()),
        "template_set": template_set_pk(w, u)[0],
    }


def shift_payload(w, u):
    start = local(w.site, cached_draft(w).week_start, 10)
    return {
        "start": start.isoformat(),
        "end": (start + timedelta(hours=4)).isoformat(),
        "queue_ids": [w.queue.pk],
    }


class TestSchedulePermissions(PermissionMatrix):
    pages = {
        "wfm:shifttemplateset_list": Check(OVERSEERS),
        "wfm:shifttemplateset_detail": Check(OVERSEERS, args=template_set_pk),
        "wfm:shifttemplateset_add": Check(PLANNERS),
        "wfm:shifttemplateset_edit": Check(PLANNERS, args=template_set_pk),
        "wfm:shifttemplateset_archive": Check(PLANNERS, args=template_set_pk),
        "wfm:schedule_list": Check(OVERSEERS),
        "wfm:schedule_detail": Check(OVERSEERS, args=pk(cached_draft)),
        "wfm:schedule_generate": Check(PLANNERS),
        "wfm:schedule_publish": Check(
            PLANNERS,
            args=pk(draft_schedule),
            method="post",
            data=lambda w, u: {"confirm": "1"},
            ok=(302,),
        ),
        "wfm:schedule_copy": Check(PLANNERS, args=pk(cached_draft), method="post", ok=(302,)),
        "wfm:schedule_shift_add": Check(PLANNERS, args=pk(cached_draft)),
        "wfm:schedule_export_xlsx": Check(OVERSEERS, args=pk(cached_draft)),
        "wfm:schedule_coverage_csv": Check(OVERSEERS, args=pk(cached_draft)),
        "wfm:scheduledshift_edit": Check(
            PLANNERS, args=lambda w, u: [cached_draft(w).shifts.first().pk]
        ),
        "wfm:scheduledshift_remove": Check(
            PLANNERS,
            args=lambda w, u: [draft_schedule(w).shifts.first().pk],
            method="post",
            ok=(302,),
        ),
        "wfm:schedule_grid": Check(OVERSEERS, args=pk(cached_draft)),
        "wfm:schedule_day": Check(OVERSEERS, args=pk(cached_draft)),
        "wfm:schedule_compare": Check(OVERSEERS, args=pk(cached_published)),
        "wfm:shiftactivity_add": Check(PLANNERS, args=pk(cached_published)),
        "wfm:shiftactivity_remove": Check(PLANNERS, args=an_activity, method="post", ok=(302,)),
        # every employee gives feedback on their site's published schedule (the director and
        # the statistician of the shared world have no employee record: a message, 302)
        "wfm:schedulefeedback_add": Check(
            ALL_ROLES,
            args=pk(cached_published),
            method="post",
            data=lambda w, u: {"rating": "4"},
            ok=(302,),
        ),
    }
    api = {
        "wfm_shifttemplateset_list": Check(OVERSEERS),
        "wfm_shifttemplateset_get": Check(OVERSEERS, args=template_set_pk),
        "wfm_shifttemplateset_create": Check(
            PLANNERS,
            method="post",
            ok=(201,),
            data=lambda w, u: {
                "site": w.site.pk,
                "name": f"N{fx._next_week(w)}",
                "definition": TEMPLATES_YAML,
            },
        ),
        "wfm_shifttemplateset_update": Check(
            PLANNERS,
            args=fresh_template_set,
            method="patch",
            data=lambda w, u: {"description": "Weekdays"},
        ),
        "wfm_shifttemplateset_archive": Check(PLANNERS, args=fresh_template_set, method="post"),
        "wfm_schedule_list": Check(OVERSEERS),
        "wfm_schedule_get": Check(OVERSEERS, args=pk(cached_draft)),
        "wfm_schedule_coverage": Check(OVERSEERS, args=pk(cached_draft)),
        "wfm_schedule_create": Check(PLANNERS, method="post", data=generate_payload, ok=(201,)),
        "wfm_schedule_publish": Check(
            PLANNERS,
            args=pk(draft_schedule),
            method="post",
            data=lambda w, u: {"confirm": True},
        ),
        "wfm_schedule_copy": Check(PLANNERS, args=pk(cached_draft), method="post", ok=(201,)),
        "wfm_schedule_shift_add": Check(
            PLANNERS, args=pk(cached_draft), method="post", data=shift_payload, ok=(201,)
        ),
        "wfm_schedule_shift_check": Check(
            OVERSEERS, args=pk(cached_draft), method="post", data=shift_payload
        ),
        "wfm_scheduledshift_update": Check(
            PLANNERS,
            args=lambda w, u: [cached_draft(w).shifts.first().pk],
            method="patch",
            data=lambda w, u: {"template": "edited"},
        ),
        "wfm_scheduledshift_remove": Check(
            PLANNERS, args=lambda w, u: [draft_schedule(w).shifts.first().pk], method="post"
        ),
        "wfm_schedule_activities": Check(ALL_ROLES, args=pk(cached_published)),
        "wfm_schedule_activity_place": Check(
            PLANNERS, args=pk(cached_published), method="post", data=activity_payload, ok=(201,)
        ),
        "wfm_shiftactivity_remove": Check(PLANNERS, args=an_activity, method="post"),
        "wfm_schedule_compare": Check(OVERSEERS, args=pk(cached_published)),
        "wfm_schedule_feedback": Check(ALL_ROLES, args=pk(cached_published)),
        "wfm_schedule_feedback_add": Check(
            ALL_ROLES,
            args=pk(cached_published),
            method="post",
            data=lambda w, u: {"comment": "Fine"},
            ok=(201, 422),
        ),
    }


ADJUSTERS = PLANNERS | MANAGERS | {"center_director"}


def adjustment(w, u=None):
    from ccops.wfm.services import intraday

    start = local(w.site, next_monday(), 10)
    return intraday.intraday_adjustment_record(
        site=w.site,
        kind="overtime",
        start=start,
        end=start + timedelta(hours=1),
        heads=1,
        actor=w.users["operations_supervisor"],
    )


def adjustment_payload(w, u):
    start = local(w.site, next_monday(), 10)
    return {
        "site": w.site.pk,
        "kind": "call_in",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=2)).isoformat(),
        "heads": 1,
    }


class TestIntradayPermissions(PermissionMatrix):
    pages = {
        "wfm:intraday": Check(OVERSEERS),
        "wfm:intradayadjustment_list": Check(OVERSEERS),
        "wfm:intradayadjustment_detail": Check(OVERSEERS, args=pk(adjustment)),
        "wfm:intradayadjustment_add": Check(ADJUSTERS),
        "wfm:intradayadjustment_edit": Check(ADJUSTERS, args=pk(adjustment)),
    }
    api = {
        "wfm_intraday": Check(
            OVERSEERS, data=lambda w, u: {"queue": w.queue.pk, "day": str(next_monday())}
        ),
        "wfm_intradayadjustment_list": Check(OVERSEERS),
        "wfm_intradayadjustment_get": Check(OVERSEERS, args=pk(adjustment)),
        "wfm_intradayadjustment_create": Check(
            ADJUSTERS, method="post", data=adjustment_payload, ok=(201,)
        ),
        "wfm_intradayadjustment_update": Check(
            ADJUSTERS, args=pk(adjustment), method="patch", data=lambda w, u: {"note": "ok"}
        ),
        "wfm_intradayadjustment_archive": Check(ADJUSTERS, args=pk(adjustment), method="post"),
    }
