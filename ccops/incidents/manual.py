"""The emergency playbooks of chapter 1 of the operations manual, in Chinese and English:
the seed of every installation (migration ``0002_seed_playbooks``) and of the demo.

Every playbook asks the same core of the duty lead: contact the responsible people,
inform the leaders, keep the staff at their seats ready for recovery, write the fault
down for the archive with its cause and impact, tell every staff member the cause, and,
because a flood of calls follows recovery, staff fully (no absences, resting staff called
in for overtime). Each step: (responsible role, English, Chinese, record required).
"""

from __future__ import annotations

CONTACTS = {
    "power": {"kind": "power", "name": "Building power room", "name_zh": "配电房", "phone": "8001"},
    "it": {"kind": "it", "name": "IT duty desk", "name_zh": "信息技术值班", "phone": "8002"},
    "police": {"kind": "police", "name": "Police", "name_zh": "公安", "phone": "110"},
    "fire": {"kind": "fire", "name": "Fire brigade", "name_zh": "消防", "phone": "119"},
    "leaders": {
        "kind": "leaders",
        "name": "Center director",
        "name_zh": "中心主任",
        "phone": "8000",
    },
}

_RECOVERY = [
    (
        "duty_lead",
        "Keep every agent at their seat, ready to take calls the moment service is back.",
        "所有座席人员坚守岗位，做好系统恢复后立即接听的准备。",
        "",
    ),
    (
        "planner",
        "Plan the surge after recovery: full staffing, no absences, resting staff called in "
        "for overtime.",
        "做好恢复后话务高峰的准备：全员在岗、不准请假，通知休息人员加班。",
        "",
    ),
    ("duty_lead", "Record the recovery time.", "记录系统恢复时间。", "recovered_at"),
    (
        "scribe",
        "Write the fault down for the archive: cause, impact, what was done.",
        "做好故障记录并存档：原因、影响、处理经过。",
        "",
    ),
    (
        "leaders",
        "Agree with the responsible department how to avoid a repeat.",
        "与责任部门商定避免再次发生的措施。",
        "",
    ),
    (
        "staff",
        "Tell every staff member the cause of the fault.",
        "将故障原因告知每一位员工。",
        "",
    ),
]


def _system(name_en, name_zh, kind, summary_en, summary_zh, contacts):
    return {
        "kind": kind,
        "title_en": f"{name_en} fault",
        "title_zh": f"{name_zh}故障",
        "summary_en": summary_en,
        "summary_zh": summary_zh,
        "contacts": [CONTACTS[c] for c in contacts],
        "steps": [
            (
                "duty_lead",
                f"Confirm the {name_en} fault with two or three agents and note the symptoms.",
                f"与两三名座席确认{name_zh}故障现象并记录。",
                "",
            ),
            (
                "it",
                f"Call the people responsible for the {name_en} and ask for the expected "
                "recovery time.",
                f"立即联系{name_zh}负责人员，了解预计恢复时间。",
                "",
            ),
            ("leaders", "Inform the leaders on duty.", "通知值班领导。", ""),
            (
                "duty_lead",
                "Tell agents what to say to customers meanwhile (record requests, call back).",
                "告知座席期间对客户的解释口径（登记需求、稍后回复）。",
                "",
            ),
            *_RECOVERY,
        ],
    }


PLAYBOOKS = [
    {
        "kind": "power",
        "title_en": "Power cut or terminal power failure",
        "title_zh": "停电及终端断电",
        "summary_en": "The building or some workstations lose power.",
        "summary_zh": "大楼或部分终端停电。",
        "contacts": [CONTACTS["power"], CONTACTS["it"], CONTACTS["leaders"]],
        "steps": [
            (
                "duty_lead",
                "Find out whether the whole floor or only some terminals are without power.",
                "确认是全场停电还是部分终端断电。",
                "",
            ),
            (
                "it",
                "Call the power room and IT; move agents of dead terminals to free seats.",
                "联系配电房和信息技术人员；断电终端的座席调整到空闲座位。",
                "",
            ),
            ("leaders", "Inform the leaders on duty.", "通知值班领导。", ""),
            *_RECOVERY,
        ],
    },
    _system(
        "billing system",
        "营账系统",
        "billing",
        "Agents cannot query or change accounts in the billing system.",
        "座席无法在营账系统查询或办理业务。",
        ["it", "leaders"],
    ),
    _system(
        "customer-service platform",
        "客服平台",
        "platform",
        "The customer-service platform is down or too slow to work.",
        "客服平台故障或响应过慢无法工作。",
        ["it", "leaders"],
    ),
    _system(
        "VOIP",
        "VOIP",
        "voip",
        "Calls do not reach the agents or drop (voice over IP).",
        "电话无法接入座席或掉线（VOIP）。",
        ["it", "leaders"],
    ),
    _system(
        "knowledge base",
        "咨询库",
        "knowledge_base",
        "The knowledge base (咨询库) cannot be searched.",
        "咨询库无法查询。",
        ["it", "leaders"],
    ),
    {
        "kind": "earthquake_fire",
        "title_en": "Earthquake or fire",
        "title_zh": "地震或火灾",
        "summary_en": "Shelter first, then evacuate by the marked routes.",
        "summary_zh": "先就地避险，再按疏散路线撤离。",
        "contacts": [CONTACTS["fire"], CONTACTS["police"], CONTACTS["leaders"]],
        "steps": [
            (
                "duty_lead",
                "Earthquake: everyone shelters under desks away from windows. Fire: call 119.",
                "地震：全员就近躲避在桌下、远离窗户。火灾：拨打119。",
                "",
            ),
            (
                "duty_lead",
                "Evacuate by the marked routes once the shaking stops or the alarm sounds; no "
                "lifts.",
                "震动停止或警报响起后按疏散路线撤离，禁止乘坐电梯。",
                "",
            ),
            (
                "duty_lead",
                "Count everyone at the assembly point against the roster.",
                "在集合点对照排班表清点人数。",
                "",
            ),
            ("leaders", "Inform the leaders on duty.", "通知值班领导。", ""),
            *_RECOVERY,
        ],
    },
    {
        "kind": "virus",
        "title_en": "Computer virus",
        "title_zh": "计算机病毒",
        "summary_en": "A virus or malware is found on workstations.",
        "summary_zh": "终端发现病毒或恶意程序。",
        "contacts": [CONTACTS["it"], CONTACTS["leaders"]],
        "steps": [
            (
                "duty_lead",
                "Unplug the affected workstations from the network; do not switch them off.",
                "立即断开受感染终端的网络连接，不要关机。",
                "",
            ),
            (
                "it",
                "Call IT to clean and check the workstations.",
                "联系信息技术人员查杀病毒。",
                "",
            ),
            ("leaders", "Inform the leaders on duty.", "通知值班领导。", ""),
            *_RECOVERY,
        ],
    },
    {
        "kind": "password",
        "title_en": "Stolen or forgotten login password",
        "title_zh": "登录密码被盗或遗忘",
        "summary_en": "A login password is stolen, shared or forgotten.",
        "summary_zh": "登录密码被盗用、泄露或遗忘。",
        "contacts": [CONTACTS["it"], CONTACTS["leaders"]],
        "steps": [
            (
                "duty_lead",
                "Lock the login or force a password change at once.",
                "立即锁定该账号或强制修改密码。",
                "account_action",
            ),
            (
                "it",
                "Check the login's recent activity with IT.",
                "与信息技术人员核查该账号近期操作记录。",
                "",
            ),
            ("leaders", "Inform the leaders on duty.", "通知值班领导。", ""),
            (
                "scribe",
                "Write the fault down for the archive: cause, impact, what was done.",
                "做好记录并存档：原因、影响、处理经过。",
                "",
            ),
            (
                "staff",
                "Remind every staff member of the password rules.",
                "提醒全体员工遵守密码管理规定。",
                "",
            ),
        ],
    },
    {
        "kind": "break_in",
        "title_en": "Break-in",
        "title_zh": "非法闯入",
        "summary_en": "Someone broke into the center or a restricted area.",
        "summary_zh": "有人非法闯入中心或限制区域。",
        "contacts": [CONTACTS["police"], CONTACTS["leaders"]],
        "steps": [
            (
                "security",
                "Call the police (110) and record the report number.",
                "立即报警（110）并记录报案编号。",
                "police_report_number",
            ),
            (
                "security",
                "Seal the scene; nobody touches anything until the police arrive.",
                "保护现场，警方到达前任何人不得触动。",
                "scene_sealed_at",
            ),
            (
                "duty_lead",
                "Find and interview the duty staff of the time.",
                "找到当时的值班人员了解情况。",
                "duty_staff_interviewed",
            ),
            (
                "duty_lead",
                "Lock the logins that may be compromised.",
                "锁定可能被盗用的账号。",
                "",
            ),
            ("leaders", "Inform the leaders on duty.", "通知值班领导。", ""),
            (
                "scribe",
                "Write the fault down for the archive: cause, impact, what was done.",
                "做好记录并存档：原因、影响、处理经过。",
                "",
            ),
            ("staff", "Tell every staff member what happened.", "将情况告知每一位员工。", ""),
        ],
    },
]


def seed(playbook_model, step_model, contact_model) -> int:
    """Create version 1 of each playbook not yet there; returns how many were added."""
    added = 0
    for spec in PLAYBOOKS:
        if playbook_model._base_manager.filter(kind=spec["kind"]).exists():
            continue
        playbook = playbook_model._base_manager.create(
            kind=spec["kind"],
            version=1,
            is_current=True,
            title_en=spec["title_en"],
            title_zh=spec["title_zh"],
            summary_en=spec["summary_en"],
            summary_zh=spec["summary_zh"],
        )
        for order, c in enumerate(spec["contacts"], 1):
            contact_model._base_manager.create(
                playbook=playbook,
                order=order,
                kind=c["kind"],
                name_en=c["name"],
                name_zh=c.get("name_zh", ""),
                phone=c["phone"],
            )
        for order, (role, en, zh, requires) in enumerate(spec["steps"], 1):
            step_model._base_manager.create(
                playbook=playbook, order=order, role=role, text_en=en, text_zh=zh, requires=requires
            )
        added += 1
    return added
