"""The demo center's knowledge base for ``ccops demo``: a category tree of a retail bank's
products and processes, 34 articles written by the editor and approved by the QA
inspector (one with a new revision in review, one draft, one due for re-verification),
product-name synonyms, departments to escalate to, difficult cases at every step (open
and overdue, escalated to an expert and to a department, answered, merged), an article
linked to the demo handover, and a published service-manual edition. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from ccops.core.demotext import bi
from ccops.core.models import Queue, Site
from ccops.core.services import record_create, record_update
from ccops.knowledge.models import Article, Category, Department, Synonym
from ccops.knowledge.services import articles, cases, manual
from ccops.people.models import Employee
from ccops.shiftops.models import Handover

#: (top-level category, sub-category or None) -> [(title, tags, body)]
ARTICLES: dict[tuple[str, str | None], list[tuple[str, str, str]]] = {
    ("信用卡 Credit cards", "年费与权益"): [
        (
            "信用卡年费减免规则",
            "年费, 减免, 金卡, 白金卡",
            "金卡：首年免年费，当年消费满6笔（不限金额）免次年年费。\n"
            "白金卡：年费1,800元，不能以消费笔数减免；可用8万积分抵扣，或当年消费满20万元免次年年费。\n"
            "客户来电要求减免时：先核实身份，再在系统中查询当年消费笔数和积分余额，按上述规则答复。"
            "不符合条件又坚持的，记录诉求转信用卡中心评估，不要当场承诺。",
        ),
        (
            "积分兑换与有效期",
            "积分, 兑换",
            "消费1元积1分，积分有效期为积分产生当年及之后两个自然年。积分可在手机银行“积分商城”兑换，"
            "兑换后不退不换。快到期的积分会在账单上提示。",
        ),
        (
            "机场贵宾厅权益",
            "贵宾厅, 白金卡, 权益",
            "白金卡主卡每年可免费使用国内机场贵宾厅6次，须提前在手机银行预约并出示登机牌。"
            "超出次数按每次200元从信用卡扣收。附属卡不享受该权益。",
        ),
    ],
    ("信用卡 Credit cards", "挂失与盗刷"): [
        (
            "信用卡挂失与补卡",
            "挂失, 补卡, 失卡保障",
            "卡片丢失或被盗，立即通过电话或手机银行挂失，挂失即时生效。补卡工本费20元（金卡以上免费），"
            "新卡约7个工作日寄到账单地址。挂失前48小时内被盗刷的交易，可申请失卡保障赔付，须在挂失后"
            "10天内提交报案回执。",
        ),
        (
            "境外盗刷的处理",
            "盗刷, 境外, 争议交易",
            "客户人在国内、卡在身边而收到境外交易短信：1. 立即冻结卡片；2. 指导客户在24小时内到就近"
            "银行ATM做一笔查询或小额取现，证明人卡未分离；3. 登记争议交易，告知处理时效为45天。"
            "不要建议客户直接拒付。",
        ),
        (
            "可疑交易短信的核实",
            "可疑交易, 风控, 短信",
            "风控系统拦截可疑交易后会发短信请客户回电核实。核实身份后确认交易是否本人所为：是本人，"
            "解除拦截；不是本人，按盗刷流程冻结并登记。客服不能透露风控规则。",
        ),
    ],
    ("信用卡 Credit cards", "账单与还款"): [
        (
            "账单日与到期还款日",
            "账单日, 还款日, 免息期",
            "到期还款日为账单日后第20天。还款日当天24点前还款不算逾期，另有3天宽限期，宽限期内还款"
            "不上报征信但收取利息。只还最低还款额（账单金额的10%）不享受免息期。",
        ),
        (
            "逾期对征信的影响与更正",
            "逾期, 征信, 更正",
            "逾期超过宽限期会在下一个报送日报送人民银行征信中心，记录自还清之日起保留5年。"
            "因本行系统原因造成的逾期，可提交征信异议，提供还款凭证，20个工作日内答复。",
        ),
        (
            "自动还款设置",
            "自动还款, 借记卡",
            "客户可在手机银行绑定本行借记卡自动还款，可选全额或最低还款额。设置后从下一期账单起生效；"
            "扣款日账户余额不足时只扣现有余额，不足部分须客户自行还款。",
        ),
    ],
    ("信用卡 Credit cards", "分期与额度"): [
        (
            "账单分期与提前结清",
            "分期, 提前还款, 手续费",
            "账单分期可选3、6、12、24期，每期手续费率0.6%～0.75%。客户要求提前结清时，剩余本金"
            "一次还清；已收取的分期手续费不退，未到期的手续费不再收取。提前结清须致电办理。",
        ),
        (
            "临时额度与永久提额",
            "额度, 临时额度, 提额",
            "节假日前客户可申请临时额度，最高为固定额度的50%，有效期30天，到期须全额还清超出部分。"
            "永久提额由系统按用卡情况评估，持卡满6个月方可申请，每6个月最多一次。",
        ),
    ],
    ("借记卡与账户 Debit cards", "挂失与补卡"): [
        (
            "借记卡口头挂失",
            "挂失, 借记卡, 口头挂失",
            "借记卡可电话口头挂失，口头挂失有效期5天，期间账户止付。客户须在5天内本人持身份证到"
            "任一网点办理正式挂失并补卡，补卡费10元。逾期未办理，口头挂失自动失效。",
        ),
        (
            "ATM吞卡的处理",
            "吞卡, ATM",
            "先记下ATM所在网点、时间和原因提示。本行ATM吞卡：客户可在两个工作日内凭身份证到该网点"
            "领回，超过期限卡片会被剪卡，须重新补卡。他行ATM吞卡：请客户联系该行，本行无法代领。",
        ),
    ],
    ("借记卡与账户 Debit cards", "账户管理"): [
        (
            "账户被冻结的常见原因",
            "冻结, 止付, 司法冻结",
            "常见原因：司法冻结、密码连续输错被锁、长期不动户、风险监控止付。司法冻结客服不能解除，"
            "请客户联系执行法院；风险止付核实身份和交易背景后由风险管理部解除，一般1个工作日内。",
        ),
        (
            "销户的条件与办理",
            "销户",
            "销户须本人持身份证和卡到开户行或任一网点办理，余额可转出或取现。账户关联了贷款还款、"
            "代发工资或理财持仓的，须先解除关联。销户后卡号不能再用。",
        ),
        (
            "借记卡密码重置",
            "密码, 重置",
            "取款密码连续输错3次当日锁定，次日零点自动解锁。忘记密码须本人带身份证和卡到网点重置，"
            "电话和手机银行都不能重置取款密码。",
        ),
    ],
    ("手机银行 Mobile banking", "登录与安全"): [
        (
            "手机银行登录失败",
            "登录, 手机银行, 人脸识别",
            "提示“用户名或密码错误”时，可点“忘记密码”用短信验证码重置登录密码；连续输错5次锁定"
            "24小时。更换手机后首次登录须人脸识别；人脸识别多次失败的，请客户到网点办理。",
        ),
        (
            "收不到短信验证码",
            "验证码, 短信",
            "依次确认：预留手机号是否正确；手机是否欠费停机；是否被手机管家拦截。仍收不到，改用语音"
            "验证码。预留手机号变更须本人持身份证到网点办理，电话不能修改。",
        ),
        (
            "手机银行转账限额",
            "转账, 限额, U盾",
            "默认单笔5万元、日累计20万元。使用U盾或数字证书可提高到单笔50万元、日累计100万元，"
            "须本人到网点签约。限额可在手机银行“安全中心”调低，调高须验证U盾。",
        ),
    ],
    ("支付与转账 Payments", "跨行转账"): [
        (
            "跨行转账未到账",
            "转账, 到账, 跨行",
            "实时到账的跨行转账一般几分钟内到账；普通到账工作日两小时内，节假日顺延。超过一个工作日"
            "对方仍未收到的，请客户提供交易流水号，登记查询工单，3个工作日内回复。",
        ),
        (
            "转错账怎么办",
            "转错账, 退回",
            "银行不能直接退回已到账的资金。登记差错工单，由本行联系收款行请收款人同意退回；收款人"
            "不同意的，请客户通过法律途径解决。转账前请客户核对户名。",
        ),
    ],
    ("支付与转账 Payments", "境外汇款"): [
        (
            "境外汇款手续费与所需信息",
            "汇款, 境外, 手续费, SWIFT",
            "所需信息：收款人姓名、账号、收款行名称和SWIFT代码。手续费按汇款金额的0.1%收取，"
            "最低50元、最高260元，另收电报费150元；中转行可能另扣费用。个人每年购汇额度为等值5万美元。",
        ),
    ],
    ("支付与转账 Payments", "第三方支付"): [
        (
            "快捷支付解绑",
            "快捷支付, 解绑, 第三方支付",
            "客户可在手机银行“我的—快捷支付管理”中解除与第三方支付平台的绑定，也可在支付平台内解绑。"
            "解绑后已签约的自动扣款会失败，请客户先更换扣款方式。",
        ),
        (
            "云闪付绑卡失败",
            "云闪付, 绑卡",
            "绑卡失败多因预留手机号不一致、卡片挂失或过期。核对后仍失败，请客户更新应用后重试，"
            "并记下错误代码，登记工单转电子银行部。",
        ),
    ],
    ("贷款 Loans", "房贷"): [
        (
            "房贷提前还款",
            "房贷, 提前还款, 违约金",
            "提前还款须提前15个工作日在手机银行或网点预约，可选缩短期限或减少月供。还款满一年的"
            "免违约金；不满一年的按提前还款金额的1%收取违约金。",
        ),
        (
            "房贷利率重定价",
            "利率, LPR, 重定价",
            "浮动利率房贷按合同约定的重定价日（多为每年1月1日）按最新的5年期以上LPR加点重新定价，"
            "月供随之变化。客户询问月供为何变化时，先查询合同的重定价日和加点幅度。",
        ),
    ],
    ("贷款 Loans", "消费贷"): [
        (
            "消费贷的申请条件",
            "消费贷, 申请",
            "年满22周岁、在本行代发工资满6个月、征信无当前逾期。额度最高30万元，期限最长3年，"
            "可在手机银行申请，审批结果短信通知。贷款资金不得用于购房和投资。",
        ),
    ],
    ("理财与存款 Wealth", None): [
        (
            "理财产品赎回到账时间",
            "理财, 赎回, 到账",
            "开放式理财产品赎回一般T+1个工作日到账；封闭期内不能赎回。客户急需用钱的，可介绍存单"
            "质押贷款。产品说明书中的到账时间以产品为准。",
        ),
        (
            "大额存单提前支取",
            "存单, 提前支取",
            "大额存单可以提前支取，提前支取部分按活期利率计息，也可以在手机银行转让给他人。"
            "部分提前支取后剩余金额不得低于起存金额。",
        ),
    ],
    ("服务规范与流程 Service", "投诉处理"): [
        (
            "客户投诉的升级流程",
            "投诉, 升级, 回访",
            "客户情绪激动、明确要求投诉时：先安抚，复述并记录诉求，给出具体的回电时间；一线不能解决的，"
            "两小时内转交班组长；班组长24小时内回访客户。涉及监管投诉（如12378）的立即报质量主管。",
        ),
        (
            "承诺回电的规范",
            "回电, 承诺",
            "给客户具体的回电时间，不说“尽快”“稍后”。到时未能解决也要按时回电说明进度。"
            "回电三次未接通的，发短信告知并记录在工单中。",
        ),
    ],
    ("服务规范与流程 Service", "身份核实"): [
        (
            "来电身份核实",
            "身份核实, 隐私",
            "办理账户类业务前核实姓名、证件号码后四位和预留手机号，三项都对才可继续。核实不通过的，"
            "不透露任何账户信息，也不提示哪一项不对。代他人来电的，只能提供公开信息。",
        ),
    ],
    ("服务规范与流程 Service", "应急话术"): [
        (
            "系统故障期间的话术",
            "故障, 应急, 话术",
            "系统故障时告知客户：“系统正在维护，我们已记录您的需求，恢复后第一时间回电。”不要猜测故障"
            "原因，不要承诺恢复时间。每通来电在值班日志中登记，恢复后按登记顺序回电。",
        ),
        (
            "Phone-banking outage: what to tell English-speaking callers",
            "outage, english",
            "Say: “Our system is under maintenance. We have noted your request and will call you "
            "back as soon as it is restored.” Do not guess the cause or promise a time. Log the "
            "call in the duty diary and call back in the order logged.",
        ),
    ],
}

SYNONYMS = [
    ("信用卡, 贷记卡, credit card", "产品名称"),
    ("借记卡, 储蓄卡, 银行卡, debit card", "产品名称"),
    ("手机银行, 掌上银行, 手机APP, mobile banking, app", "产品名称"),
    ("云闪付, 银联APP, UnionPay", "合作产品"),
    ("境外汇款, 国际汇款, 电汇, wire transfer", "业务名称"),
    ("大额存单, 存单, CD", "产品名称"),
    ("消费贷, 信用贷, personal loan", "产品名称"),
    ("挂失, 冻结卡片, 止付, block the card", "常用说法"),
    ("投诉, 客诉, complaint", "常用说法"),
]

DEPARTMENTS = [
    ("信用卡中心", "分机 6100，cardcenter@bank.example", 24),
    ("风险管理部", "分机 6200", 48),
    ("电子银行部", "分机 6300", 24),
    ("个人贷款部", "分机 6400", 72),
]


def _user(name: str):
    return get_user_model().objects.get(username=name)


@transaction.atomic
def build_demo_knowledge(*, site: Site, today: dt.date) -> int:
    """Add the demo knowledge base to ``site``; returns the articles added."""
    if Article.all_objects.exists():
        return 0
    editor, qa = _user("editor"), _user("qa_inspector")
    agent, manager = _user("agent"), _user("group_manager")
    for name, contact, hours in DEPARTMENTS:
        record_create(
            Department,
            data={"name": name, "contact": contact, "answer_hours": hours},
            actor=_user("general_supervisor"),
        )
    for terms, note in SYNONYMS:
        record_create(Synonym, data={"terms": terms, "note": note}, actor=editor)

    tops: dict[str, Category] = {}
    made: dict[str, Article] = {}
    for (top_name, sub_name), rows in ARTICLES.items():
        top_name = bi(top_name)
        if top_name not in tops:
            tops[top_name] = record_create(
                Category, data={"name": top_name, "order": len(tops) + 1}, actor=editor
            )
        category = tops[top_name]
        if sub_name:
            order = Category.objects.filter(parent=tops[top_name]).count() + 1
            category = record_create(
                Category,
                data={"name": sub_name, "parent": tops[top_name], "order": order},
                actor=editor,
            )
        for title, tags, body in rows:
            article = articles.article_create(
                category=category, title=title, body=body, tags=tags, actor=editor
            )
            revision = articles.open_revision(article)
            articles.revision_submit(revision=revision, actor=editor)
            articles.revision_approve(revision=revision, actor=qa, note="内容准确")
            made[title] = article

    # A new revision in review beside the live one, a draft, one due for re-verification.
    fee = made["信用卡年费减免规则"]
    fee.refresh_from_db()
    pending = articles.revision_start(article=fee, actor=editor)
    articles.revision_update(
        revision=pending,
        body=pending.body.replace("可用8万积分抵扣", "可用8万积分抵扣（2027年起改为10万积分）"),
        change_note="白金卡积分抵扣标准调整",
        actor=editor,
    )
    articles.revision_submit(revision=pending, actor=editor)
    articles.article_create(
        category=tops[bi("借记卡与账户 Debit cards")],
        title="社保卡金融功能激活",
        body="社保卡须先在社保部门激活社保功能，再到本行网点激活金融功能，激活时设置取款密码。",
        tags="社保卡, 激活",
        actor=editor,
    )
    stale = made["大额存单提前支取"]
    stale.refresh_from_db()
    record_update(
        stale,
        data={
            "verified_on": today - dt.timedelta(days=200),
            "next_review_on": today - dt.timedelta(days=20),
        },
        actor=editor,
        verb="demo_verified_earlier",
    )

    # Difficult cases at every step.
    queue = Queue.objects.filter(site=site).order_by("code").first()
    now = timezone.now()
    open_case = cases.case_record(
        question="客户问：信用卡境外消费退税到账后，能不能直接抵扣本期账单？",
        told_customer="告知客户会在今天内回电答复。",
        queue=queue,
        call_reference="20260801-0932-1187",
        occurred_at=now - dt.timedelta(hours=6),
        actor=agent,
    )
    record_update(
        open_case,
        data={"due_at": now - dt.timedelta(hours=2)},
        actor=manager,
        verb="demo_recorded_earlier",
    )
    expert_case = cases.case_record(
        question="客户的白金卡在日本被冻结，人在机场急需用卡，能否临时解冻？",
        told_customer="已记录，请客户保持电话畅通。",
        queue=queue,
        call_reference="20260801-1010-2231",
        occurred_at=now - dt.timedelta(hours=3),
        actor=agent,
    )
    cases.case_escalate(
        case=expert_case,
        expert=Employee.objects.get(user=_user("quality_supervisor")),
        note="涉及风控规则，请质量主管协调。",
        actor=manager,
    )
    dept_case = cases.case_record(
        question="客户的房贷月供这个月比上月多了300元，客户认为利率算错了。",
        told_customer="承诺两天内回电说明。",
        queue=queue,
        call_reference="20260801-1105-0042",
        occurred_at=now - dt.timedelta(hours=2),
        actor=agent,
    )
    cases.case_escalate(
        case=dept_case,
        department=Department.objects.get(name="个人贷款部"),
        note="请核对重定价日和加点。",
        actor=manager,
    )
    answered = cases.case_record(
        question="客户问：云闪付里绑定的信用卡，积分还能正常累计吗？",
        told_customer="告知客户稍后回电。",
        queue=queue,
        call_reference="20260731-1620-3310",
        occurred_at=now - dt.timedelta(days=1),
        actor=agent,
    )
    cases.case_answer(
        case=answered,
        answer="可以。通过云闪付用信用卡消费，除还款、充值类交易外正常累计积分，规则与刷卡一致。",
        actor=manager,
    )
    duplicate = cases.case_record(
        question="又一位客户问云闪付消费有没有信用卡积分。",
        queue=queue,
        occurred_at=now - dt.timedelta(hours=20),
        actor=agent,
    )
    cases.case_merge(duplicate=duplicate, into=answered, actor=manager)

    handover = Handover.objects.filter(site=site).order_by("-handover_at").first()
    if handover is not None:
        articles.article_link(
            article=made["系统故障期间的话术"], target=handover, actor=manager, note="交接提醒"
        )
    articles.article_link(article=made["境外盗刷的处理"], target=expert_case, actor=manager)

    with translation.override("zh-hans"):  # the chapter titles the compiler writes
        edition = manual.edition_compile(
            site=site,
            version=manual.suggest_version(today),
            title="客服中心服务手册",
            foreword="本手册汇编咨询库已发布的文章和经验交流会的心得，供一线坐席和班组长学习。",
            actor=qa,
        )
    manual.edition_publish(edition=edition, actor=qa)
    manual.edition_acknowledge(edition=edition, actor=_user("area_manager"))
    return len(made) + 1
