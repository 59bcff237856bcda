"""Static texts of the demo city's lists and flows (issue 5/6 content): catalogue changes,
implementation sheet fields, pools, notices, penalties, referrals and requests.

Kept apart from :mod:`app.services.demo_flows`, which plays them through the services. All
people, companies and document numbers are invented.
"""

from __future__ import annotations

CATALOGUE_V1 = "营口市相对集中行政许可事项清单（2025年版）"
CATALOGUE_V2 = "营口市相对集中行政许可事项清单（2027年版，征求意见稿）"
CATALOGUE_APPROVAL = "营政发〔2024〕31号"
CATALOGUE_FILED_WITH = "辽宁省人民政府"
# The 2027 draft: one item renamed, one added, one taken out (given back to its department).
V2_RENAME = ("SJ-002", "食品生产许可（含食品添加剂生产许可）")
V2_ADD = ("YJ-004", "烟花爆竹经营（批发）许可", "YK-YJJ", "市本级")
V2_REMOVE = "NY-004"

SHEET_ITEMS = ("ZJ-001", "SJ-001", "WJ-001", "JT-001")  # items whose sheets are handed over


def sheet_fields(name: str, office: str, days: int) -> dict[str, str]:
    """The twelve implementation fields of an item (Art. 8 ¶1), in the offices' usual wording."""
    return {
        "legal_basis": f"《中华人民共和国行政许可法》；{name}相关法律、行政法规及部门规章",
        "applicants": "在本市行政区域内依法登记的法人、其他组织或者个人",
        "scope": f"{name}的受理、审查、决定和证照发放",
        "time_limit": f"法定办结时限20个工作日，承诺办结时限{days}个工作日",
        "conditions": "具备法律法规规定的场所、设施、人员和管理制度等条件",
        "materials": "申请书；申请人主体资格证明；场所和设施证明材料；管理制度文本；法律法规规定的其他材料",
        "special_steps": "现场核查（不计入办结时限）；依法需要专家评审的，时间不计入办结时限",
        "review_standard": "书面审查与现场核查相结合，按照国家和省规定的审查标准逐项核对",
        "procedure": "申请—受理—审查—决定—送达，全程网上办理，一窗受理、集成服务",
        "duties": "受理责任、审查责任、决定责任、送达责任、事后监管衔接责任",
        "accountability": "对符合条件不予受理、不予许可或者对不符合条件准予许可的，依法追究责任",
        "planning": f"按照{office}行业发展规划执行，无数量控制",
    }


PUSH_FIELDS = "事项名称、申请人、联系人、申请材料、审批结果"
CONSENT_PENDING = ("ZJ-001", "time_limit", "法定办结时限20个工作日，承诺办结时限5个工作日",
                   "推行告知承诺制后，承诺时限由7个工作日压缩至5个工作日。")
CONSENT_AGREED = ("SJ-001", "materials",
                  "申请书；营业执照；经营场所平面布局图；主要设备设施清单；食品安全管理制度文本",
                  "按照新修订的审查细则精简申请材料。")

# (name, specialty, title, employer, qualification, recommending office, valid days from today)
EXPERTS = (
    ("韩立群", "建筑结构", "正高级工程师", "营口市建筑设计院有限公司", "一级注册结构工程师", "YK-ZJJ", 800),
    ("邱海燕", "食品安全", "高级工程师", "营口市食品检验检测中心", "食品检验员（高级）", "YK-SJJ", 500),
    ("曹文斌", "公共卫生", "主任医师", "营口市疾病预防控制中心", "公共卫生执业医师", "YK-WJW", 20),
    ("程晓东", "道路运输安全", "高级工程师", "营口市交通规划设计院", "安全评价师（一级）", "YK-JTJ", -30),
    ("陆佳怡", "环境影响评价", "高级工程师", "营口市环境科学研究所", "环境影响评价工程师", "YK-HJJ", 650),
)
# (name, credit code body (17), scope, qualification, contact, valid days from today)
AGENCIES = (
    ("营口正衡建设工程检测有限公司", "91210800MA0Y7K3L2", "建设工程质量检测", "建设工程质量检测机构资质", "邹明", 400),
    ("营口安达安全评价有限公司", "91210800MA0Y2P8Q6", "安全评价、安全生产检测检验", "安全评价机构资质（乙级）", "常玉",
     25),
    ("辽宁绿源环境咨询有限公司", "91210800MA0X9R4T1", "环境影响评价报告编制", "环评报告编制能力评价", "方志刚", -45),
)

POLICY_NOTICE = ("建筑业企业资质标准调整", "自2026年12月1日起，施工劳务企业资质改为备案管理，不再核发资质证书。",
                 "建市规〔2026〕8号")
OPINION_REQUEST = ("《营口市食品经营许可审查细则（征求意见稿）》", "请于收到后10个工作日内反馈书面意见。")

# (office, measure, decision number, facts, legal basis)
PENALTIES = (
    ("YK-ZJJ", "revoke", "营住建罚〔2026〕27号", "以提供虚假材料的欺骗手段取得建筑工程施工许可证。",
     "《建筑工程施工许可管理办法》第十三条"),
    ("YK-ZFJ", "amend", "营综执罚〔2026〕112号", "擅自改变经营场所平面布局，与许可登记内容不符。",
     "《食品经营许可和备案管理办法》第五十条"),
)
LICENCE_DECISION = ("营审批撤〔2026〕4号", "撤销该建筑工程施工许可证，收回证书正副本。")

# (from, to, party, summary, evidence lines)
REFERRALS = (
    ("YK-ZJJ", "YK-SJJ", "营口鑫盛餐饮管理有限公司", "检查工地时发现施工现场食堂无食品经营许可证从事餐饮服务。",
     "现场检查笔录（2页）\n现场照片8张\n询问笔录（3页）"),
    ("YK-SJJ", "YK-WJW", "营口市站前区康乐洗浴中心", "检查中发现其公共场所卫生许可证已过期仍在经营。",
     "现场检查笔录（1页）\n营业场所照片5张"),
    ("YK-ZFJ", "YK-YJJ", "营口恒通化工物资有限公司", "巡查发现其仓库存放危险化学品，疑似未取得经营许可。",
     "巡查记录（1页）\n仓库照片12张\n货物出入库单复印件（4页）"),
)
CASE_NUMBER, CASE_RESULT = "营市监立〔2026〕58号", "责令停止经营，没收违法所得并处罚款人民币二万元。"
DECLINE_REASON = "该洗浴中心卫生许可已于上月依法注销，现由市场监管部门按无照经营查处，不属于本部门职责。"
