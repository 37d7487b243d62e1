"""The demo center of ``ccops demo``: a site, queues, a period calendar, areas and groups,
about 40 employees with skills, and one login per role.

Queues, agents and the calendar come from the synthetic-center generator
(:mod:`ccops.engine.synthetic`), whose per-call records and interval history are written
to ``<data dir>/demo/`` for the workforce app to import. Everything here is idempotent:
building twice finds the rows of the first run instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from ccops.core import audit
from ccops.core.demotext import center_name, chinese, chinese_name, t
from ccops.core.models import CalendarPeriod, Queue, Site
from ccops.core.roles import ROLES, sync_roles
from ccops.people.models import Employee, EmployeeSkill, Skill, Team

DEMO_PASSWORD = "ccops-demo-2026"
SITE_CODE = "sh"
#: Display names of the demo logins (the roles are translated in the UI); in Chinese
#: characters when the demo is built in Chinese (:data:`ROLE_PEOPLE_ZH`).
ROLE_PEOPLE = {
    "center_director": "Zhang Wei",
    "operations_supervisor": "Li Na",
    "quality_supervisor": "Wang Fang",
    "general_supervisor": "Liu Yang",
    "area_manager": "Chen Jie",
    "group_manager": "Yang Min",
    "qa_inspector": "Zhao Lei",
    "trainer": "Huang Li",
    "editor": "Zhou Tao",
    "statistician": "Wu Xia",
    "agent": "Xu Jing",
}
ROLE_PEOPLE_ZH = {
    "center_director": "张伟",
    "operations_supervisor": "李娜",
    "quality_supervisor": "王芳",
    "general_supervisor": "刘洋",
    "area_manager": "陈杰",
    "group_manager": "杨敏",
    "qa_inspector": "赵磊",
    "trainer": "黄丽",
    "editor": "周涛",
    "statistician": "吴霞",
    "agent": "徐静",
}


def _role_name(slug: str) -> str:
    """The role's name as a job title, in the demo's language."""
    from django.utils import translation

    with translation.override("zh-hans" if chinese() else "en"):
        return str(ROLES[slug].name)


KIND_MAP = {
    "billing_period": "billing_period",
    "holiday": "holiday",
    "campaign": "campaign",
    "emergency": "emergency",
    "outage": "outage",
}
AGENTS_PER_QUEUE = (14, 10, 7, 5)
#: Factor on the synthetic center's call volume. The synthetic templates are sized for a
#: center of a few hundred agents; the demo has about 40, so its queues get this share of
#: the volume, chosen (by measurement, see ``tests/wfm/test_demo.py``) so that the published
#: demo schedule of the best-staffed queue assigns nearly every shift to a skilled employee.
DEMO_VOLUME_SCALE = 0.25
#: The demo site is in Shanghai: mainland-China public holidays.
DEMO_HOLIDAYS = "china"


@dataclass
class DemoReport:
    site: Site
    queues: list[Queue]
    employees: int
    periods: int
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, username, password
    data_dir: Path | None = None
    calls: int = 0
    #: The synthetic interval history (site local time), for the workforce demo.
    history: object = None
    #: The synthetic per-call records (site local time), for the QA demo.
    call_records: object = None


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _periods_from_days(frame) -> list[tuple[str, str, dt.date, dt.date]]:
    """Merge consecutive days of one (kind, name) into (kind, name, first, last)."""
    merged: list[list] = []
    for row in frame.sort_values(["kind", "name", "date"]).itertuples():
        day = row.date if isinstance(row.date, dt.date) else dt.date.fromisoformat(str(row.date))
        last = merged[-1] if merged else None
        if (
            last
            and last[0] == row.kind
            and last[1] == row.name
            and last[3] + dt.timedelta(1) == day
        ):
            last[3] = day
        else:
            merged.append([row.kind, row.name, day, day])
    return [tuple(m) for m in merged]


def _get_or_create(model, lookup: dict, defaults: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **defaults)
    return obj


@transaction.atomic
def _until(center, today: dt.date):
    """The center's calls and interval history before ``today`` (site-local clock)."""
    from dataclasses import replace

    import numpy as np
    import pandas as pd

    cut = np.datetime64(today.isoformat(), "s")
    calls = center.calls.select(center.calls.arrival < cut)
    history = center.history[pd.to_datetime(center.history["interval_start"]) < pd.Timestamp(today)]
    return replace(center, calls=calls, history=history.reset_index(drop=True))


def build_demo_center(
    *,
    seed: int = 1,
    weeks: int = 8,
    today: dt.date | None = None,
    data_dir=None,
    volume_scale: float = DEMO_VOLUME_SCALE,
) -> DemoReport:
    """Build (or find) the demo center. ``data_dir``: where the synthetic calls and history
    CSV files go (``None``: not written). ``volume_scale``: factor on the synthetic call
    volume (see :data:`DEMO_VOLUME_SCALE`)."""
    import numpy as np

    from ccops.engine.io.calendar import build_calendar
    from ccops.engine.synthetic import generate_center, write_center

    today = today or dt.date.today()
    if not Group.objects.filter(name="agent").exists():
        sync_roles()
    start = _monday(today) - dt.timedelta(weeks=weeks)
    # the weeks before this one and this week up to yesterday: the accuracy and intraday
    # pages have actuals on the first visit
    center = _until(
        generate_center(
            weeks=weeks + 1,
            queues=len(AGENTS_PER_QUEUE),
            seed=seed,
            start=start,
            volume_scale=volume_scale,
            holidays=DEMO_HOLIDAYS,
        ),
        today,
    )
    with audit.acting_as(None, via=audit.VIA_CLI), audit.action("demo_build"):
        site = _get_or_create(
            Site,
            {"code": SITE_CODE},
            {
                "name": t("Shanghai call center", "上海呼叫中心"),
                "time_zone": "Asia/Shanghai",
                "interval_minutes": center.interval_minutes,
                "address": t("1 Century Avenue, Pudong, Shanghai", "上海市浦东新区世纪大道1号"),
            },
        )
        queues, skills = [], {}
        for spec in center.queues:
            code = spec.name.lower()
            queue = _get_or_create(
                Queue,
                {"site": site, "code": code},
                {
                    "name": center_name(spec.name),
                    "service_level_percent": 80,
                    "service_level_seconds": int(center.target_seconds),
                    "description": t(
                        f"About {round(spec.weekday_calls * center.volume_scale)} calls "
                        f"on a weekday, mean handle time {int(spec.aht_seconds)} s.",
                        f"工作日约 {round(spec.weekday_calls * center.volume_scale)} 通电话，"
                        f"平均处理时长 {int(spec.aht_seconds)} 秒。",
                    ),
                },
            )
            queues.append(queue)
            skills[spec.name] = _get_or_create(
                Skill, {"code": code}, {"name": center_name(spec.name), "queue": queue}
            )
        # The calendar: the history's special days and the planned ones ahead.
        ahead = build_calendar(
            _monday(today), 91, np.random.default_rng(seed), holidays=DEMO_HOLIDAYS
        )
        ahead = ahead[ahead["kind"].isin(["holiday", "billing_period", "campaign"])]
        periods = _periods_from_days(center.calendar) + _periods_from_days(ahead)
        for kind, name, first, last in periods:
            _get_or_create(
                CalendarPeriod,
                {
                    "site": site,
                    "kind": KIND_MAP[kind],
                    "name": center_name(name),
                    "start_date": first,
                },
                {"end_date": last},
            )
        # Two areas of two groups each.
        area_a = _get_or_create(
            Team,
            {"site": site, "code": "area-a"},
            {"name": t("Area A (consumer)", "一区（个人业务）"), "kind": "area"},
        )
        area_b = _get_or_create(
            Team,
            {"site": site, "code": "area-b"},
            {"name": t("Area B (specialist)", "二区（专项业务）"), "kind": "area"},
        )
        groups = [
            _get_or_create(
                Team,
                {"site": site, "code": code},
                {"name": name, "kind": "group", "parent": parent},
            )
            for code, name, parent in [
                ("g1", t("Group 1", "一组"), area_a),
                ("g2", t("Group 2", "二组"), area_a),
                ("g3", t("Group 3", "三组"), area_b),
                ("g4", t("Group 4", "四组"), area_b),
            ]
        ]
        # Agents of the synthetic center, a few per queue, spread over the groups.
        by_queue: dict[str, list] = {}
        for agent in center.agents:
            by_queue.setdefault(agent.queue, []).append(agent)
        chosen = []
        for spec, count in zip(center.queues, AGENTS_PER_QUEUE, strict=True):
            chosen += by_queue.get(spec.name, [])[:count]
        hire_base = start - dt.timedelta(days=400)
        employees = []
        for index, agent in enumerate(chosen):
            employee = _get_or_create(
                Employee,
                {"employee_number": agent.agent_id},
                {
                    "full_name": chinese_name(index) if chinese() else agent.name,
                    "site": site,
                    "team": groups[index % len(groups)],
                    "job_title": t("Agent", "座席代表"),
                    # years of service from about one to twenty-two (leave entitlements)
                    "hire_date": hire_base - dt.timedelta(days=(index * 283) % 8000),
                    # every third worked elsewhere first (annual leave counts those years)
                    "work_start_date": (
                        hire_base - dt.timedelta(days=(index * 283) % 8000 + 400 * (index % 9))
                        if index % 3 == 0 and index
                        else None
                    ),
                    "weekly_hours": 40 if index % 5 else 30,
                    "status": "on_leave" if index == 7 else "active",
                    # The ACD login of the synthetic agent; the one on leave lends theirs to
                    # the demo agent's login below, so that "agent" has calls to evaluate.
                    "acd_login": "" if index == 7 else agent.agent_id,
                },
            )
            employees.append(employee)
            _get_or_create(
                EmployeeSkill,
                {"employee": employee, "skill": skills[agent.queue]},
                {"level": 2 + index % 4, "certified_on": hire_base + dt.timedelta(days=30)},
            )
            if index % 3 == 0:  # some agents answer a second queue
                other = skills[center.queues[(index // 3) % len(center.queues)].name]
                if other != skills[agent.queue]:
                    _get_or_create(
                        EmployeeSkill,
                        {"employee": employee, "skill": other},
                        {"level": 2, "certified_on": hire_base + dt.timedelta(days=90)},
                    )
        # One login per role, each with an employee record.
        report = DemoReport(site=site, queues=queues, employees=0, periods=0)
        user_model = get_user_model()
        names = ROLE_PEOPLE_ZH if chinese() else ROLE_PEOPLE
        for number, (slug, full_name) in enumerate(names.items(), 1):
            user = user_model.objects.filter(username=slug).first()
            if user is None:
                user = user_model.objects.create_user(
                    username=slug, password=DEMO_PASSWORD, first_name=full_name
                )
            if not user.groups.filter(name=slug).exists():
                user.groups.add(Group.objects.get(name=slug))
            team = {"agent": groups[0], "group_manager": groups[0], "area_manager": area_a}
            employee = _get_or_create(
                Employee,
                {"employee_number": f"M{number:03d}"},
                {
                    "full_name": full_name,
                    "site": site,
                    "team": team.get(slug),
                    "job_title": _role_name(slug),
                    "user": user,
                    "hire_date": hire_base - dt.timedelta(days=(number * 1300) % 9000),
                    "acd_login": chosen[7].agent_id if slug == "agent" and len(chosen) > 7 else "",
                },
            )
            if slug == "agent":
                _get_or_create(
                    EmployeeSkill,
                    {"employee": employee, "skill": skills[center.queues[0].name]},
                    {"level": 3, "certified_on": hire_base + dt.timedelta(days=30)},
                )
            if slug == "group_manager" and groups[0].leader_id != employee.pk:
                groups[0].leader = employee
                groups[0].save()
            if slug == "area_manager" and area_a.leader_id != employee.pk:
                area_a.leader = employee
                area_a.save()
            report.logins.append((slug, slug, DEMO_PASSWORD))
    report.employees = Employee.objects.filter(site=site).count()
    report.periods = CalendarPeriod.objects.filter(site=site).count()
    report.calls = len(center.calls)
    report.history = center.history
    report.call_records = center.calls
    if data_dir is not None:
        out = Path(data_dir)
        if not (out / "calls.csv").exists():
            write_center(center, out)
        report.data_dir = out
    return report
