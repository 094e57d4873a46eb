"""Word lists for believable fictional people: names, ethnic groups, birthplaces, phone numbers.

Surname weights follow the published frequency ranking (per mille, roughly), so a page of
names looks like a real roster: many 王, 李, 张, a few 欧阳. Given-name characters change with
the generation, as they do in real life (建国 and 秀英 are older, 梓涵 and 浩宇 younger).
"""

from __future__ import annotations

import random
from itertools import accumulate

_SURNAMES = (
    "王71 李70 张67 刘54 陈45 杨31 黄22 赵21 吴20 周19 徐15 孙15 马14 朱13 胡13 郭11 何11 高10 林10 罗9 "
    "郑8 梁8 谢7 宋7 唐7 许6 韩6 冯6 邓6 曹6 彭5 曾5 肖5 田5 董5 袁5 潘4 于4 蒋4 蔡4 余4 杜4 叶4 程4 "
    "苏4 魏4 吕4 丁4 任3 沈3 姚3 卢3 姜3 崔3 钟3 谭3 陆3 汪3 范3 金3 石3 廖3 贾3 夏3 韦3 付3 方3 "
    "白2 邹2 孟2 熊2 秦2 邱2 江2 尹2 薛2 闫2 段2 雷2 侯2 龙2 史2 陶2 黎2 贺2 顾2 毛2 郝2 龚2 邵2 万2 "
    "钱2 严1 覃1 武1 戴1 莫1 孔1 向1 汤1 常1 温1 康1 施1 文1 牛1 樊1 葛1 邢1 安1 齐1 易1 乔1 伍1 庞1 "
    "颜1 倪1 庄1 聂1 章1 鲁1 岳1 翟1 殷1 詹1 申1 欧1 耿1 关1 兰1 焦1 俞1 左1 柳1 甘1 祝1 包1 宁1 尚1"
)
SURNAMES: tuple[str, ...] = tuple(item.rstrip("0123456789") for item in _SURNAMES.split())
SURNAME_WEIGHTS: tuple[int, ...] = tuple(
    int(item[len(s) :]) for item, s in zip(_SURNAMES.split(), SURNAMES, strict=True)
)
# Two-character surnames are rare; they get a small weight of their own.
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "慕容", "东方")

# Given-name characters by (sex, generation): born before 1970, 1970–1989, 1990 and later.
_GIVEN = {
    ("M", 0): "国建华军明伟志平强忠德永庆兴福海林成文斌刚胜利卫东红新民春生荣跃光辉",
    ("M", 1): "伟强磊军勇杰涛斌超明刚辉鹏华飞波宇浩凯健俊峰亮东晨博立永新兵海龙阳林洋锋鑫",
    ("M", 2): "浩宇轩睿泽然逸航子博晨嘉皓昊天翔鑫凯俊哲铭宸宁帆旭阳林森远言煜诚",
    ("F", 0): "秀英兰凤玉珍桂芳淑华红梅丽萍霞琴云敏英慧芬素珠翠月娥爱静荣",
    ("F", 1): "芳娜敏静丽艳娟霞燕玲婷雪慧颖琳洁倩欣晶月红梅莉萍丹佳璐蓉媛琼",
    ("F", 2): "涵欣怡悦思雨琪婧蕾薇瑶妍馨梓若诗佳璐晴萱雯菲语彤可琳婉芸",
}

ETHNICITIES = (
    ("汉族", 925),
    ("回族", 18),
    ("满族", 16),
    ("蒙古族", 10),
    ("壮族", 8),
    ("土家族", 6),
    ("朝鲜族", 5),
    ("苗族", 4),
    ("彝族", 3),
    ("藏族", 2),
    ("维吾尔族", 2),
    ("白族", 1),
)

# Six-digit administrative division codes of city districts (GB/T 2260), by city.
CITY_REGIONS: dict[str, tuple[str, ...]] = {
    "北京": ("110101", "110102", "110105", "110106", "110108", "110114"),
    "天津": ("120101", "120104", "120105"),
    "石家庄": ("130102", "130104", "130105"),
    "太原": ("140105", "140106", "140107"),
    "沈阳": ("210102", "210103", "210104"),
    "长春": ("220102", "220104"),
    "哈尔滨": ("230102", "230103", "230104"),
    "上海": ("310101", "310104", "310115"),
    "南京": ("320102", "320104", "320106"),
    "杭州": ("330102", "330106"),
    "合肥": ("340103", "340104"),
    "济南": ("370102", "370103"),
    "郑州": ("410102", "410105"),
    "洛阳": ("410302", "410305"),
    "武汉": ("420102", "420106", "420111"),
    "长沙": ("430102", "430104"),
    "成都": ("510104", "510107", "510108"),
    "绵阳": ("510703", "510704"),
    "贵阳": ("520102", "520103"),
    "西安": ("610102", "610103", "610113"),
    "兰州": ("620102", "620103"),
}
ALL_REGIONS: tuple[str, ...] = tuple(code for codes in CITY_REGIONS.values() for code in codes)

_MOBILE_PREFIXES = """
130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159
166 173 177 180 181 182 183 185 186 187 188 189 191 198 199
"""
MOBILE_PREFIXES = _MOBILE_PREFIXES.split()


class NameMaker:
    """Draws names and other personal details from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._surname_cum = list(accumulate(SURNAME_WEIGHTS))
        self._eth_names = [e for e, _ in ETHNICITIES]
        self._eth_cum = list(accumulate(w for _, w in ETHNICITIES))
        self._phones: set[str] = set()

    def surname(self) -> str:
        if self.rng.random() < 0.004:
            return self.rng.choice(COMPOUND_SURNAMES)
        return self.rng.choices(SURNAMES, cum_weights=self._surname_cum)[0]

    def name(self, sex: str, birth_year: int) -> str:
        generation = 0 if birth_year < 1970 else 1 if birth_year < 1990 else 2
        pool = _GIVEN[(sex, generation)]
        single = self.rng.random() < (0.35, 0.28, 0.15)[generation]
        given = self.rng.choice(pool) if single else self.rng.choice(pool) + self.rng.choice(pool)
        if not single and given[0] == given[1] and self.rng.random() < 0.7:
            given = given[0] + self.rng.choice(pool)  # doubled names (婷婷) exist but are not the norm
        return self.surname() + given

    def ethnicity(self) -> str:
        return self.rng.choices(self._eth_names, cum_weights=self._eth_cum)[0]

    def phone(self) -> str:
        """A unique, well-formed 11-digit mobile number."""
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number
