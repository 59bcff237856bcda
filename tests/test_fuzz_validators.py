"""Fuzz every validator entry point: random Unicode, lookalikes, controls, huge strings, dates.

Each call either accepts (the stored text is normalised) or raises ValidationError with a
non-empty Chinese message naming the field — never another exception — and a refusal leaves
the database unchanged. One table lists the entry points: (name, call, field, label, strategy).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import (
    Agency,
    ApprovalResult,
    CatalogueEntry,
    Consultation,
    Dispatch,
    Expert,
    LiaisonOfficer,
    Office,
    PenaltyDecision,
    PolicyChange,
    Referral,
)
from app.services import liaison, offices, pools, results, textinput
from app.services.catalogue import versions
from app.services.cooperation import requests
from app.services.enforcement import penalties, referrals
from app.services.errors import ValidationError
from app.services.ids import classify_applicant_id
from app.services.sheets import notices
from tests.conftest import a_result_input, valid_resident_id, valid_uscc
from tests.fuzzing import fuzz_settings

TRICKY = ("аеорсхАВЕКМНОРСТХ"  # Cyrillic lookalikes
          "αβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΧ"  # Greek
          "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width
          "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"  # bidi
          "\x00\x01\x07\x08\x1b\x7f\x85\t\n\r\x0b\x0c"  # controls
          " \u3000\u00a0\u2028\u2029"  # spaces
          "ＡＢＣａｂｃ０１２３（）－"  # full-width
          "𠮷𡈽𤭢𝐀𝟏①™ﬁ"  # astral, styled
          "营口市行政审批局张伟李明有限公司ABCXYZabc0123456789-_.")
tricky = st.text(alphabet=TRICKY, max_size=40)
anything = st.text(max_size=60)
huge = st.builds(lambda c, n: c * n, st.sampled_from(["长", "𠮷", " ", "a", "\u200b"]),
                 st.integers(200, 25_000))
blank = st.text(alphabet=" \t\n\r\u3000\u00a0\u2028", max_size=8)
TEXT = st.one_of(tricky, anything, huge, blank, st.sampled_from(["营口市海兴建筑有限公司", "Li Ming"]))
PHONE = st.one_of(TEXT, st.from_regex(r"[+(（]?[0-9０-９ ()（）+-]{0,16}", fullmatch=True),
                  st.sampled_from(["13904171234", "0417-1234567", "(0417)1234567", "+86 139 0417 1234"]))
IDS = st.one_of(TEXT, st.from_regex(r"[0-9A-Z０-９Ｘ ]{16,19}", fullmatch=True),
                st.sampled_from([valid_uscc(), valid_resident_id(), valid_uscc()[:17] + "0"]))
CODE = st.one_of(TEXT, st.from_regex(r"[A-Za-z0-9Ａ-Ｚ０-９_.\- ]{0,70}", fullmatch=True))
DATE_TEXT = st.one_of(TEXT, st.dates().map(str),
                      st.from_regex(r"-?\d{1,5}[-/.年]\d{1,3}[-/.月]\d{1,3}日?", fullmatch=True))


def _result(s, c, field, v):
    return results.validate(s, a_result_input(**{field: v}))[field]


def _pool(kind, key):
    base = {"name": "张伟"} if kind is pools.EXPERT else {"name": "某机构", "credit_code": valid_uscc()}
    return lambda s, c, v: s.get(kind.model, pools.add(s, kind, {**base, key: v}))


def _entry(field):
    def call(s, c, v):
        n = c.draft
        old = {e.code for e in versions.get_version(s, n).entries}
        values = {"code": "ZJ-009", "name": "建设工程消防设计审查", "category": "", "competent": "YK-ZJJ",
                  "level": "city", field: v}
        versions.add_entry(s, n, **values)
        return next(e for e in versions.get_version(s, n).entries if e.code not in old)
    return call


def _penalty(field):
    def call(s, c, v):
        data = penalties.PenaltyInput(decision_number="营住建罚〔2026〕1号", decided_on=date(2026, 11, 24),
                                      measure="revoke", facts="未按规定施工", legal_basis="《建筑法》",
                                      licence="2108002026", item="ZJ-001", holder="某公司")
        setattr(data, field, v)
        return penalties.record(s, data, office=c.housing, operator="张伟", to=c.approval, push=False)
    return call


def _referral(s, c, field, v):
    kw = {"party_name": "某公司", "case_summary": "无证经营", "evidence": ["现场笔录"],
          "found_on": date(2026, 11, 24), field: v}
    return referrals.refer(s, office=c.housing, to=c.market, operator="张伟", **kw)


def _consult(s, c, field, v):
    kw = {"topic": "联合检查", "agenda": "议程", field: v}
    return requests.send_consultation(s, office=c.approval, operator="王芳", mode="meeting",
                                      to=[c.housing], **kw)


def _notice(s, c, field, v):
    kw = {"title": "政策调整", "content": "内容", "basis": "文件", field: v}
    return notices.send(s, "notice", office=c.housing, operator="张伟", to=c.approval, **kw)


# (name, call(session, city, value) -> stored object or value, field, label in the message,
#  strategy, attribute of the stored object holding the value or None)
ENTRY_POINTS = [
    *[(f"results.{f}", lambda s, c, v, f=f: _result(s, c, f, v), key, label, strat, None)
      for f, key, label, strat in [
          ("item_code", "item", "许可事项", CODE), ("applicant_name", "applicant_name", "申请人名称", TEXT),
          ("applicant_id", "applicant_id", "号码|代码", IDS), ("contact_name", "contact_name", "联系人", TEXT),
          ("contact_phone", "contact_phone", "电话", PHONE), ("result", "result", "审批结果", TEXT),
          ("licence_number", "licence_number", "证照编号", TEXT), ("materials", "materials", "申请材料", TEXT)]
      if f != "item_code"],
    ("results.item", lambda s, c, v: results.validate(s, a_result_input(item_code=v))["item"].code,
     "item", "许可事项", CODE, None),
    ("results.decided_on", lambda s, c, v: _result(s, c, "decided_on", v), "decided_on", "日期",
     st.dates(), None),
    *[(f"offices.{k}", lambda s, c, v, i=i: offices.validate_office_fields(
        *[v if j == i else d for j, d in enumerate(("YK-NEW", "营口市某局", "competent", "市本级"))])[i],
       k, label, CODE if k == "code" else TEXT, None)
      for i, (k, label) in enumerate([("code", "单位代码"), ("name", "单位名称"), (None, None),
                                      ("jurisdiction", "行政区域")]) if k],
    ("liaison.name", lambda s, c, v: s.get(LiaisonOfficer, liaison.add(s, c.housing, v, "13904171234")),
     "name", "联络员姓名", TEXT, "name"),
    ("liaison.phone", lambda s, c, v: s.get(LiaisonOfficer, liaison.add(s, c.housing, "张伟", v)),
     "phone", "电话", PHONE, "phone"),
    ("liaison.duties", lambda s, c, v: s.get(LiaisonOfficer, liaison.add(s, c.housing, "张伟",
                                                                         "13904171234", v)),
     "duties", "工作职责", TEXT, "duties"),
    ("experts.name", _pool(pools.EXPERT, "name"), "name", "姓名", TEXT, "name"),
    ("experts.phone", _pool(pools.EXPERT, "phone"), "phone", "联系电话", PHONE, "phone"),
    ("experts.note", _pool(pools.EXPERT, "note"), "note", "备注", TEXT, "note"),
    ("experts.valid_until", _pool(pools.EXPERT, "valid_until"), "valid_until", "有效期", DATE_TEXT, None),
    ("agencies.credit_code", _pool(pools.AGENCY, "credit_code"), "credit_code", "统一社会信用代码", IDS,
     "credit_code"),
    ("agencies.contact_name", _pool(pools.AGENCY, "contact_name"), "contact_name", "联系人", TEXT,
     "contact_name"),
    ("catalogue.code", _entry("code"), "code", "事项编码", CODE, "code"),
    ("catalogue.name", _entry("name"), "name", "事项名称", TEXT, "name"),
    ("catalogue.category", _entry("category"), "category", "事项类别", TEXT, "category"),
    *[(f"penalties.{f}", _penalty(f), f, label, TEXT, attr) for f, label, attr in [
        ("decision_number", "文号", "decision_number"), ("facts", "违法事实", "facts"),
        ("legal_basis", "依据", "legal_basis"), ("licence", "许可证号", None), ("holder", "持证人", None)]],
    *[(f"referrals.{f}", lambda s, c, v, f=f: _referral(s, c, f, v), f, label, TEXT, f)
      for f, label in [("party_name", "当事人"), ("case_summary", "违法线索")]],
    ("referrals.evidence", lambda s, c, v: _referral(s, c, "evidence", v), "evidence", "材料清单", TEXT,
     None),
    *[(f"consultations.{f}", lambda s, c, v, f=f: _consult(s, c, f, v), f, label, TEXT, f)
      for f, label in [("topic", "会商事项"), ("agenda", "议程"), ("participants", "参加人员")]],
    *[(f"notices.{f}", lambda s, c, v, f=f: _notice(s, c, f, v), f, label, TEXT, f)
      for f, label in [("title", "标题"), ("content", "内容"), ("basis", "依据")]],
    ("textinput.parse_date", lambda s, c, v: textinput.parse_date(v, "day", "日期"), "day", "日期",
     DATE_TEXT, None),
    ("ids.applicant_id", lambda s, c, v: classify_applicant_id(v)[1], "applicant_id", "号码|代码", IDS, None),
]

TABLES = (ApprovalResult, Dispatch, Expert, Agency, LiaisonOfficer, CatalogueEntry, PenaltyDecision,
          Referral, Consultation, PolicyChange, Office)


def _counts(session) -> tuple:
    return tuple(session.scalar(select(func.count()).select_from(t)) for t in TABLES)


def _is_normalised(value: str) -> bool:
    bad = textinput.ZERO_WIDTH | textinput.BIDI
    return (value == value.strip() and unicodedata.is_normalized("NFC", value)
            and not any(c in bad or (unicodedata.category(c) == "Cc" and c != "\n") for c in value))


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=[e[0] for e in ENTRY_POINTS])
def test_validator_accepts_clean_or_refuses_clearly(session, city, frozen, entry):
    name, call, field, label, strategy, attr = entry
    if name.startswith("catalogue."):
        city.draft = versions.create_draft(session, city.oversight, "营口市相对集中行政许可事项清单", "items")
    before = _counts(session)

    @fuzz_settings(25)
    @given(value=strategy)
    def run(value):
        savepoint = session.begin_nested()
        try:
            try:
                stored = call(session, city, value)
            except ValidationError as exc:
                assert exc.message and _has_chinese(exc.message), (value, exc.message)
                assert exc.field == field, (value, exc.field, exc.message)
                assert re.search(label, exc.message), (value, exc.message)
                assert _counts(session) == before, (value, exc.message)
                return
            stored = getattr(stored, attr) if attr else stored
            if isinstance(stored, str):
                assert _is_normalised(stored), (value, stored)
        finally:
            savepoint.rollback()

    run()
