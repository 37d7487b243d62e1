"""The search test set: 44 articles of a bank and telecom call center and 48 queries
with the articles they should find (Chinese and English; two-character words; product
names by their synonyms; words that are apart in the text).

``ARTICLES``: key -> (category, title, tags, body). ``SYNONYMS``: synonym sets as a
center would keep them. ``QUERIES``: (query, keys of the articles a good answer lists;
finding any one of them in the first five counts as a hit)."""

from __future__ import annotations

ARTICLES = {
    "cc_fee": (
        "信用卡",
        "信用卡年费减免规则",
        "年费, 减免",
        "金卡首年免年费，当年刷卡满六次可免次年年费。白金卡年费不能通过刷卡次数减免，"
        "客户可用积分抵扣。客户来电要求减免时，先核实身份，再查询当年消费笔数。",
    ),
    "cc_lost": (
        "信用卡",
        "信用卡挂失与补卡",
        "挂失, 补卡",
        "客户卡片丢失或被盗，立即办理挂失，挂失后卡片停止使用。补卡工本费20元，新卡约7个"
        "工作日寄到账单地址。挂失前48小时内的盗刷可申请失卡保障。",
    ),
    "cc_fraud": (
        "信用卡",
        "信用卡境外盗刷处理",
        "盗刷, 境外",
        "客户在国内而卡片在境外被刷，先冻结卡片，再指导客户在当地时间24小时内到就近银行"
        "ATM做一笔查询，证明人卡未分离，然后提交争议交易申请。",
    ),
    "cc_install": (
        "信用卡",
        "账单分期与提前还款",
        "分期, 提前还款",
        "账单分期可选3、6、12、24期。客户要求提前结清时，剩余本金一次还清；已收取的分期"
        "手续费不退，未到期的手续费不再收取。",
    ),
    "cc_limit": (
        "信用卡",
        "临时额度调整",
        "额度, 临时额度",
        "节假日出行前客户可申请临时额度，最高为固定额度的50%，有效期30天，到期后需全额还清"
        "超出固定额度的部分。",
    ),
    "cc_statement": (
        "信用卡",
        "账单日与还款日",
        "账单, 还款日",
        "账单日后第20天为到期还款日。还款日当天24点前还款不算逾期；最低还款额为账单金额的"
        "10%，只还最低还款额不享受免息期。",
    ),
    "cc_credit_report": (
        "信用卡",
        "逾期对征信的影响",
        "征信, 逾期",
        "逾期超过3天会上报人民银行征信系统，记录保留5年。客户因银行系统原因造成的逾期可"
        "申请更正，需提供还款凭证。",
    ),
    "debit_lost": (
        "借记卡与账户",
        "借记卡挂失",
        "挂失, 借记卡",
        "借记卡可电话口头挂失，口头挂失有效期5天，客户须在5天内带身份证到网点办理正式挂失"
        "并补卡。口头挂失期间账户冻结。",
    ),
    "debit_swallowed": (
        "借记卡与账户",
        "ATM吞卡处理",
        "吞卡, ATM",
        "客户的卡被ATM吞了，先记录ATM所在网点和时间。本行ATM吞卡，客户可在两个工作日内凭"
        "身份证到该网点领回；他行ATM吞卡，须联系该行处理。",
    ),
    "debit_close": (
        "借记卡与账户",
        "销户办理",
        "销户",
        "销户须本人持身份证到开户网点办理，账户余额转出或取现。名下有贷款还款关联的账户不能"
        "销户，需先变更还款账户。",
    ),
    "debit_frozen": (
        "借记卡与账户",
        "账户被冻结的原因",
        "冻结, 止付",
        "账户冻结可能是司法冻结、密码连续输错或风险监控止付。司法冻结客服不能解除，请客户"
        "联系执行法院；风险止付核实后由风控部门解除。",
    ),
    "debit_pin": (
        "借记卡与账户",
        "借记卡密码重置",
        "密码, 重置",
        "密码连续输错三次当日锁定，次日自动解锁。忘记密码须本人带身份证和卡到网点重置，电话"
        "无法重置取款密码。",
    ),
    "mb_login": (
        "手机银行",
        "手机银行登录失败",
        "登录, 手机银行",
        "提示用户名或密码错误时，可用短信验证码重置登录密码；连续错误五次锁定24小时。更换"
        "手机后首次登录需要人脸识别验证。",
    ),
    "mb_limit": (
        "手机银行",
        "手机银行转账限额",
        "转账, 限额",
        "手机银行单笔转账限额5万元，日累计20万元。需要更高限额，客户可携带身份证到网点签约"
        "U盾后调整。",
    ),
    "mb_sms": (
        "手机银行",
        "收不到短信验证码",
        "验证码, 短信",
        "先确认预留手机号是否正确、是否停机或拦截了短信。仍收不到，可改用语音验证码；预留"
        "手机号变更须到网点办理。",
    ),
    "pay_quick": (
        "支付与转账",
        "快捷支付解绑",
        "快捷支付, 解绑",
        "客户要求解绑第三方支付的快捷支付，可在手机银行“我的-快捷支付管理”中解除，也可在"
        "支付平台内解绑。",
    ),
    "pay_transfer_delay": (
        "支付与转账",
        "跨行转账未到账",
        "转账, 到账",
        "普通跨行转账工作日一般两小时内到账，节假日顺延。超过一个工作日对方仍未收到，可提交"
        "查询，并提供交易流水号。",
    ),
    "pay_wire": (
        "支付与转账",
        "境外汇款手续费",
        "汇款, 手续费",
        "境外汇款按汇款金额的0.1%收取手续费，最低50元、最高260元，另收电报费150元。"
        "对方银行可能扣收中转行费用。",
    ),
    "pay_unionpay": (
        "支付与转账",
        "云闪付绑卡失败",
        "云闪付, 绑卡",
        "绑卡失败多因预留手机号不一致或卡片状态异常。核对后仍失败，请客户重启应用再试，并"
        "记录错误代码。",
    ),
    "loan_mortgage_prepay": (
        "贷款",
        "房贷提前还款",
        "房贷, 提前还款",
        "房贷提前还款需提前15个工作日预约。还款满一年可免违约金；不满一年收取提前还款金额"
        "1%的违约金。",
    ),
    "loan_rate": (
        "贷款",
        "房贷利率调整",
        "利率, LPR",
        "浮动利率房贷每年1月1日按最新LPR重新定价。客户询问本月月供变化原因时，先查询合同"
        "的重定价日。",
    ),
    "wealth_redeem": (
        "理财",
        "理财产品赎回到账时间",
        "理财, 赎回",
        "开放式理财产品赎回T+1日到账，封闭期内不能赎回。客户着急用钱，可建议办理存单质押贷款。",
    ),
    "tel_porting": (
        "移动业务",
        "携号转网办理条件",
        "携号转网",
        "办理携号转网须号码实名、无欠费、不在合约期内、入网满120天。客户可发送短信CXXZ"
        "查询是否符合条件。",
    ),
    "tel_plan_down": (
        "移动业务",
        "5G套餐降档",
        "5G, 套餐, 降档",
        "5G套餐降档次月生效；合约期内的套餐不能降到合约最低档以下。降档不影响号码和已订购的"
        "流量包。",
    ),
    "tel_roaming": (
        "移动业务",
        "国际漫游开通",
        "漫游, 国际",
        "国际漫游须提前开通，部分国家有每日封顶资费。客户出境后无法上网，请其检查手机的"
        "数据漫游开关。",
    ),
    "tel_suspend": (
        "移动业务",
        "欠费停机与复机",
        "停机, 复机, 欠费",
        "话费余额不足会欠费停机，缴清欠费后两小时内自动复机。停机保号每月收取5元。",
    ),
    "tel_sim": (
        "移动业务",
        "补换SIM卡",
        "SIM卡, 补卡",
        "SIM卡丢失，机主须本人带身份证到营业厅补卡，补卡后原卡失效。eSIM不支持线上补办。",
    ),
    "tel_data_pack": (
        "移动业务",
        "流量包订购与退订",
        "流量包",
        "流量包当月订购立即生效，退订次月生效。客户投诉流量超额时，先核对流量提醒短信是否下发。",
    ),
    "bb_repair": (
        "宽带",
        "宽带报修流程",
        "宽带, 报修",
        "先请客户重启光猫和路由器，观察光猫指示灯。LOS灯红色闪烁说明光纤故障，登记报修工单，"
        "维修人员24小时内上门。",
    ),
    "bb_move": (
        "宽带",
        "宽带移机",
        "宽带, 移机",
        "宽带移机须确认新地址已覆盖光纤资源，移机费100元，预约后三个工作日内完成。",
    ),
    "bb_speed": (
        "宽带",
        "宽带网速慢排查",
        "网速, 测速",
        "请客户用网线直连电脑测速；无线连接受距离和墙体影响。测速低于签约速率的80%时登记工单。",
    ),
    "svc_complaint": (
        "服务流程",
        "客户投诉升级流程",
        "投诉, 升级",
        "客户情绪激动、明确要求投诉时，先安抚并记录诉求，承诺回电时间；一线不能解决的，"
        "两小时内转交班组长，24小时内回访客户。",
    ),
    "svc_callback": (
        "服务流程",
        "承诺回电的规范",
        "回电, 回访",
        "给客户具体的回电时间，不说“尽快”。到时未能解决也要按时回电说明进度。",
    ),
    "svc_identity": (
        "服务流程",
        "来电身份核实",
        "身份核实",
        "办理账户类业务前核实客户姓名、证件号码后四位和预留手机号；核实不通过不透露任何账户信息。",
    ),
    "svc_outage": (
        "服务流程",
        "系统故障期间的话术",
        "故障, 应急",
        "系统故障时告知客户“系统正在维护，我们记录您的需求并在恢复后回电”，不要猜测故障原因，"
        "并在值班日志中登记来电。",
    ),
    "en_lost_card": (
        "Cards (English)",
        "Reporting a lost or stolen card",
        "lost card, stolen",
        "Block the card at once. A replacement card costs 20 yuan and arrives within seven "
        "working days at the statement address. Charges made in the 48 hours before the "
        "report are covered by the lost-card protection.",
    ),
    "en_dispute": (
        "Cards (English)",
        "Disputing a card transaction",
        "dispute, chargeback",
        "A customer who does not recognise a charge may dispute it within 60 days of the "
        "statement date. Take the merchant name, amount and date, then file the dispute form; "
        "the customer hears back within 45 days.",
    ),
    "en_wire": (
        "Payments (English)",
        "Overseas wire transfers",
        "wire, SWIFT",
        "An overseas wire needs the beneficiary's name, account number and the bank's SWIFT "
        "code. The fee is 0.1 percent of the amount, at least 50 and at most 260 yuan, plus a "
        "cable charge of 150 yuan.",
    ),
    "en_porting": (
        "Mobile (English)",
        "Keeping your number when switching operators",
        "number porting",
        "To port a number to another operator the line must be registered in the customer's "
        "name, have no unpaid bills, be out of contract and be at least 120 days old.",
    ),
    "en_roaming": (
        "Mobile (English)",
        "Roaming abroad",
        "roaming",
        "Roaming must be switched on before travelling. If mobile data does not work abroad, "
        "ask the customer to turn on data roaming in the phone settings.",
    ),
    "en_broadband": (
        "Broadband (English)",
        "Broadband fault repair",
        "broadband, repair",
        "Ask the customer to restart the modem. A blinking red LOS light means the fibre is "
        "broken: open a repair ticket; an engineer visits within 24 hours.",
    ),
    "en_app_login": (
        "Online banking (English)",
        "Cannot log in to the mobile banking app",
        "app, login",
        "After five wrong passwords the app locks for 24 hours. The customer can reset the "
        "login password with a text-message code; a new phone needs face verification.",
    ),
    "en_complaint": (
        "Service (English)",
        "Escalating a complaint",
        "complaint",
        "Calm the customer, note what they want and promise a call-back time. Pass what the "
        "front line cannot solve to the group manager within two hours.",
    ),
    "en_fee_waiver": (
        "Cards (English)",
        "Annual fee waiver",
        "annual fee",
        "Gold cards are free in the first year; six purchases in a year waive the next year's "
        "fee. Platinum cards can pay the fee with reward points.",
    ),
}

SYNONYMS = [
    "信用卡, 贷记卡, credit card",
    "借记卡, 储蓄卡, 银行卡, debit card",
    "手机银行, 掌上银行, 手机APP, mobile banking, app",
    "宽带, 光纤, 光宽, broadband, fibre",
    "光猫, 猫, modem",
    "云闪付, 银联APP, UnionPay",
    "5G套餐, 5G plan",
    "携号转网, 转网, number porting",
    "SIM卡, 手机卡, sim card",
    "境外汇款, 国际汇款, 电汇, wire transfer",
    "挂失, 冻结卡片, block the card",
    "漫游, roaming",
    "投诉, complaint",
]

QUERIES = [
    # two-character words
    ("年费", ["cc_fee"]),
    ("挂失", ["cc_lost", "debit_lost"]),
    ("吞卡", ["debit_swallowed"]),
    ("销户", ["debit_close"]),
    ("征信", ["cc_credit_report"]),
    ("漫游", ["tel_roaming"]),
    ("停机", ["tel_suspend"]),
    ("分期", ["cc_install"]),
    ("移机", ["bb_move"]),
    ("限额", ["mb_limit"]),
    # questions as callers ask them
    ("信用卡年费怎么减免", ["cc_fee"]),
    ("客户说卡被ATM吞了怎么办", ["debit_swallowed"]),
    ("携号转网需要什么条件", ["tel_porting"]),
    ("手机银行登录密码忘记了", ["mb_login"]),
    ("收不到验证码", ["mb_sms"]),
    ("理财赎回多久到账", ["wealth_redeem"]),
    ("宽带网速很慢", ["bb_speed"]),
    ("账户为什么被冻结了", ["debit_frozen"]),
    ("房贷利率为什么变了", ["loan_rate"]),
    ("临时提额", ["cc_limit"]),
    # product names by their synonyms
    ("贷记卡年费", ["cc_fee"]),
    ("储蓄卡挂失", ["debit_lost"]),
    ("掌上银行登录不了", ["mb_login"]),
    ("光纤断了报修", ["bb_repair"]),
    ("银联APP绑卡", ["pay_unionpay"]),
    ("5G plan 降档", ["tel_plan_down"]),
    ("手机卡丢了", ["tel_sim"]),
    ("国际汇款手续费", ["pay_wire", "en_wire"]),
    ("转网条件", ["tel_porting", "en_porting"]),
    ("猫的灯闪红", ["bb_repair"]),
    # words apart in the text
    ("信用卡 提前结清 手续费", ["cc_install"]),
    ("境外 盗刷 冻结", ["cc_fraud"]),
    ("跨行 到账 时间", ["pay_transfer_delay"]),
    ("逾期 征信 更正", ["cc_credit_report"]),
    ("补卡 工本费", ["cc_lost"]),
    ("房贷 违约金", ["loan_mortgage_prepay"]),
    ("投诉 回访", ["svc_complaint"]),
    ("系统故障 回电", ["svc_outage"]),
    # English
    ("lost card replacement", ["en_lost_card", "cc_lost"]),
    ("dispute a charge", ["en_dispute"]),
    ("wire transfer fees", ["en_wire", "pay_wire"]),
    ("number porting", ["en_porting", "tel_porting"]),
    ("data roaming abroad", ["en_roaming", "tel_roaming"]),
    ("broadband repair", ["en_broadband", "bb_repair"]),
    ("mobile banking login", ["en_app_login", "mb_login"]),
    ("complaint escalation", ["en_complaint", "svc_complaint"]),
    ("credit card annual fee", ["en_fee_waiver", "cc_fee"]),
    ("modem red light", ["en_broadband", "bb_repair"]),
]
