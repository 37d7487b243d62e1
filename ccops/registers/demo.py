"""Sample registers for ``ccops demo``: visitors (one on site for hours, one expected, a
walk-in at the door, one who left), the machine room with its access list, log and last
month's signed review, disclosure requests in every state (with a scanned notice), confidential
documents with a signed custody handover and an open one, a leak report being handled, and
the rest room with its cleaning rota. Texts people read are bilingual (中文 English), as the
demo's holiday names are. Idempotent: nothing is added when the site has visits."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ccops.core import audit
from ccops.core.demotext import bi
from ccops.core.models import Site
from ccops.people.models import Employee
from ccops.registers.models import CleaningDuty, RestrictedArea, RestRoom, Visit
from ccops.registers.services import areas, custody, disclosure, restroom, visitors

#: A one-page PDF (the scanned notice of the demo): "Notice of assistance" as text.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 62>>stream\n"
    b"BT /F1 18 Tf 72 760 Td (Notice of assistance - demo scan) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _shift(model, pk, **fields):
    """Move the times of a demo row into the past (the services record 'now')."""
    with audit.acting_as(None, via=audit.VIA_SYSTEM), audit.action("demo_backdate"):
        model.objects.filter(pk=pk).update(**fields)


@transaction.atomic
def build_demo_registers(*, site: Site, today: dt.date) -> int:
    """Add the sample registers to ``site``; returns the registers filled (0 if done)."""
    if Visit.all_objects.filter(site=site).exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.all()}
    people = {e.user.username: e for e in Employee.objects.filter(user__isnull=False, site=site)}
    now = timezone.now()
    gs, ops, director = (
        users["general_supervisor"],
        users["operations_supervisor"],
        users["center_director"],
    )
    gm = users["group_manager"]

    # --- visitors -------------------------------------------------------------------------
    vendor = visitors.visit_announce(
        site=site,
        visitor_name=bi("王磊 Wang Lei"),
        organisation=bi("华信通信 Huaxin Telecom"),
        visitor_phone="139 1234 5678",
        host=people["operations_supervisor"],
        reason=bi("录音服务器维护 Maintenance of the call-recording server"),
        expected_at=now - dt.timedelta(minutes=30),
        expected_until=now + dt.timedelta(hours=1),
        actor=ops,
    )
    visitors.visit_decide(
        visit=vendor, approve=True, note=bi("已预约 Booked maintenance"), actor=gs
    )
    vendor = visitors.visit_check_in(
        visit=vendor,
        badge_number="V-07",
        escort=people["group_manager"],
        id_document=bi("身份证 ID ****1234"),
        actor=gm,
    )
    _shift(
        Visit,
        vendor.pk,
        arrived_at=now - dt.timedelta(hours=5),
        expected_until=now - dt.timedelta(hours=1),
    )
    auditor = visitors.visit_announce(
        site=site,
        visitor_name=bi("陈静 Chen Jing"),
        organisation=bi("总行审计部 Head-office audit"),
        host=people["general_supervisor"],
        reason=bi("季度合规检查 Quarterly compliance review of the registers"),
        expected_at=now + dt.timedelta(hours=3),
        expected_until=now + dt.timedelta(hours=6),
        party_size=2,
        actor=gs,
    )
    visitors.visit_decide(
        visit=auditor, approve=True, note=bi("审计计划内 In the audit plan"), actor=director
    )
    visitors.visit_register_walk_in(
        site=site,
        visitor_name=bi("刘洋 Liu Yang"),
        organisation=bi("顺达快递 Shunda Express"),
        host=people["general_supervisor"],
        reason=bi("送交设备 Delivery of headsets"),
        actor=gm,
    )
    trainee = visitors.visit_announce(
        site=site,
        visitor_name=bi("赵敏 Zhao Min"),
        organisation=bi("分行客服中心 Branch service centre"),
        host=people["trainer"],
        reason=bi("交流学习 Study visit of the training programme"),
        expected_at=now,
        actor=users["trainer"],
    )
    visitors.visit_decide(
        visit=trainee, approve=True, note=bi("培训交流 Training exchange"), actor=ops
    )
    visitors.visit_check_in(visit=trainee, badge_number="V-02", escort=people["trainer"], actor=gm)
    visitors.visit_check_out(
        visit=trainee, handling=bi("参观结束，证件已收回 Visit completed, badge returned"), actor=gm
    )
    _shift(
        Visit,
        trainee.pk,
        expected_at=now - dt.timedelta(days=1, hours=3),
        arrived_at=now - dt.timedelta(days=1, hours=3),
        left_at=now - dt.timedelta(days=1, hours=1),
    )

    # --- restricted areas -----------------------------------------------------------------
    with audit.acting_as(gs, via=audit.VIA_CLI):
        machine_room = RestrictedArea.objects.create(
            site=site,
            code="MR-1",
            name=bi("机房 Machine room"),
            kind="machine_room",
            location=bi("B1 东侧 B1 east"),
            rules=bi(
                "禁止饮食；访客须由授权人员陪同 No food or drink; "
                "visitors only with an authorised escort"
            ),
        )
        RestrictedArea.objects.create(
            site=site,
            code="NET-2",
            name=bi("网络间 Network room"),
            kind="network_room",
            location="3F 302",
        )
    start = today - dt.timedelta(days=90)
    for slug, reason in (
        ("operations_supervisor", bi("值班工程联络 Duty contact for the engineers")),
        ("group_manager", bi("值班长巡检 Duty-lead inspections")),
    ):
        areas.area_authorize(
            area=machine_room, employee=people[slug], valid_from=start, reason=reason, actor=gs
        )
    done = areas.area_entry_record(
        area=machine_room,
        employee=people["group_manager"],
        purpose=bi("每日巡检 Daily inspection"),
        actor=gm,
    )
    areas.area_exit_record(access=done, actor=gm)
    areas.area_entry_record(
        area=machine_room,
        visit=vendor,
        escort=people["group_manager"],
        purpose=bi("录音服务器维护 Server maintenance"),
        approval_note=bi("已预约的维护，全程陪同 Booked maintenance, escorted throughout"),
        actor=ops,
    )
    areas.area_entry_record(
        area=machine_room,
        employee=people["trainer"],
        purpose=bi("取投影仪 Fetch the projector"),
        actor=gm,
    )
    review = areas.area_review_open(area=machine_room, month=areas.last_month(today), actor=ops)
    areas.area_review_sign(
        review=review,
        findings=(
            bi(
                "授权名单与岗位一致；无异常进出 "
                "The access list matches the roles; no irregular entry."
            )
        ),
        actions=bi("下月复核网络间名单 Review the network-room list next month"),
        actor=ops,
    )

    # --- customer-data disclosure -----------------------------------------------------------
    def scan(name):
        return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")

    base = {
        "site": site,
        "requester_contact": "021-6888 0110",
        "customer_reference": "C-0018842",
        "actor": ops,
    }
    fulfilled = disclosure.disclosure_receive(
        **base,
        received_at=now - dt.timedelta(days=12),
        requester_name=bi("李警官 Officer Li"),
        requester_organisation=bi("浦东公安分局 Pudong public-security bureau"),
        requester_id_number="警号 31-0042",
        basis="legal_document",
        authority_type="public_security",
        document_type=bi("协助调查通知书 Notice of assistance in an investigation"),
        document_number="沪公(浦)调证字[2026]118号",
        issuing_authority=bi("上海市公安局浦东分局 Pudong branch, Shanghai PSB"),
        records_requested=bi("2026年3月通话记录 Call records of March 2026"),
    )
    disclosure.disclosure_document_upload(
        request=fulfilled, kind="legal_document", upload=scan("notice-118.pdf"), actor=ops
    )
    disclosure.disclosure_verify(
        request=fulfilled,
        callback_number="021-2852 0000",
        callback_source=bi("公安局总机（官方名录）PSB switchboard, official directory"),
        callback_contact=bi("值班民警张 Duty officer Zhang"),
        actor=ops,
    )
    disclosure.disclosure_decide(
        request=fulfilled,
        approve=True,
        note=bi("文书有效，已回电核实 Valid notice, confirmed by call back"),
        actor=gs,
    )
    disclosure.disclosure_release_record(
        request=fulfilled,
        record_type=bi("通话详单 Call detail records"),
        record_reference="C-0018842，2026-03-01 至 2026-03-31",
        fields_released=bi("日期、时间、时长、主叫号码 date, time, duration, calling number"),
        recipient_name=bi("李警官 Officer Li"),
        recipient_organisation=bi("浦东公安分局 Pudong public-security bureau"),
        channel="sealed_letter",
        actor=ops,
    )
    disclosure.disclosure_fulfil(request=fulfilled, actor=ops)
    disclosure.disclosure_document_upload(
        request=fulfilled, kind="receipt", upload=scan("receipt-118.pdf"), actor=ops
    )
    disclosure.disclosure_close(request=fulfilled, note=bi("回执已归档 Receipt filed"), actor=ops)

    court = disclosure.disclosure_receive(
        **{**base, "customer_reference": "C-0020517"},
        requester_name=bi("周法官 Judge Zhou"),
        requester_organisation=bi("浦东新区人民法院 Pudong People's Court"),
        basis="legal_document",
        authority_type="court",
        document_type=bi("调查令 Investigation order"),
        document_number="(2026)沪0115民初4471号",
        issuing_authority=bi("上海市浦东新区人民法院 Pudong People's Court"),
        records_requested=bi("客户投诉录音 Recordings of the customer's complaint calls"),
    )
    disclosure.disclosure_document_upload(
        request=court, kind="legal_document", upload=scan("order-4471.pdf"), actor=ops
    )
    disclosure.disclosure_verify(
        request=court,
        callback_number="021-5870 0000",
        callback_source=bi("法院官网公布的总机 Court switchboard on its official site"),
        callback_contact=bi("书记员王 Clerk Wang"),
        actor=ops,
    )
    disclosure.disclosure_receive(
        **{**base, "customer_reference": "C-0009031", "requester_contact": "138 0013 8000"},
        requester_name=bi("孙先生 Mr Sun"),
        requester_organisation=bi("客户家属 Customer's family"),
        basis="special_case",
        special_reason=(
            "客户已故，遗嘱执行人申请服务合同 The customer died; the "
            "executor asks for the service contract"
        ),
        records_requested=bi("服务合同及签约记录 Service contract and its signing record"),
    )
    refused = disclosure.disclosure_receive(
        **{**base, "customer_reference": "C-0031177"},
        received_at=now - dt.timedelta(days=20),
        requester_name=bi("吴某 Mr Wu"),
        requester_organisation=bi("自称检察院 Says: procuratorate"),
        basis="legal_document",
        authority_type="procuratorate",
        document_type=bi("调取证据通知书 Notice to produce evidence"),
        document_number="某检调证字[2026]9号",
        issuing_authority=bi("某区人民检察院 A district procuratorate"),
        records_requested=bi("全部账户资料 All account data"),
    )
    disclosure.disclosure_decide(
        request=refused,
        approve=False,
        note=bi("回电核实该文号不存在 Call back: the document number does not exist"),
        actor=director,
    )
    disclosure.disclosure_close(
        request=refused, note=bi("已报告安全部门 Reported to security"), actor=ops
    )

    # --- confidential documents ---------------------------------------------------------------
    docs = [
        (
            "TM-001",
            bi("ACD 与录音系统网络拓扑 Network diagram of the ACD and recording"),
            "technical",
            "secret",
            1,
            "group_manager",
            bi("机房资料柜 Machine-room cabinet"),
        ),
        (
            "WM-014",
            bi("应急预案（2026版）Emergency playbook 2026"),
            "work",
            "confidential",
            3,
            "group_manager",
            bi("值班室 Duty office"),
        ),
        (
            "SM-102",
            bi("月度服务质量统计 Monthly service-quality statistics"),
            "statistical",
            "internal",
            2,
            "statistician",
            bi("统计室 Statistics office"),
        ),
        (
            "WM-020",
            bi("新员工培训题库 Training question bank"),
            "work",
            "confidential",
            2,
            "trainer",
            bi("培训室 Training room"),
        ),
    ]
    made = {}
    for reference, title, category, level, copies, keeper, location in docs:
        made[reference] = custody.document_register(
            site=site,
            keeper=people[keeper],
            reference=reference,
            title=title,
            category=category,
            classification=level,
            copies=copies,
            scope_of_use=bi(
                "仅限本中心授权人员在指定地点使用 Authorised staff "
                "of the center, on the premises only"
            ),
            location=location,
            check_interval_days=90,
            actor=gs,
        )
    custody.document_check_record(document=made["SM-102"], copies_found=2, actor=gs)
    handover = custody.custody_handover_open(
        site=site,
        from_keeper=people["group_manager"],
        to_keeper=people["area_manager"],
        handover_at=now - dt.timedelta(days=2),
        documents=[made["TM-001"], made["WM-014"]],
        notes=bi("值班长轮换 Rotation of the duty lead"),
        actor=gm,
    )
    for item in handover.items.all():
        if item.copies_expected == 3:
            custody.custody_item_count(
                item=item,
                copies_counted=2,
                note=bi("第3份在演练中使用 Copy 3 in use for the drill"),
                actor=gm,
            )
        else:
            custody.custody_item_count(item=item, copies_counted=item.copies_expected, actor=gm)
    custody.custody_handover_sign(handover=handover, side="outgoing", actor=gm)
    custody.custody_handover_sign(handover=handover, side="incoming", actor=users["area_manager"])
    custody.custody_handover_open(
        site=site,
        from_keeper=people["trainer"],
        to_keeper=people["quality_supervisor"],
        handover_at=now + dt.timedelta(days=1),
        notes=bi("培训师休假 The trainer goes on leave"),
        actor=users["trainer"],
    )
    leak = custody.leak_report_file(
        site=site,
        kind="taken_out",
        occurred_at=now - dt.timedelta(days=1, hours=4),
        document=made["WM-020"],
        description=(
            bi("题库复印件在休息室被发现 A copy of the question bank was found in the rest room")
        ),
        people_involved=[people["agent"]],
        actor=users["agent"],
    )
    custody.leak_report_handle(
        report=leak,
        handling=(
            bi(
                "已收回复印件，约谈相关人员 "
                "Copy recovered; the people involved are being interviewed"
            )
        ),
        actor=gs,
    )

    # --- rest room ------------------------------------------------------------------------------
    with audit.acting_as(gs, via=audit.VIA_CLI):
        room = RestRoom.objects.create(
            site=site,
            name=bi("休息室 Rest room"),
            location=bi("3F 东侧 3F east"),
            capacity=12,
            weekly_cleaning_day=4,
            rules=bi("保持安静，离开时带走私人物品 Keep it quiet; take your things when you leave"),
        )
    agents = list(
        Employee.objects.filter(site=site, team=people["agent"].team, status="active")
        .exclude(pk=people["group_manager"].pk)
        .order_by("employee_number")[:4]
    )
    if people["agent"] not in agents:
        agents = [people["agent"], *agents[:3]]
    restroom.cleaning_rota_generate(
        room=room, start=today - dt.timedelta(days=3), days=17, assignees=agents, actor=gm
    )
    for duty in CleaningDuty.objects.filter(
        room=room, assignee=people["agent"], due_date__lte=today - dt.timedelta(days=1)
    ):
        restroom.cleaning_duty_sign_off(duty=duty, note=bi("已完成 Done"), actor=users["agent"])
    return 5
