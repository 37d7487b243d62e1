"""Sample incidents for ``ccops demo``: the manual's playbooks (seeded by the migrations),
two archived faults (a billing-system fault twelve days ago; a VOIP outage yesterday with
its outage simulated in the interval history, the surge plan after recovery and a call-in
request), and one open incident (the knowledge base, being worked on now). Texts people
read are in the demo's language (``ccops.core.demotext.t``). Idempotent: nothing is added
when the site has incidents."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ccops.core.demotext import t
from ccops.core.models import Queue, Site
from ccops.engine.forecast.surge import retrial_profile
from ccops.incidents import services, surge
from ccops.incidents.models import Incident
from ccops.people.models import Employee
from ccops.wfm.models import IntervalStat


def simulate_outage(
    queue, start: dt.datetime, end: dt.datetime, *, share=0.5, delay_minutes=20.0, hours=4
):
    """Rewrite the interval history of ``queue`` as if it had been down from ``start``
    to ``end``: nothing answered in the window, the callers abandoned; afterwards a share
    of them call back (the retrial model of ``ccops.engine.forecast.surge``). Returns the
    calls lost."""
    minutes = queue.site.interval_minutes or 30
    step = dt.timedelta(minutes=minutes)
    _fill_from_forecast(queue, start - step, end + dt.timedelta(hours=hours))
    rows = IntervalStat.objects.filter(
        queue=queue, interval_start__gt=start - step, interval_start__lt=end
    )
    lost = 0
    for row in rows:
        lost += row.offered
        IntervalStat.objects.filter(pk=row.pk).update(answered=0, abandoned=row.offered)
    after = list(
        IntervalStat.objects.filter(
            queue=queue, interval_start__gte=end, interval_start__lt=end + dt.timedelta(hours=hours)
        ).order_by("interval_start")
    )
    profile = retrial_profile(len(after), minutes, delay_minutes)
    for row, p in zip(after, profile, strict=True):
        extra = round(share * lost * p)
        IntervalStat.objects.filter(pk=row.pk).update(
            offered=row.offered + extra, answered=(row.answered or 0) + extra
        )
    return lost


def _fill_from_forecast(queue, start: dt.datetime, end: dt.datetime) -> None:
    """Intervals of the window without imported history (the demo's history ends last
    week) get the forecast's calls, all answered, as the switch would have counted them."""
    minutes = queue.site.interval_minutes or 30
    starts = surge._grid(start, end, minutes)
    if not starts:
        return
    have = set(
        IntervalStat.objects.filter(queue=queue, interval_start__in=starts).values_list(
            "interval_start", flat=True
        )
    )
    calls, aht = surge._forecast(queue, starts)
    IntervalStat.objects.bulk_create(
        IntervalStat(
            site=queue.site,
            queue=queue,
            interval_start=s,
            interval_minutes=minutes,
            offered=round(c),
            answered=round(c),
            abandoned=0,
            aht_seconds=None if a != a else float(a),
        )
        for s, c, a in zip(starts, calls, aht, strict=True)
        if s not in have and c > 0
    )


def _at(site, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=site.zone)


@transaction.atomic
def build_demo_incidents(*, site: Site, today: dt.date) -> int:
    """Add the sample incidents to ``site``; returns how many (0 if already there)."""
    if Incident.all_objects.filter(site=site).exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.all()}
    ops, gm = users["operations_supervisor"], users["group_manager"]
    people = {e.user.username: e for e in Employee.objects.filter(user__isnull=False, site=site)}
    queues = list(Queue.objects.filter(site=site).order_by("pk"))
    queue = queues[0]
    count = 0

    # 1. A billing-system fault twelve days ago, archived.
    day = today - dt.timedelta(days=12)
    billing = services.incident_declare(
        site=site,
        kind="billing",
        severity="high",
        title=t("Billing system down", "营账系统无法查询"),
        started_at=_at(site, day, 10),
        symptoms=t("Agents cannot open customers' bills.", "座席无法查询账单。"),
        systems=["billing"],
        queues=[queue],
        actor=gm,
    )
    for step in billing.steps.all()[:4]:
        services.incident_step_tick(step=step, actor=gm)
    services.incident_assign(
        incident=billing, role="scribe", employee=people["area_manager"], actor=gm
    )
    simulate_outage(queue, _at(site, day, 10), _at(site, day, 11, 30))
    services.incident_recover(incident=billing, recovered_at=_at(site, day, 11, 30), actor=gm)
    services.fault_record_save(
        incident=billing,
        cause=t("The billing database ran out of disk space.", "营账数据库磁盘写满。"),
        impact=t("Bills could not be opened for 90 minutes.", "90 分钟无法查询账单。"),
        actions_taken=t(
            "IT extended the disk and restarted the service.", "信息技术部扩容并重启服务。"
        ),
        responsible_department=t("IT operations", "信息技术部"),
        agreement=t("IT alerts at 80% disk use.", "磁盘使用率达 80% 时告警。"),
        actor=ops,
    )
    services.incident_follow_up_add(
        incident=billing,
        title=t("Disk alert in production", "磁盘告警上线"),
        owner=people["operations_supervisor"],
        due_date=today + dt.timedelta(days=7),
        actor=ops,
    )
    services.incident_close(incident=billing, actor=ops)
    count += 1

    # 2. A VOIP outage yesterday afternoon: the surge after recovery planned, archived.
    day = today - dt.timedelta(days=1)
    start, end = _at(site, day, 14), _at(site, day, 14, 45)
    voip = services.incident_declare(
        site=site,
        kind="voip",
        severity="critical",
        title=t("VOIP outage", "VOIP 中断"),
        started_at=start,
        symptoms=t("Calls do not reach the agents.", "来电无法接入座席。"),
        systems=["voip"],
        queues=queues,
        actor=ops,
    )
    for step in voip.steps.all()[:5]:
        services.incident_step_tick(step=step, actor=ops)
    services.incident_meeting_request(incident=voip, proposed_at=end, actor=ops)
    for q in queues:  # no call got through to any queue
        simulate_outage(q, start, end, share=0.6, delay_minutes=25)
    services.incident_recover(incident=voip, recovered_at=end, actor=ops)
    for q in queues:
        plan = surge.surge_plan_create(
            incident=voip, queue=q, hours=4, share=0.6, delay_minutes=25, actor=ops
        )
        if surge.call_in_candidates(plan):
            offers = surge.surge_call_in(surge=plan, count=2, actor=ops)
            surge.call_in_respond(
                offer=offers[0], accept=True, actor=offers[0].employee.user or ops
            )
    services.fault_record_save(
        incident=voip,
        cause=t("The carrier's trunk failed.", "运营商中继故障。"),
        impact=t("No call got through for 45 minutes.", "45 分钟来电无法接入。"),
        actions_taken=t("Switched to the backup trunk.", "切换备用中继。"),
        responsible_department=t("Telecom carrier", "电信运营商"),
        agreement=t("The carrier fails over within 5 minutes.", "运营商 5 分钟内自动切换。"),
        actor=ops,
    )
    services.incident_close(incident=voip, actor=ops)
    for ack in voip.acknowledgements.all()[:3]:
        if ack.employee.user_id:
            services.acknowledgement_confirm(ack=ack, actor=ack.employee.user)
    count += 1

    # 3. The knowledge base, down now.
    now = timezone.now().replace(second=0, microsecond=0)
    kb = services.incident_declare(
        site=site,
        kind="knowledge_base",
        severity="medium",
        title=t("Knowledge base search down", "咨询库无法检索"),
        started_at=now - dt.timedelta(minutes=40),
        symptoms=t("Searches return nothing.", "搜索无结果。"),
        systems=["knowledge_base"],
        queues=[queue],
        actor=gm,
    )
    for step in kb.steps.all()[:2]:
        services.incident_step_tick(step=step, actor=gm)
    services.incident_update_add(
        incident=kb,
        text=t("The vendor expects it back in 30 minutes.", "厂商预计 30 分钟恢复。"),
        actor=gm,
    )
    return count + 1
