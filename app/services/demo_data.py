"""The demo city 营口: static tables (jurisdictions, offices, items, names) and the makers of
realistic applicants, ID numbers, phone numbers and licence numbers.

Kept apart from :mod:`app.services.demo` so the workflow generator stays readable. All
people and companies are invented; the office and item names follow the real ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.services.ids import is_valid_resident_id, resident_id_check_char, uscc_check_char


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# (name, administrative division code, level) — Art. 2: 市本级 and each 县（市）区.
JURISDICTIONS: tuple[tuple[str, str, str], ...] = (
    ("市本级", "210800", "city"),
    ("站前区", "210802", "county"),
    ("西市区", "210803", "county"),
    ("鲅鱼圈区", "210804", "county"),
    ("老边区", "210811", "county"),
    ("盖州市", "210881", "county"),
    ("大石桥市", "210882", "county"),
)
COUNTIES: tuple[tuple[str, str], ...] = tuple((n, c) for n, c, lvl in JURISDICTIONS if lvl == "county")

APPROVAL = "YK-SPJ"
ENFORCEMENT = "YK-ZFJ"
OVERSIGHT = "YK-YSJ"


@dataclass(frozen=True)
class DemoOffice:
    code: str
    name: str
    role: str
    operators: tuple[str, ...]  # desk clerks who sign events; the first is the liaison officer


OFFICES: tuple[DemoOffice, ...] = (
    DemoOffice(APPROVAL, "营口市行政审批局", "approval", ("王芳", "刘晓燕", "陈立新", "孙丽娜")),
    DemoOffice("YK-ZJJ", "营口市住房和城乡建设局", "competent", ("赵强", "于海波")),
    DemoOffice("YK-SJJ", "营口市市场监督管理局", "competent", ("李静", "张国庆", "高雪")),
    DemoOffice("YK-WJW", "营口市卫生健康委员会", "competent", ("周红梅", "吴昊")),
    DemoOffice("YK-JTJ", "营口市交通运输局", "competent", ("郑伟", "马骏")),
    DemoOffice("YK-HJJ", "营口市生态环境局", "competent", ("杨帆", "徐丽")),
    DemoOffice("YK-ZRJ", "营口市自然资源局", "competent", ("何建军", "曲婷婷")),
    DemoOffice("YK-NYJ", "营口市农业农村局", "competent", ("宋国富", "韩冰")),
    DemoOffice("YK-WLJ", "营口市文化旅游和广播电视局", "competent", ("林晓", "董明轩")),
    DemoOffice("YK-YJJ", "营口市应急管理局", "competent", ("冯刚", "姜雨")),
    DemoOffice("YK-SLJ", "营口市水利局", "competent", ("白志勇", "邵佳")),
    DemoOffice(ENFORCEMENT, "营口市综合行政执法局", "enforcement", ("崔振东", "潘悦")),
    DemoOffice(OVERSIGHT, "营口市营商环境建设局", "oversight", ("田秀兰", "蒋晨")),
)

LIAISON_DUTIES = "审管平台数据维护；审批结果等信息、文件的推送、接收、流转和反馈（第十六条）"

# Departments an item is easily pushed to by mistake (the Art. 17 return case).
CONFUSABLE: dict[str, str] = {
    "YK-ZJJ": "YK-ZRJ", "YK-ZRJ": "YK-ZJJ", "YK-SJJ": "YK-WJW", "YK-WJW": "YK-SJJ",
    "YK-JTJ": "YK-YJJ", "YK-YJJ": "YK-SJJ", "YK-HJJ": "YK-SLJ", "YK-SLJ": "YK-HJJ",
    "YK-NYJ": "YK-SJJ", "YK-WLJ": "YK-SJJ",
}

COMPANY, PERSON, SOLE = "company", "person", "sole"  # 企业, 自然人, 个体工商户


@dataclass(frozen=True)
class DemoItem:
    code: str
    name: str
    office: str  # competent office code
    weight: int  # relative yearly volume
    applicants: tuple[str, ...]  # which kinds of applicant apply
    trades: tuple[str, ...]  # company name endings
    licence: str  # the licence document's name
    number: str  # licence number template
    materials: tuple[str, ...]


def _i(code, name, office, weight, applicants, trades, licence, number, materials) -> DemoItem:
    return DemoItem(code, name, office, weight, tuple(applicants.split()), tuple(trades.split()),
                    licence, number, tuple(materials.split("；")))


_BASE = "申请书；营业执照；法定代表人身份证明"
ITEMS: tuple[DemoItem, ...] = (
    _i("ZJ-001", "建筑工程施工许可证核发", "YK-ZJJ", 60, "company", "建筑工程有限公司 建设集团有限公司 房地产开发有限公司",
       "建筑工程施工许可证", "{area}{ymd}{n2:02d}01",
       "建筑工程施工许可申请表；建设工程规划许可证；施工合同；施工图审查合格书；质量安全监督手续"),
    _i("ZJ-002", "商品房预售许可", "YK-ZJJ", 18, "company", "房地产开发有限公司 置业有限公司",
       "商品房预售许可证", "营房预字〔{year}〕第{n:03d}号",
       "商品房预售许可申请表；国有土地使用证；建设工程规划许可证；施工许可证；预售方案"),
    _i("ZJ-003", "房地产开发企业资质核定", "YK-ZJJ", 10, "company", "房地产开发有限公司 置业有限公司",
       "房地产开发企业资质证书", "营建房开{year}{n:04d}", f"{_BASE}；专业技术人员职称证书；工程质量保证书"),
    _i("ZJ-004", "燃气经营许可证核发", "YK-ZJJ", 6, "company", "燃气有限公司 能源有限公司",
       "燃气经营许可证", "辽{year}0800{n:04d}G", f"{_BASE}；燃气设施竣工验收文件；安全评价报告；应急预案"),
    _i("ZJ-005", "城镇污水排入排水管网许可", "YK-ZJJ", 14, "company sole",
       "酒店管理有限公司 食品有限公司 洗涤服务有限公司 洗浴中心 饭店 洗车行",
       "城镇污水排入排水管网许可证", "营排字第{year}{n:04d}号", "排水许可申请表；排水户内部排水管网竣工图；水质检测报告"),
    _i("SJ-001", "食品经营许可", "YK-SJJ", 260, "company sole",
       "餐饮管理有限公司 商贸有限公司 超市有限公司 饺子馆 烧烤店 便利店 小吃部 面馆 海鲜大排档",
       "食品经营许可证", "JY{jy}", "食品经营许可申请书；营业执照；法定代表人（负责人）身份证明；经营场所平面图；食品安全管理制度"),
    _i("SJ-002", "食品生产许可", "YK-SJJ", 30, "company", "食品有限公司 水产食品有限公司 酿造有限公司",
       "食品生产许可证", "SC{sc}", f"{_BASE}；生产场所平面图；工艺流程图；设备布局图；食品安全管理制度"),
    _i("SJ-003", "药品零售企业经营许可", "YK-SJJ", 40, "company", "大药房有限公司 医药连锁有限公司",
       "药品经营许可证", "辽CB417{n:04d}", f"{_BASE}；执业药师注册证；营业场所及仓库平面图；质量管理文件"),
    _i("SJ-004", "特种设备生产单位许可", "YK-SJJ", 8, "company", "机电设备安装有限公司 电梯工程有限公司",
       "特种设备生产许可证", "TS3321{area}-{year}", f"{_BASE}；质量保证体系文件；技术人员资格证书"),
    _i("SJ-005", "重要工业产品生产许可证核发", "YK-SJJ", 6, "company", "镁业有限公司 耐火材料有限公司 化工有限公司",
       "工业产品生产许可证", "(辽)XK13-{n:03d}-{n2:05d}", f"{_BASE}；产品检验报告；生产设备清单"),
    _i("WJ-001", "公共场所卫生许可", "YK-WJW", 120, "company sole", "酒店管理有限公司 洗浴有限公司 美容美发店 宾馆",
       "公共场所卫生许可证", "营卫公字〔{year}〕第{n:04d}号",
       "公共场所卫生许可申请表；营业执照；卫生检测报告；从业人员健康合格证明；卫生管理制度"),
    _i("WJ-002", "医疗机构执业登记", "YK-WJW", 24, "company person", "门诊部有限公司 口腔门诊有限公司 医院有限公司",
       "医疗机构执业许可证", "PDY{n:05d}-{area}1{n2:02d}D2152", "执业登记申请书；设置批准文件；房屋产权证明；医务人员执业证书；规章制度"),
    _i("WJ-003", "饮用水供水单位卫生许可", "YK-WJW", 8, "company", "供水有限公司 纯净水有限公司",
       "卫生许可证", "营卫水字〔{year}〕第{n:03d}号", f"{_BASE}；水质检验报告；供水设施平面图；从业人员健康证明"),
    _i("WJ-004", "放射诊疗许可", "YK-WJW", 6, "company", "医院有限公司 门诊部有限公司",
       "放射诊疗许可证", "辽营卫放证字〔{year}〕第{n:03d}号", "放射诊疗许可申请表；放射诊疗设备清单；职业病危害控制效果评价报告；放射工作人员资质"),
    _i("WJ-005", "母婴保健技术服务执业许可", "YK-WJW", 4, "company", "医院有限公司 妇产医院有限公司",
       "母婴保健技术服务执业许可证", "营母婴〔{year}〕{n:03d}号", "申请书；医疗机构执业许可证；专业技术人员资格证明"),
    _i("JT-001", "道路货物运输经营许可", "YK-JTJ", 110, "company person", "物流有限公司 运输有限公司 货运有限公司",
       "道路运输经营许可证", "辽交运管许可营字{area}{n:06d}号", "道路货物运输经营申请表；车辆行驶证；驾驶人员从业资格证；安全生产管理制度"),
    _i("JT-002", "道路旅客运输经营许可", "YK-JTJ", 8, "company", "客运有限公司 旅游客运有限公司",
       "道路运输经营许可证", "辽交运管许可营字{area}{n:06d}号", f"{_BASE}；客运车辆技术等级证明；驾驶人员从业资格证；安全生产管理制度"),
    _i("JT-003", "网络预约出租汽车经营许可", "YK-JTJ", 5, "company", "网约车科技有限公司 出行服务有限公司",
       "网络预约出租汽车经营许可证", "辽营网约{year}{n:03d}", f"{_BASE}；线上服务能力认定结果；服务质量承诺书"),
    _i("JT-004", "公路超限运输许可", "YK-JTJ", 20, "company", "物流有限公司 大件运输有限公司 重型机械有限公司",
       "超限运输车辆通行证", "辽超{year}{n:05d}", "超限运输申请表；车辆行驶证；货物说明；护送方案"),
    _i("HJ-001", "排污许可", "YK-HJJ", 45, "company", "化工有限公司 镁业有限公司 钢铁有限公司 热电有限公司",
       "排污许可证", "{uscc}001V", "排污许可证申请表；自行监测方案；守法承诺书；污染防治设施说明"),
    _i("HJ-002", "建设项目环境影响评价文件审批", "YK-HJJ", 30, "company", "化工有限公司 港务有限公司 新材料有限公司",
       "环境影响评价批复", "营环审〔{year}〕{n:02d}号", "环境影响报告书（表）；项目备案文件；公众参与说明"),
    _i("HJ-003", "危险废物经营许可", "YK-HJJ", 3, "company", "环保科技有限公司 再生资源有限公司",
       "危险废物经营许可证", "营危废{year}{n:03d}", f"{_BASE}；环评批复；处置设施说明；应急预案"),
    _i("ZR-001", "建设用地规划许可证核发", "YK-ZRJ", 25, "company", "房地产开发有限公司 投资有限公司 实业有限公司",
       "建设用地规划许可证", "地字第{area}{year}{n:05d}号", "建设用地规划许可申请表；土地出让合同；规划条件；地形图"),
    _i("ZR-002", "建设工程规划许可证核发", "YK-ZRJ", 40, "company", "房地产开发有限公司 置业有限公司 实业有限公司",
       "建设工程规划许可证", "建字第{area}{year}{n:05d}号", "建设工程规划许可申请表；建设用地规划许可证；设计方案；不动产权证"),
    _i("ZR-003", "乡村建设规划许可证核发", "YK-ZRJ", 30, "person", "",
       "乡村建设规划许可证", "乡字第{area}{year}{n:05d}号", "乡村建设规划许可申请表；宅基地使用证明；村民委员会意见；建筑设计图"),
    _i("ZR-004", "临时用地审批", "YK-ZRJ", 8, "company", "建设集团有限公司 港务有限公司 电力工程有限公司",
       "临时用地批复", "营自然资临〔{year}〕{n:02d}号", "临时用地申请书；土地复垦方案；临时用地合同"),
    _i("NY-001", "农药经营许可", "YK-NYJ", 20, "company sole", "农资有限公司 农业科技有限公司 农资经销部",
       "农药经营许可证", "农药经许（辽）{area}{n:05d}", f"{_BASE}；经营场所及仓储场所证明；农药经营人员专业证明"),
    _i("NY-002", "兽药经营许可证核发", "YK-NYJ", 10, "company sole", "兽药有限公司 动物保健品经销部",
       "兽药经营许可证", "（{year}）兽药经营证字{area}{n:04d}号", f"{_BASE}；质量管理文件；仓储设施证明"),
    _i("NY-003", "动物防疫条件合格证核发", "YK-NYJ", 14, "company person", "养殖有限公司 牧业有限公司 屠宰有限公司",
       "动物防疫条件合格证", "（营）动防合字第{n:06d}号", "动物防疫条件审查申请表；场所平面图；防疫管理制度"),
    _i("NY-004", "渔业捕捞许可证核发", "YK-NYJ", 25, "person company", "水产有限公司 渔业有限公司",
       "渔业捕捞许可证", "（辽营）船捕（{year}）HY-{n:06d}号", "渔业捕捞许可证申请书；渔业船舶检验证书；渔业船舶国籍证书；船员证书"),
    _i("WL-001", "娱乐场所经营许可", "YK-WLJ", 12, "company sole", "文化娱乐有限公司 KTV有限公司 歌厅 游艺厅",
       "娱乐经营许可证", "{area}{year}{n:04d}", f"{_BASE}；经营场所平面图；消防安全检查合格证明"),
    _i("WL-002", "互联网上网服务营业场所经营单位设立审批", "YK-WLJ", 6, "company", "网络科技有限公司 网咖有限公司",
       "网络文化经营许可证", "辽网文〔{year}〕{n:04d}-{n2:03d}号", f"{_BASE}；场所平面图；消防安全检查合格证明；计算机清单"),
    _i("WL-003", "营业性演出许可", "YK-WLJ", 15, "company", "文化传媒有限公司 演艺有限公司",
       "营业性演出准予许可决定书", "营文旅演〔{year}〕{n:03d}号", "演出申请表；演出节目内容；演员名单及身份证明；演出场所合同"),
    _i("WL-004", "旅行社业务经营许可", "YK-WLJ", 8, "company", "国际旅行社有限公司 旅行社有限公司",
       "旅行社业务经营许可证", "L-LN-{n:05d}", f"{_BASE}；经营场所证明；质量保证金存款证明"),
    _i("YJ-001", "危险化学品经营许可", "YK-YJJ", 22, "company", "化工有限公司 石油化工有限公司 燃气有限公司",
       "危险化学品经营许可证", "辽营危化经字〔{year}〕{n:06d}", f"{_BASE}；经营场所产权证明；安全管理制度；安全评价报告"),
    _i("YJ-002", "烟花爆竹经营（零售）许可", "YK-YJJ", 30, "sole company", "烟花爆竹经销部 商贸有限公司",
       "烟花爆竹经营（零售）许可证", "（辽营）YH〔{year}〕{n:05d}", "零售许可申请书；经营场所证明；安全管理制度；从业人员培训证明"),
    _i("YJ-003", "危险化学品建设项目安全条件审查", "YK-YJJ", 6, "company", "化工有限公司 新材料有限公司",
       "安全条件审查意见书", "营应急危化项目安条审字〔{year}〕{n:03d}号", "安全条件审查申请书；安全评价报告；项目备案文件"),
    _i("SL-001", "取水许可", "YK-SLJ", 12, "company", "供水有限公司 热电有限公司 水产养殖有限公司",
       "取水许可证", "D{area}S{year}-{n:04d}", "取水许可申请书；水资源论证报告；取水工程说明；计量设施说明"),
    _i("SL-002", "生产建设项目水土保持方案审批", "YK-SLJ", 15, "company", "建设集团有限公司 港务有限公司 新能源有限公司",
       "水土保持方案批复", "营水保〔{year}〕{n:03d}号", "水土保持方案报告书；项目立项文件；审查意见"),
    _i("SL-003", "河道管理范围内建设项目工程建设方案审批", "YK-SLJ", 5, "company", "市政工程有限公司 桥梁工程有限公司",
       "河道管理范围内建设项目审批意见", "营水河〔{year}〕{n:02d}号", "工程建设方案申请书；防洪评价报告；设计图纸"),
)

RESULT_KINDS: tuple[tuple[str, str, int], ...] = (  # (prefix, verb, weight)
    ("准予许可", "核发", 80), ("准予延续", "换发", 12), ("准予变更", "换发", 8),
)

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
            "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
            "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文关佟鞠")
MALE_GIVEN = _words("伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 华 飞 鑫 波 斌 宇 浩 凯 健 俊 帆 国庆 建国 志强 "
                    "海波 立新 振东 晓东 春雷 永胜 德才 玉林 长海 宏伟 文博 子轩 浩然 景辉 金宝 福贵 庆丰")
FEMALE_GIVEN = _words("芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 雪 慧 颖 琳 欣 梅 莉 红 洁 秀兰 桂英 玉兰 "
                      "丽娜 晓燕 春梅 海燕 淑华 雅琴 思雨 梦琪 欣怡 佳怡 婉婷 雨涵 凤霞")

BRANDS = _words("海兴 鑫源 恒信 宏达 金辉 辽滨 渤海 港城 辽河 华泰 盛达 永盛 天成 瑞丰 东方 新港 北方 兴隆 "
                "福源 嘉信 鼎盛 正大 通达 汇丰 佳和 益民 鸿运 百川 万隆 远航 望海 仙人岛 熊岳 营新 "
                "金沙 蓝湾 鲅鱼 亿达 宝顺 和美 德润 利民 诚信 顺安 海韵 安泰")

SOLE_SHOPS = _words("饺子馆 烧烤店 海鲜大排档 便利店 小吃部 面馆 水果超市 美容美发店 宾馆 农资经销部 "
                    "烟花爆竹经销部 熟食店 早餐店 药店 茶馆")

MOBILE_PREFIXES = _words("130 131 132 133 134 135 136 137 138 139 150 151 152 155 156 157 158 159 "
                         "166 175 176 177 180 181 182 183 185 186 187 188 189 191 198 199")

RETURN_REASON = "经核，该事项不属于本部门监管职责，应推送至{right}，予以退回。"

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code check
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_COUNTY_WEIGHTS = (35, 12, 10, 18, 7, 9, 9)  # 市本级 first, then COUNTIES in order


@dataclass(frozen=True)
class Applicant:
    name: str
    contact: str
    id_number: str  # 统一社会信用代码 or 居民身份证号码, with valid check characters
    area: str  # administrative division code of the registration / household
    phone: str


class PeopleMaker:
    """Invented applicants and document numbers, all drawn from one ``random.Random``."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.companies: dict[str, str] = {}  # a company keeps its code across applications
        self.serial: dict[tuple[str, int], int] = {}

    def applicant(self, item: DemoItem) -> Applicant:
        rng = self.rng
        county, area = rng.choices((("市本级", "210800"), *COUNTIES), _COUNTY_WEIGHTS)[0]
        prefix = "营口" if county == "市本级" else county if county.endswith("市") else f"营口市{county}"
        kind = rng.choice(item.applicants)
        person, male = self.person()
        if kind in (PERSON, SOLE) and county == "市本级":  # registered in a district
            county, area = rng.choice(COUNTIES)
            prefix = county if county.endswith("市") else f"营口市{county}"
        if kind == PERSON:
            return Applicant(person, person, self.resident_id(area, male), area, self.mobile())
        if kind == SOLE:
            shops = [t for t in item.trades if not t.endswith("公司")] or list(SOLE_SHOPS)
            name, code = f"{prefix}{person}{rng.choice(shops)}", self.uscc("2", area)
        else:
            trades = [t for t in item.trades if t.endswith("公司")] or ["商贸有限公司"]
            name = f"{prefix}{rng.choice(BRANDS)}{rng.choice(trades)}"
            code = self.companies.setdefault(name, self.uscc("1", area))
        phone = f"0417-{rng.randint(2, 8)}{rng.randrange(10**6):06d}" if rng.random() < 0.15 else self.mobile()
        return Applicant(name, person, code, area, phone)

    def person(self) -> tuple[str, bool]:
        male = self.rng.random() < 0.55
        return self.rng.choice(SURNAMES) + self.rng.choice(MALE_GIVEN if male else FEMALE_GIVEN), male

    def resident_id(self, area: str, male: bool) -> str:
        """居民身份证号码 (GB 11643): area, birth date (1955–2002), odd sequence for men."""
        born = date(1955, 1, 1) + timedelta(days=self.rng.randint(0, 17_500))
        body = f"{area}{born:%Y%m%d}{self.rng.randrange(1 if male else 2, 1000, 2):03d}"
        return body + resident_id_check_char(body)

    def uscc(self, kind: str, area: str) -> str:
        """统一社会信用代码: 9 (市场监管) + 1 企业 / 2 个体工商户 + area + organisation code."""
        rng = self.rng
        while True:
            if rng.random() < 0.6:  # codes issued since 2015 start with MA
                org = "MA" + rng.choice("01") + "".join(rng.choice(_ORG_CHARS) for _ in range(5))
            else:
                org = "".join(rng.choice("0123456789") for _ in range(8))
            check = 11 - sum(int(c, 36) * w for c, w in zip(org, _ORG_WEIGHTS, strict=True)) % 11
            body = f"9{kind}{area}{org}{'X' if check == 10 else '0' if check == 11 else check}"
            code = body + uscc_check_char(body)
            if not is_valid_resident_id(code):  # an all-digit code could pass as an ID card
                return code

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def result_text(self, item: DemoItem) -> str:
        prefix, verb = self.rng.choices([(p, v) for p, v, _ in RESULT_KINDS],
                                        [w for *_, w in RESULT_KINDS])[0]
        if item.licence.endswith(("批复", "意见书", "决定书", "审批意见")):
            prefix, verb = "准予许可", "出具"
        return f"{prefix}，{verb}《{item.licence}》"

    def licence_number(self, item: DemoItem, day: date, area: str, applicant_id: str) -> str:
        rng = self.rng
        key = (item.code, day.year)
        n = self.serial[key] = self.serial.get(key, rng.randint(1, 60)) + 1
        return item.number.format(
            area=area, year=day.year, ymd=f"{day:%Y%m%d}", n=n, n2=rng.randint(1, 99),
            jy=f"{rng.choice('12')}{area}{n:06d}{rng.randrange(10)}",
            sc=f"{rng.choice(('101', '103', '111', '122', '124'))}{area}{n:04d}{rng.randrange(10)}",
            uscc=applicant_id,
        )
