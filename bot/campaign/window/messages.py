"""What a person reads about a window, per language: the five errors with examples in that language, the languages
understood, and each guess in words. Data only (one table per kind), ready to move to gettext catalogues."""

from __future__ import annotations

from datetime import datetime, time

from babel.dates import format_skeleton

from bot.campaign.window.tokens import BareHours, Guess, ImpliedHours, NumericDate, Reason

UNDERSTOOD = "English, 简体中文, 繁體中文, 日本語, 한국어, Español, Português, Bahasa Indonesia, ไทย, Tiếng Việt"

# (window example, second example, a start with a duration, an afternoon example): each must parse (a test checks).
EXAMPLES: dict[str, tuple[str, str, str, str]] = {
    "en": ("tomorrow 9am to 11am", "Friday 2-5pm", "tomorrow 9am for 2 hours", "tomorrow 2pm to 5pm"),
    "zh-Hans": ("明天上午9点到11点", "下周一14:00-18:00", "明天上午9点开始，持续2小时", "明天下午2点到5点"),
    "zh-Hant": ("明天上午9點到11點", "下週一14:00-18:00", "明天上午9點開始，持續2小時", "明天下午2點到5點"),
    "ja": ("明日の9時から11時まで", "来週の月曜日 14:00〜18:00", "明日の午前9時から2時間", "明日の午後2時から5時まで"),
    "ko": ("내일 오전 9시부터 11시까지", "다음 주 월요일 14:00~18:00", "내일 오전 9시부터 2시간 동안",
           "내일 오후 2시부터 5시까지"),
    "es": ("mañana de 9 a 11", "el próximo lunes de 14:00 a 18:00", "mañana a las 9 durante 2 horas",
           "mañana de 2 a 5 de la tarde"),
    "pt": ("amanhã das 9h às 11h", "próxima segunda das 14h às 18h", "amanhã às 9h por 2 horas",
           "amanhã das 14h às 17h"),
    "id": ("besok jam 9 sampai 11", "Senin depan jam 14.00-18.00", "besok jam 9 selama 2 jam",
           "besok jam 2 siang sampai 5 sore"),
    "th": ("พรุ่งนี้ 9 โมงเช้าถึง 11 โมง", "วันจันทร์หน้า 14.00-18.00 น.", "พรุ่งนี้ 9 โมงเช้า นาน 2 ชั่วโมง",
           "พรุ่งนี้ บ่าย 2 โมงถึง 5 โมงเย็น"),
    "vi": ("ngày mai từ 9h đến 11h", "thứ hai tuần sau 14:00-18:00", "ngày mai 9h trong 2 tiếng",
           "ngày mai từ 2 giờ chiều đến 5 giờ chiều"),
}

# {ex}, {ex2}, {dur}, {pm} are the examples above; {languages} is UNDERSTOOD.
ERRORS: dict[str, dict[Reason, str]] = {
    "en": {"empty": "Enter when to call — e.g. '{ex}'. I understand {languages}.",
           "unparseable": "I couldn't read that as a time window — try '{ex}' or '{ex2}'. I understand {languages}.",
           "no end": "No end time — try '{ex}' or '{dur}'.",
           "end before start": "The end is before the start — try '{pm}' (a window past midnight such as "
                               "'10pm to 1am' is fine).",
           "in the past": "That time has already passed — try a later one, e.g. '{ex}'."},
    "zh-Hans": {"empty": "请填写拨打时间，例如“{ex}”。我能读懂：{languages}。",
                "unparseable": "没能读懂这个时间段——试试“{ex}”或“{ex2}”。我能读懂：{languages}。",
                "no end": "缺少结束时间——试试“{ex}”或“{dur}”。",
                "end before start": "结束时间早于开始时间——试试“{pm}”（跨午夜如“晚上10点到凌晨1点”也可以）。",
                "in the past": "这个时间已经过去了——请换一个更晚的时间，例如“{ex}”。"},
    "zh-Hant": {"empty": "請填寫撥打時間，例如「{ex}」。我看得懂：{languages}。",
                "unparseable": "看不懂這個時段——試試「{ex}」或「{ex2}」。我看得懂：{languages}。",
                "no end": "缺少結束時間——試試「{ex}」或「{dur}」。",
                "end before start": "結束時間早於開始時間——試試「{pm}」（跨午夜如「晚上10點到凌晨1點」也可以）。",
                "in the past": "這個時間已經過了——請換一個較晚的時間，例如「{ex}」。"},
    "ja": {"empty": "発信する時間を入力してください（例：「{ex}」）。対応言語：{languages}。",
           "unparseable": ("時間帯として読み取れませんでした。「{ex}」や「{ex2}」のように入力してください。"
                           "対応言語：{languages}。"),
           "no end": "終了時刻がありません。「{ex}」や「{dur}」のように入力してください。",
           "end before start": ("終了が開始より前です。「{pm}」のように入力してください"
                                "（「夜10時から午前1時まで」のように日付をまたぐのは可）。"),
           "in the past": "その時間はもう過ぎています。例えば「{ex}」のように、後の時間を入力してください。"},
    "ko": {"empty": "발신 시간을 입력하세요. 예: '{ex}'. 지원 언어: {languages}.",
           "unparseable": "시간대로 읽을 수 없습니다. '{ex}' 또는 '{ex2}'처럼 입력해 보세요. 지원 언어: {languages}.",
           "no end": "종료 시간이 없습니다. '{ex}' 또는 '{dur}'처럼 입력해 보세요.",
           "end before start": ("종료가 시작보다 빠릅니다. '{pm}'처럼 입력해 보세요"
                                "('밤 10시부터 새벽 1시까지'처럼 자정을 넘겨도 됩니다)."),
           "in the past": "이미 지난 시간입니다. 더 늦은 시간을 입력하세요. 예: '{ex}'."},
    "es": {"empty": "Indica cuándo llamar, p. ej. '{ex}'. Entiendo {languages}.",
           "unparseable": "No pude leer eso como un horario: prueba '{ex}' o '{ex2}'. Entiendo {languages}.",
           "no end": "Falta la hora de fin: prueba '{ex}' o '{dur}'.",
           "end before start": "El fin es anterior al inicio: prueba '{pm}' (pasar la medianoche, como "
                               "'de 10 de la noche a 1 de la madrugada', está bien).",
           "in the past": "Esa hora ya pasó: prueba una más tarde, p. ej. '{ex}'."},
    "pt": {"empty": "Informe quando ligar, por exemplo '{ex}'. Eu entendo {languages}.",
           "unparseable": "Não consegui ler isso como um horário — tente '{ex}' ou '{ex2}'. Eu entendo {languages}.",
           "no end": "Falta o horário de término — tente '{ex}' ou '{dur}'.",
           "end before start": "O término é antes do início — tente '{pm}' (passar da meia-noite, como "
                               "'das 22h à 1h', pode).",
           "in the past": "Esse horário já passou — tente um mais tarde, por exemplo '{ex}'."},
    "id": {"empty": "Isi kapan menelepon, misalnya '{ex}'. Saya mengerti {languages}.",
           "unparseable": "Saya tidak bisa membaca itu sebagai rentang waktu — coba '{ex}' atau '{ex2}'. "
                          "Saya mengerti {languages}.",
           "no end": "Tidak ada jam selesai — coba '{ex}' atau '{dur}'.",
           "end before start": "Jam selesai sebelum jam mulai — coba '{pm}' (lewat tengah malam seperti "
                               "'jam 10 malam sampai jam 1 pagi' boleh).",
           "in the past": "Waktu itu sudah lewat — coba yang lebih lambat, misalnya '{ex}'."},
    "th": {"empty": "กรุณาระบุเวลาที่จะโทร เช่น '{ex}' ภาษาที่เข้าใจ: {languages}",
           "unparseable": "อ่านช่วงเวลานี้ไม่ออก ลองพิมพ์ '{ex}' หรือ '{ex2}' ภาษาที่เข้าใจ: {languages}",
           "no end": "ไม่มีเวลาสิ้นสุด ลองพิมพ์ '{ex}' หรือ '{dur}'",
           "end before start": "เวลาสิ้นสุดอยู่ก่อนเวลาเริ่ม ลองพิมพ์ '{pm}' (ข้ามเที่ยงคืน เช่น '4 ทุ่มถึงตี 1' ได้)",
           "in the past": "เวลานั้นผ่านไปแล้ว ลองเวลาที่ช้ากว่านี้ เช่น '{ex}'"},
    "vi": {"empty": "Hãy nhập thời gian gọi, ví dụ '{ex}'. Tôi hiểu {languages}.",
           "unparseable": "Không đọc được khoảng thời gian này — thử '{ex}' hoặc '{ex2}'. Tôi hiểu {languages}.",
           "no end": "Thiếu giờ kết thúc — thử '{ex}' hoặc '{dur}'.",
           "end before start": "Giờ kết thúc trước giờ bắt đầu — thử '{pm}' (qua nửa đêm như "
                               "'10 giờ tối đến 1 giờ sáng' vẫn được).",
           "in the past": "Thời gian đó đã qua — hãy chọn muộn hơn, ví dụ '{ex}'."},
}

# How a guess is said: {when} is the window ("Fri 27 Nov 14:00–16:00"), {typed}/{read}/{other} a numeric date.
GUESSES: dict[str, dict[str, str]] = {
    "en": {"bare": "Read as {when}: hours without am/pm are taken as business hours.",
           "date": "'{typed}' read as {read}, not {other}.", "implied": "No time given: read as {when}."},
    "zh-Hans": {"bare": "未注明上午/下午，按工作时间理解为：{when}。", "date": "“{typed}”理解为{read}，而不是{other}。",
                "implied": "未给出具体时间，理解为：{when}。"},
    "zh-Hant": {"bare": "未註明上午/下午，按上班時間理解為：{when}。",
                "date": "「{typed}」理解為{read}，而不是{other}。",
                "implied": "未給出具體時間，理解為：{when}。"},
    "ja": {"bare": "午前・午後の指定がないため、営業時間として {when} と読みました。",
           "date": "「{typed}」は{other}ではなく{read}と読みました。",
           "implied": "時刻の指定がないため {when} と読みました。"},
    "ko": {"bare": "오전/오후가 없어 업무 시간으로 {when}(으)로 읽었습니다.",
           "date": "'{typed}'을(를) {other}이(가) 아니라 {read}(으)로 읽었습니다.",
           "implied": "시간이 없어 {when}(으)로 읽었습니다."},
    "es": {"bare": "Horas sin a. m./p. m. leídas como horario laboral: {when}.",
           "date": "'{typed}' leído como {read}, no {other}.", "implied": "Sin hora: leído como {when}."},
    "pt": {"bare": "Horas sem manhã/tarde lidas como horário comercial: {when}.",
           "date": "'{typed}' lido como {read}, não {other}.", "implied": "Sem horário: lido como {when}."},
    "id": {"bare": "Jam tanpa pagi/sore dibaca sebagai jam kerja: {when}.",
           "date": "'{typed}' dibaca {read}, bukan {other}.", "implied": "Tanpa jam: dibaca {when}."},
    "th": {"bare": "ไม่ได้ระบุเช้า/บ่าย จึงอ่านเป็นเวลาทำการ: {when}", "date": "'{typed}' อ่านเป็น {read} ไม่ใช่ {other}",
           "implied": "ไม่ได้ระบุเวลา จึงอ่านเป็น {when}"},
    "vi": {"bare": "Giờ không ghi sáng/chiều được hiểu là giờ hành chính: {when}.",
           "date": "'{typed}' được hiểu là {read}, không phải {other}.", "implied": "Không có giờ: hiểu là {when}."},
}

_BABEL = {"zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant"}


def _babel(language: str) -> str:
    return _BABEL.get(language, language if language in ERRORS else "en")


def window_error(reason: Reason, language: str) -> str:
    language = language if language in ERRORS else "en"
    ex, ex2, dur, pm = EXAMPLES[language]
    return ERRORS[language][reason].format(ex=ex, ex2=ex2, dur=dur, pm=pm, languages=UNDERSTOOD)


def _span(start: datetime, end: datetime, locale: str) -> str:
    day = format_skeleton("MMMEd", start, locale=locale)
    if end.date() == start.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {format_skeleton('MMMEd', end, locale=locale)} {end:%H:%M}"


def describe(guesses: tuple[Guess, ...], start: datetime, end: datetime, language: str) -> list[str]:
    """Each guess in words, in the text's language; `start`/`end` in the requester's zone."""
    words, locale = GUESSES.get(language, GUESSES["en"]), _babel(language)
    lines = []
    for guess in guesses:
        if isinstance(guess, NumericDate):
            read, other = (format_skeleton("MMMd", d, locale=locale) for d in (guess.read, guess.other))
            lines.append(words["date"].format(typed=guess.typed, read=read, other=other))
        elif isinstance(guess, BareHours | ImpliedHours):
            key = "bare" if isinstance(guess, BareHours) else "implied"
            lines.append(words[key].format(when=_span(start, end, locale)))
    return list(dict.fromkeys(line.replace("..", ".") for line in lines))  # "mar.." after an abbreviated month


def warm_messages() -> None:
    moment = datetime(2026, 1, 5, 9)
    for language in ERRORS:
        describe((BareHours(time(9), time(11)),), moment, moment, language)
