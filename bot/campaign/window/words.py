"""Our words, per lexer group, for what dateparser has no data on: day parts, range and duration words, clock words,
this/next around weekdays, number words, and the filler rule 18 ignores. Data only; the rules live in rules*.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.campaign.window.tokens import PartName

WeekKind = str  # "next" (next occurrence after today), "this" (today counts), "next week", "this week", "week after"


@dataclass(frozen=True)
class Grammar:
    days: dict[str, int] = field(default_factory=dict)  # relative days dateparser lacks ("pasado mañana")
    day_parts: dict[str, tuple[int, PartName]] = field(default_factory=dict)  # "tonight", "sáng mai", 明晚
    parts: dict[str, PartName] = field(default_factory=dict)
    noon: tuple[str, ...] = ()
    midnight: tuple[str, ...] = ()
    seps: tuple[str, ...] = ()  # always separate start from end
    opens: tuple[str, ...] = ()  # open a range ("between", "de", "das", "từ"): filler that arms `after_open`
    after_open: tuple[str, ...] = ()  # a separator after an opening word, else filler ("a las 9" = at 9)
    filler: tuple[str, ...] = ()
    week_before: dict[str, WeekKind] = field(default_factory=dict)  # "next" Friday, 来週の 金曜日
    week_after: dict[str, WeekKind] = field(default_factory=dict)  # Senin "depan", thứ hai "tuần sau"
    weekdays: dict[str, int] = field(default_factory=dict)  # short forms dateparser lacks (T6, 금욜, วันพฤหัส)
    until: tuple[str, ...] = ()  # a postposition "until" (まで, 까지): with no separator before it, the start is now
    next_before: tuple[str, ...] = ()  # 接下来 2 hours: a duration from now
    rel_before: tuple[str, ...] = ()  # "in" 10 minutes
    rel_after: tuple[str, ...] = ()  # 10 minutes "from now", 10分"後"
    dur_before: tuple[str, ...] = ()  # "for" 2 hours
    dur_after: tuple[str, ...] = ()  # 1시간 "동안"
    hours: tuple[str, ...] = ()  # unit words dateparser lacks
    minutes: tuple[str, ...] = ()
    clock_units: tuple[str, ...] = ()  # also a clock word ("jam 9", 9時, 9 giờ): a unit only after a marker
    numbers: dict[str, float] = field(default_factory=dict)
    now: tuple[str, ...] = ()  # beyond dateparser's word for "now"


_COMMON_FILLER = (",", ";", ":", "!", "?", "(", ")", "'", '"')

GRAMMARS: dict[str, Grammar] = {
    "en": Grammar(
        now=("right now", "immediately", "asap",),
        days={"tmrw": 1, "tmr": 1, "tomorow": 1},
        day_parts={"tonight": (0, "evening"), "this morning": (0, "morning"), "this afternoon": (0, "afternoon"),
                   "this evening": (0, "evening")},
        parts={"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "evening",
               "all day": "workday", "whole day": "workday", "in the morning": "morning",
               "in the afternoon": "afternoon", "in the evening": "evening", "at night": "evening"},
        noon=("noon", "midday"), midnight=("midnight",),
        seps=("to", "until", "till", "til", "through", "thru", "->", "→", "-", "–", "—", "~"),
        opens=("between", "from"), after_open=("and",),
        filler=("please", "pls", "plz", "kindly", "thanks", "thank you", "thx", "run it", "run", "call", "calls",
                "start", "starting", "beginning", "schedule", "on", "at", "the", "ok", "okay", "this",
                *_COMMON_FILLER),
        week_before={"next": "next", "this": "this", "coming": "next", "this coming": "next"},
        rel_before=("in",), rel_after=("from now", "later"), dur_before=("for", "for the next", "lasting"),
        hours=("hour",), minutes=("min", "m"), clock_units=("h", "m"),
        numbers={"half an": 0.5, "half a": 0.5}),
    "cjk": Grammar(
        now=("马上", "馬上", "立即", "立刻", "今すぐ", "すぐ",),
        days={"あした": 1, "あす": 1, "きょう": 0, "あさって": 2, "本日": 0},
        day_parts={"今晚": (0, "evening"), "明晚": (1, "evening"), "明早": (1, "morning"), "今夜": (0, "evening"),
                   "今朝": (0, "morning"), "明朝": (1, "morning")},
        parts={"上午": "morning", "早上": "morning", "下午": "afternoon", "晚上": "evening", "傍晚": "evening",
               "一整天": "workday", "全天": "workday", "整天": "workday", "午前": "morning", "午後": "afternoon",
               "朝": "morning", "夜": "evening", "夕方": "late afternoon", "終日": "workday", "一日中": "workday",
               "凌晨": "early", "午前中": "morning", "深夜": "early", "中午": "midday", "昼": "midday",
               "晚間": "evening"},
        noon=("正午", "中午"), midnight=("午夜", "深夜0時", "真夜中"),
        seps=("到", "至", "から", "~", "-", "〜", "–", "—"),
        opens=("从", "從", "自"),
        filler=("请", "請", "麻烦", "麻煩", "谢谢", "謝謝", "开始", "開始", "起", "在", "的", "吧", "の", "に",
                "お願いします", "お願いいたします", "お願い", "いたします", "で",
                "よろしく", "ください", "です", "でお願いします", "。", "、", "，", "！", *_COMMON_FILLER),
        until=("まで",), next_before=("接下来", "接下來", "未来", "未來"),
        rel_after=("以后", "之后", "以後", "之後", "后", "後"), dur_before=("持续", "持續", "共", "为期", "為期"),
        dur_after=("間",), hours=("个小时", "個小時", "钟头", "鐘頭", "小時"), minutes=("分钟", "分鐘"),
        clock_units=("時", "分"),
        numbers={"半": 0.5}),
    "ko": Grammar(
        now=("지금 바로", "바로",),
        days={"모레": 2, "글피": 3},
        parts={"오전": "morning", "아침": "morning", "오후": "afternoon", "낮": "midday", "저녁": "evening",
               "밤": "evening", "새벽": "early", "하루 종일": "workday", "종일": "workday"},
        noon=("정오",), midnight=("자정",),
        seps=("부터", "에서", "~", "-", "–"),
        until=("까지",), weekdays={"월욜": 0, "화욜": 1, "수욜": 2, "목욜": 3, "금욜": 4, "토욜": 5, "일욜": 6},
        filler=("에", "는", "은", "으로", "로", "요", "부탁드립니다", "부탁드려요", "부탁해요", "부탁합니다", "주세요",
                "해주세요",
                "감사합니다", "고맙습니다", "시작",
                *_COMMON_FILLER),
        week_before={"다음 주": "next week", "다음주": "next week", "이번 주": "this week", "이번주": "this week",
                     "다다음 주": "week after", "다다음주": "week after"},
        rel_after=("후", "뒤", "있다가"), dur_after=("동안",), clock_units=("시",),
        numbers={"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10,
                 "열한": 11, "열두": 12}),
    "es": Grammar(
        now=("ahora mismo", "ya",),
        days={"pasado mañana": 2, "pasado manana": 2},
        day_parts={"esta noche": (0, "evening"), "esta mañana": (0, "morning"), "esta tarde": (0, "afternoon")},
        parts={"por la mañana": "morning", "de la mañana": "morning", "por la tarde": "afternoon",
               "de la tarde": "afternoon", "por la noche": "evening", "de la noche": "evening",
               "de la madrugada": "early", "del mediodía": "midday", "todo el día": "workday",
               "por la manana": "morning", "de la manana": "morning", "todo el dia": "workday",
               "en la mañana": "morning", "en la manana": "morning", "en la tarde": "afternoon",
               "en la noche": "evening", "del día": "midday", "del dia": "midday"},
        noon=("mediodía", "mediodia", "las 12 del mediodía"), midnight=("medianoche",),
        seps=("hasta las", "hasta la", "hasta", "al", "-", "–", "—", "~"),
        opens=("de", "desde las", "desde la", "desde", "entre las", "entre"),
        after_open=("a las", "a la", "a", "y las", "y la", "y"),
        filler=("a partir de las", "a partir de la", "a partir de", "por favor", "porfa", "gracias", "el", "la",
                "las", "los", "a las", "a la", "a", "en la", "lanzar",
                "llamar", "empezar", "iniciar", "comenzar", *_COMMON_FILLER, "¡", "¿"),
        week_before={"próximo": "next", "proximo": "next", "el próximo": "next", "el proximo": "next", "este": "this"},
        week_after={"que viene": "next", "próximo": "next"},
        rel_before=("en", "dentro de"), dur_before=("durante", "por"),
        numbers={"dos": 2, "tres": 3, "media": 0.5}),
    "pt": Grammar(
        now=("agora mesmo", "já",),
        days={"depois de amanhã": 2, "depois de amanha": 2},
        day_parts={"hoje à noite": (0, "evening"), "hoje a noite": (0, "evening")},
        parts={"de manhã": "morning", "da manhã": "morning", "pela manhã": "morning", "à tarde": "afternoon",
               "a tarde": "afternoon", "da tarde": "afternoon", "de tarde": "afternoon", "à noite": "evening",
               "da noite": "evening", "de noite": "evening", "da madrugada": "early", "de madrugada": "early",
               "o dia todo": "workday", "o dia inteiro": "workday", "dia todo": "workday", "de manha": "morning",
               "da manha": "morning"},
        noon=("meio-dia", "meio dia"), midnight=("meia-noite", "meia noite"),
        seps=("até as", "até às", "até a", "até", "ate", "-", "–", "—", "~"),
        opens=("das", "da", "dos", "do", "de", "desde as", "desde", "entre as", "entre"),
        after_open=("às", "as", "à", "ao", "a", "e"),
        filler=("por favor", "obrigado", "obrigada", "valeu", "o", "a", "às", "as", "à", "na", "no", "ligar",
                "iniciar", "começar", *_COMMON_FILLER),
        week_before={"próxima": "next", "proxima": "next", "próximo": "next", "proximo": "next", "esta": "this",
                     "este": "this", "na próxima": "next", "nesta": "this", "neste": "this"},
        week_after={"que vem": "next"},
        rel_before=("daqui a", "em", "dentro de"), dur_before=("por", "durante"), clock_units=("h",),
        numbers={"duas": 2, "dois": 2, "três": 3, "meia": 0.5}),
    "id": Grammar(
        now=("sekarang juga",),
        days={"lusa": 2, "besok lusa": 2, "bsk": 1, "besuk": 1},
        day_parts={"nanti malam": (0, "evening"), "malam ini": (0, "evening"), "pagi ini": (0, "morning"),
                   "nanti sore": (0, "late afternoon"), "nanti siang": (0, "daytime"),
                   "sore ini": (0, "late afternoon"), "siang ini": (0, "daytime")},
        # siang 11-15 and sore 15-18, as Indonesians use them (a product decision; rule 11 says 13-18)
        parts={"pagi": "morning", "siang": "daytime", "sore": "late afternoon", "malam": "evening",
               "seharian": "workday", "sepanjang hari": "workday", "dini hari": "early"},
        noon=("tengah hari",), midnight=("tengah malam",),
        seps=("sampai dengan", "sampai", "sampe", "hingga", "s/d", "s.d.", "-", "–", "—", "~"),
        opens=("dari", "antara"), after_open=("dan",),
        filler=("tolong", "mohon", "ya", "yah", "terima kasih", "makasih", "hari", "tanggal", "tgl", "pada", "jam",
                "pukul", "mulai", "telepon", "dong", "ini", *_COMMON_FILLER),
        week_after={"depan": "next", "ini": "this", "minggu depan": "next week"},
        rel_before=("dalam",), rel_after=("lagi", "dari sekarang"), dur_before=("selama",),
        clock_units=("jam",),
        numbers={"satu": 1, "dua": 2, "tiga": 3, "setengah": 0.5}),
    "th": Grammar(
        now=("ตอนนี้", "เดี๋ยวนี้",),
        days={"มะรืนนี้": 2, "มะรืน": 2, "พรุ่งนี้นี้": 1},
        day_parts={"คืนนี้": (0, "evening")},
        weekdays={"วันพฤหัส": 3, "วันพฤ": 3},
        parts={"เช้า": "morning", "ตอนเช้า": "morning", "บ่าย": "afternoon", "ตอนบ่าย": "afternoon",
               "เย็น": "evening", "ตอนเย็น": "evening", "ค่ำ": "evening", "ทั้งวัน": "workday"},
        noon=("เที่ยงวัน", "เที่ยง"), midnight=("เที่ยงคืน",),
        seps=("จนถึง", "ถึง", "-", "–", "~"),
        opens=("ตั้งแต่",),
        filler=("วันที่", "รบกวน", "ช่วย", "ครับ", "ค่ะ", "คะ", "นะ", "ขอบคุณ", "เวลา", "ตอน", "น.", "น", *_COMMON_FILLER),
        week_after={"หน้า": "next", "นี้": "this"},
        rel_before=("อีก", "ในอีก"), rel_after=("ข้างหน้า",), dur_before=("นาน", "เป็นเวลา"),
        numbers={"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9,
                 "สิบ": 10, "สิบเอ็ด": 11, "สิบสอง": 12, "ครึ่ง": 0.5}),
    "vi": Grammar(
        # "ngay" alone (right away) is not "now": typed without diacritics it is also ngày (day); see the rules.
        now=("ngay bây giờ", "ngay lập tức", "từ giờ", "từ bây giờ", "bay gio", "tu gio", "tu bay gio"),
        days={"mai": 1, "ngày mốt": 2, "ngày kia": 2, "mốt": 2, "ngay mai": 1, "ngay mot": 2, "ngay kia": 2,
              "hom nay": 0},
        day_parts={"tối nay": (0, "evening"), "sáng nay": (0, "morning"), "chiều nay": (0, "afternoon"),
                   "toi nay": (0, "evening"), "sang nay": (0, "morning"), "chieu nay": (0, "afternoon"),
                   "toi mai": (1, "evening"), "sang mai": (1, "morning"), "chieu mai": (1, "afternoon")},
        weekdays={"t2": 0, "t3": 1, "t4": 2, "t5": 3, "t6": 4, "t7": 5, "cn": 6},
        parts={"sáng": "morning", "buổi sáng": "morning", "trưa": "midday", "chiều": "afternoon",
               "buổi chiều": "afternoon", "tối": "evening", "buổi tối": "evening", "đêm": "evening",
               "cả ngày": "workday", "rạng sáng": "early", "chieu": "afternoon", "sang": "morning",
               "trua": "midday", "dem": "evening", "ca ngay": "workday"},
        noon=("giữa trưa",), midnight=("nửa đêm",),
        seps=("đến", "tới", "den", "toi", "-", "–", "~"),
        opens=("từ", "tu"),
        filler=("ạ", "nhé", "nha", "nhá", "cảm ơn", "làm ơn", "vui lòng", "lúc", "vào", "ngày", "bắt đầu", "gọi",
                *_COMMON_FILLER),
        week_after={"tuần sau": "next week", "tuần tới": "next week", "này": "this", "tuần này": "this week"},
        rel_before=("sau",), rel_after=("nữa",), dur_before=("trong",),
        hours=("tiếng",), clock_units=("giờ",),
        numbers={"một": 1, "hai": 2, "ba": 3, "rưỡi": 0.5}),
}
