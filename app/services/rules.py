"""The articles of the regulation as data: one table of dispatch kinds, read by one engine.

Each rule says who sends what to whom, when the clock starts, within how many working
days it must be sent, and what the addressee must do within how many working days. The
workflow of a kind is its list of transitions; nothing else in the program encodes an
article's deadlines or steps.
"""

from __future__ import annotations

from dataclasses import dataclass

# Dispatch states shared by every kind.
PENDING = "pending"  # the clock runs, not sent yet (待推送/待发送)
SENT = "sent"  # sent, the addressee must answer (待签收/待答复)
SIGNED_OFF = "signed_off"  # 已签收
RETURNED = "returned"  # 已退回 (wrong addressee)
SUPERVISING = "supervising"  # 已启动监管
ACKNOWLEDGED = "acknowledged"  # 已确认
DECIDED = "decided"  # 已作出决定
ACCEPTED = "accepted"  # 已受理
DECLINED = "declined"  # 不予受理
CONSENTED = "consented"  # 已同意
REFUSED = "refused"  # 不同意
CLOSED = "closed"  # 已办结

STATUS_LABELS = {
    PENDING: "待发送",
    SENT: "待答复",
    SIGNED_OFF: "已签收",
    RETURNED: "已退回",
    SUPERVISING: "已启动监管",
    ACKNOWLEDGED: "已确认",
    DECIDED: "已决定",
    ACCEPTED: "已受理",
    DECLINED: "不予受理",
    CONSENTED: "已同意",
    REFUSED: "不同意",
    CLOSED: "已办结",
}

# Channels (Art. 15 exchange platform; Art. 17 ¶2 paper fallback with an agreed time limit).
EXCHANGE = "exchange"
PAPER_CHANNELS = ("onsite", "photocopy", "fax")
CHANNEL_LABELS = {EXCHANGE: "审管平台（数据交换）", "onsite": "现场查阅", "photocopy": "复印", "fax": "传真"}

SENDER = "sender"
ADDRESSEE = "addressee"

# Operator roles (app.services.operators) a step may require.
HEAD = "head"

SENT_DAY = "sent"
RECEIVED_DAY = "received"


@dataclass(frozen=True)
class Limit:
    """A time limit in working days; ``days`` 0 means the same working day (立即)."""

    days: int | None  # None: "promptly" (及时), no countable limit
    text: str


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button text in the GUI
    source: str
    target: str
    actor: str  # SENDER or ADDRESSEE
    needs_reason: bool = False
    # Art. 17 ¶1: responsibility moves to the addressee at the push, back on a return.
    responsibility_to: str | None = None
    # The operator role this step needs (issue 7): HEAD for the binding answers.
    role: str | None = None


@dataclass(frozen=True)
class DispatchRule:
    kind: str
    name: str
    article: str
    sender_roles: frozenset[str]
    addressee_roles: frozenset[str]
    subject_type: str
    clock_start: str  # what event starts the clock, for people
    send_within: Limit
    reply: str  # what the addressee must do
    reply_within: Limit
    transitions: tuple[Transition, ...]
    paper_allowed: bool = False
    # Where the reply limit is counted from: the send (SENT_DAY) or, as Art. 20 says (收到后),
    # the day the addressee received it (RECEIVED_DAY: its import or registration there).
    reply_from: str = "sent"
    pending_label: str = "待发送"
    sent_label: str = "待答复"

    def status_label(self, status: str) -> str:
        if status == PENDING:
            return self.pending_label
        if status == SENT:
            return self.sent_label
        return STATUS_LABELS.get(status, status)

    def transition(self, source: str, action: str) -> Transition | None:
        for t in self.transitions:
            if t.source == source and t.action == action:
                return t
        return None

    def actions_from(self, source: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.source == source)


def _send(label: str, *, shift: bool = False) -> Transition:
    return Transition("send", label, PENDING, SENT, SENDER, responsibility_to=ADDRESSEE if shift else None)


def _answer(action: str, label: str, target: str, source: str = SENT, **kw) -> Transition:
    return Transition(action, label, source, target, ADDRESSEE, **kw)


PROMPTLY = Limit(None, "及时")
_PARTIES = ("approval", "competent", "enforcement")
NONE = Limit(None, "—")

RULES: tuple[DispatchRule, ...] = (
    DispatchRule(
        kind="approval_push",
        name="审批结果信息推送",
        article="第十七条",
        sender_roles=frozenset({"approval"}),
        addressee_roles=frozenset({"competent"}),
        subject_type="approval_result",
        clock_start="完成行政许可审批（证照颁发）",
        send_within=Limit(2, "2个工作日"),
        reply="确认签收，并及时启动监管程序",
        reply_within=Limit(2, "推送后2个工作日"),
        paper_allowed=True,
        pending_label="待推送",
        sent_label="待签收",
        transitions=(
            _send("推送", shift=True),
            _answer("sign_off", "签收", SIGNED_OFF, role=HEAD),
            _answer("return", "退回", RETURNED, needs_reason=True, responsibility_to=SENDER, role=HEAD),
            _answer("start_supervision", "启动监管", SUPERVISING, source=SIGNED_OFF),
        ),
    ),
    DispatchRule(
        kind="penalty_notice",
        name="行政处罚信息推送",
        article="第十九条",
        sender_roles=frozenset({"competent", "enforcement"}),
        addressee_roles=frozenset({"approval"}),
        subject_type="penalty_decision",
        clock_start="作出行政处罚决定",
        send_within=Limit(2, "作出处罚决定之日起2个工作日"),
        reply="依法决定变更、撤回、撤销或注销许可",
        reply_within=NONE,
        paper_allowed=True,
        pending_label="待推送",
        sent_label="待签收",
        transitions=(
            _send("推送"),
            _answer("sign_off", "签收", SIGNED_OFF, role=HEAD),
            # The bureau may decide at once; a sign-off first only records the receipt.
            _answer("decide", "作出许可决定", DECIDED, role=HEAD),
            _answer("decide", "作出许可决定", DECIDED, source=SIGNED_OFF, role=HEAD),
        ),
    ),
    DispatchRule(
        kind="licence_change_push",
        name="许可变更信息推送",
        article="第十九条",
        sender_roles=frozenset({"approval"}),
        addressee_roles=frozenset({"competent", "enforcement"}),
        subject_type="licence_change",
        clock_start="作出变更、撤回、撤销、注销许可决定",
        send_within=Limit(2, "作出许可决定之日起2个工作日"),
        reply="确认签收",
        reply_within=Limit(2, "推送后2个工作日"),
        paper_allowed=True,
        pending_label="待推送",
        sent_label="待签收",
        transitions=(
            _send("推送"),
            _answer("sign_off", "签收", SIGNED_OFF, role=HEAD),
            _answer("return", "退回", RETURNED, needs_reason=True, role=HEAD),
        ),
    ),
    DispatchRule(
        kind="referral",
        name="违法线索移送",
        article="第二十条",
        sender_roles=frozenset({"competent", "enforcement"}),
        addressee_roles=frozenset({"competent", "enforcement"}),
        subject_type="referral",
        clock_start="发现不属于本部门职责的违法行为",
        send_within=Limit(0, "立即（当个工作日）"),
        reply="调查核实，作出是否受理的决定并反馈",
        reply_within=Limit(5, "收到后5个工作日"),
        reply_from=RECEIVED_DAY,
        transitions=(
            _send("移送"),
            _answer("accept", "受理", ACCEPTED, role=HEAD),
            _answer("decline", "不予受理", DECLINED, needs_reason=True, role=HEAD),
        ),
    ),
    DispatchRule(
        kind="case_result",
        name="案件处理结果反馈",
        article="第二十条",
        sender_roles=frozenset({"competent", "enforcement"}),
        addressee_roles=frozenset({"competent", "enforcement", "approval"}),
        subject_type="referral",
        # Sent to the referring department and to the approval bureau: two dispatches.
        clock_start="案件办结",
        send_within=NONE,
        reply="知悉",
        reply_within=NONE,
        transitions=(_send("反馈"), _answer("acknowledge", "确认收到", ACKNOWLEDGED)),
    ),
    DispatchRule(
        kind="policy_notice",
        name="法规政策调整告知",
        article="第八条第三款",
        sender_roles=frozenset({"competent"}),
        addressee_roles=frozenset({"approval"}),
        subject_type="policy_change",
        clock_start="知晓法律、法规、规章或政策调整",
        send_within=PROMPTLY,
        reply="确认收到",
        reply_within=NONE,
        transitions=(_send("告知"), _answer("acknowledge", "确认收到", ACKNOWLEDGED)),
    ),
    DispatchRule(
        kind="opinion_request",
        name="征求意见",
        article="第八条第四款",
        sender_roles=frozenset({"competent"}),
        addressee_roles=frozenset({"approval"}),
        subject_type="policy_change",
        clock_start="起草涉及清单内容的法规、规章或规范性文件",
        send_within=NONE,
        reply="反馈意见",
        reply_within=NONE,
        transitions=(_send("发送"), _answer("reply", "反馈意见", CLOSED)),
    ),
    DispatchRule(
        kind="sheet_handover",
        name="实施清单和推送清单移交",
        article="第八条第一款",
        sender_roles=frozenset({"competent"}),
        addressee_roles=frozenset({"approval"}),
        subject_type="sheet_handover",
        clock_start="主管部门制作完成实施清单和推送清单",
        send_within=NONE,
        reply="确认接收",
        reply_within=NONE,
        transitions=(_send("移交"), _answer("acknowledge", "确认接收", ACKNOWLEDGED)),
    ),
    DispatchRule(
        kind="key_element_consent",
        name="关键要素调整征求同意",
        article="第八条第二款",
        sender_roles=frozenset({"approval"}),
        addressee_roles=frozenset({"competent"}),
        subject_type="sheet_change",
        clock_start="拟调整清单关键要素（调整前）",
        send_within=NONE,
        reply="同意或不同意",
        reply_within=NONE,
        transitions=(
            _send("发送"),
            _answer("consent", "同意", CONSENTED, role=HEAD),
            _answer("refuse", "不同意", REFUSED, needs_reason=True, role=HEAD),
        ),
    ),
    DispatchRule(
        kind="pool_update",
        name="专家和中介机构信息调整函告",
        article="第十一条",
        sender_roles=frozenset({"competent"}),
        addressee_roles=frozenset({"approval"}),
        subject_type="pool_update",
        clock_start="专家或中介机构信息调整",
        send_within=PROMPTLY,
        reply="确认收到",
        reply_within=NONE,
        transitions=(_send("函告"), _answer("acknowledge", "确认收到", ACKNOWLEDGED)),
    ),
    # Art. 9, 10, 12, 13 and 21: consultations, requests for help, and the oversight report
    # (app.services.cooperation). The regulation sets no countable limits for any of them.
    *(
        DispatchRule(
            kind=kind, name=name, article=article, sender_roles=frozenset(senders),
            addressee_roles=frozenset(addressees), subject_type=subject, clock_start=start,
            send_within=NONE, reply=reply, reply_within=NONE,
            transitions=(_send(send_label), _answer(action, label, target, needs_reason=reason)),
        )
        for kind, name, article, senders, addressees, subject, start, reply, send_label, action, label,
        target, reason in (
            ("consultation", "会商", "第九条", _PARTIES, _PARTIES, "consultation", "需要会商（函告或工作会议）",
             "复函或参加会议并反馈意见", "发出", "reply", "反馈意见", CLOSED, True),
            ("consultation_minutes", "会商纪要", "第九条", _PARTIES, _PARTIES, "consultation",
             "会商结束（会议纪要、会商结果）", "确认收到", "送达", "acknowledge", "确认收到", ACKNOWLEDGED, False),
            ("technical_support", "商请技术支持", "第十条", {"approval"}, {"competent"}, "support_request",
             "审批中确需技术支持（听证、检验、鉴定、专家评审、踏勘等）", "予以协助，在能力范围内提供人力和智力支持",
             "商请", "reply", "反馈意见", CLOSED, True),
            ("training_request", "商请业务培训", "第十二条", {"approval"}, {"competent"}, "support_request",
             "因业务需要商请业务培训", "在不影响本部门正常工作前提下予以协助", "商请", "reply", "反馈意见",
             CLOSED, True),
            ("field_guidance", "商请现场指导", "第十二条", {"approval"}, {"competent"}, "support_request",
             "因业务需要商请现场指导", "在不影响本部门正常工作前提下予以协助", "商请", "reply", "反馈意见",
             CLOSED, True),
            ("certificate_stock", "商请协助申领制式证照", "第十三条", {"approval"}, {"competent"},
             "support_request", "制式证照需上级部门提供、独立申领遇到障碍", "协助申领",
             "商请", "reply", "反馈意见", CLOSED, True),
            ("oversight_report", "审管衔接情况报送", "第二十一条", _PARTIES, {"oversight"}, "oversight_report",
             "定期报送（推送、签收、处罚推送、移送的时限数据，不含申请人信息）", "确认收到", "报送",
             "acknowledge", "确认收到", ACKNOWLEDGED, False),
        )
    ),
)

_BY_KIND = {r.kind: r for r in RULES}


def rule(kind: str) -> DispatchRule:
    try:
        return _BY_KIND[kind]
    except KeyError:
        raise KeyError(f"unknown dispatch kind {kind!r}") from None


APPROVAL_PUSH = rule("approval_push")
