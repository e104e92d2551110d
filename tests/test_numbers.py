"""Numbers to call: typed and uploaded forms -> unique E.164, with what was dropped named."""

from __future__ import annotations

from bot.campaign.numbers import BATCH, EXAMPLES, MAX_JUNK, mask, parse_csv, parse_numbers, time_zones


def test_every_common_way_of_writing_a_chinese_mobile_number_is_one_number() -> None:
    typed = "+86 130-1234-5670\n13012345670\n0086 13012345670\n+86 (130) 1234.5670\n+8613012345670"
    parsed = parse_numbers(typed, region="CN")
    assert parsed.numbers == ["+8613012345670"]
    assert parsed.duplicates == 4
    assert parsed.invalid == []


def test_commas_semicolons_and_spaces_separate_numbers_on_one_line() -> None:
    parsed = parse_numbers("13012345671, 13012345672; 13012345673 13012345674\n\n", region="CN")
    assert parsed.numbers == ["+8613012345671", "+8613012345672", "+8613012345673", "+8613012345674"]


def test_invalid_entries_are_named_with_their_line() -> None:
    parsed = parse_numbers("13012345671\nnot a number\n12345\n+1 415 555 0100", region="CN")
    assert parsed.numbers == ["+8613012345671", "+14155550100"]
    assert [(bad.where, bad.text) for bad in parsed.invalid] == [("line 2", "not a number"), ("line 3", "12345")]


def test_the_default_region_decides_numbers_without_a_country_code() -> None:
    assert parse_numbers("(415) 555-0100", region="US").numbers == ["+14155550100"]
    assert parse_numbers("(415) 555-0100", region="CN").numbers == ["+864155550100"]  # a Dandong landline


def test_csv_with_a_header_uses_the_phone_column_and_counts_bad_rows() -> None:
    content = "name,phone,note\nAda,13012345671,vip\nBob,oops,\nCy,+86 130 1234 5671,dup\n\nDi,13012345672,\n"
    parsed = parse_csv(content, region="CN")
    assert parsed.numbers == ["+8613012345671", "+8613012345672"]
    assert parsed.duplicates == 1
    assert [(bad.where, bad.text) for bad in parsed.invalid] == [("row 3", "oops")]


def test_csv_without_a_header_reads_the_first_column() -> None:
    parsed = parse_csv("13012345671,Ada\n13012345672,Bob\n", region="CN")
    assert parsed.numbers == ["+8613012345671", "+8613012345672"]


def test_text_and_file_merge_without_duplicates() -> None:
    merged = parse_numbers("13012345671", region="CN").merge(parse_csv("phone\n13012345671\n13012345672"))
    assert merged.numbers == ["+8613012345671", "+8613012345672"]
    assert merged.duplicates == 1


def test_callee_zones_and_masking() -> None:
    assert time_zones("+8613012345671") == ("Asia/Shanghai",)
    assert time_zones("+14155550100") == ("America/Los_Angeles",)
    assert mask("+8613012345671") == "+861*******671"
    assert "3012345" not in mask("+8613012345671")


def test_a_first_row_of_data_is_not_mistaken_for_a_header() -> None:
    parsed = parse_csv("Ada,13012345671,hotel guest\nBob,13012345672,tel sales\n", region="CN")
    assert parsed.numbers == ["+8613012345671", "+8613012345672"]  # "hotel"/"tel" are data, not headers


def test_without_a_phone_header_the_column_holding_numbers_is_used() -> None:
    parsed = parse_csv("name;account;contact\nAda;A-1;13012345671\nBob;A-2;oops\n", region="CN")
    assert parsed.numbers == ["+8613012345671"]
    assert [(bad.where, bad.text) for bad in parsed.invalid] == [("row 3", "oops")]


def test_a_plain_list_with_no_header_at_all() -> None:
    assert parse_csv("13012345671\n\n13012345672\n", region="CN").numbers == ["+8613012345671", "+8613012345672"]


def test_the_fast_paths_agree_with_phonenumbers_everywhere() -> None:
    """normalise() skips phonenumbers.parse for plain Chinese mobiles and North American numbers; on every form and
    region it must give what phonenumbers alone gives ("0086" outside regions that dial out with 00, national forms
    in other regions, invalid prefixes and lengths included)."""
    import random

    import phonenumbers

    from bot.campaign.numbers import normalise

    def reference(raw: str, region: str) -> str | None:  # phonenumbers alone, for every input
        try:
            parsed = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(parsed):
            return None
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    rng = random.Random(20261125)
    forms = ["{d}", "+86{d}", "0086 {d}", "+86 {a}-{b}-{c}", "+1{d}", "+1 ({a}) {b}-{c}", "1{d}", "1-{a}-{b}-{c}",
             "({a}) {b}.{c}", "+{d}", "00{d}", "011{d}"]
    valid = 0
    for _ in range(30_000):
        n = rng.choice([10, 11, 11, 12])
        d = f"{rng.randrange(10**n):0{n}d}"  # n random digits
        raw = rng.choice(forms).format(d=d, a=d[:3], b=d[3:6], c=d[6:])
        region = rng.choice(["CN", "US", "CA", "GB", "HK", "JM"])
        got = normalise(raw, region)
        assert got == reference(raw, region), (raw, region)
        valid += got is not None
    assert valid > 2_000  # plenty of valid numbers went through, not only rejections


def test_a_junk_file_is_read_only_until_it_is_plainly_not_a_list_of_numbers() -> None:
    junk = "\n".join(f"2026-11-25 ERROR user={i} lorem ipsum" for i in range(MAX_JUNK + BATCH * 2))
    parsed = parse_csv("note\n" + junk, region="CN")
    assert parsed.stopped == "junk" and parsed.numbers == []
    assert MAX_JUNK < parsed.invalid_count <= MAX_JUNK + BATCH  # not a row more than it took to tell
    assert len(parsed.invalid) == EXAMPLES  # examples to show, not a quarter of a million rows held


def test_blank_phone_cells_do_not_make_a_file_junk() -> None:
    rows = "\n".join(f"c{i},{'13012345671' if i % 5 == 0 else ''}" for i in range(MAX_JUNK * 3))
    parsed = parse_csv("name,phone\n" + rows, region="CN")
    assert parsed.stopped == "" and parsed.numbers == ["+8613012345671"]


def test_past_keep_numbers_the_rest_of_a_file_is_not_read() -> None:
    rows = "\n".join(f"130{i:08d}" for i in range(BATCH * 3))
    parsed = parse_csv("phone\n" + rows, region="CN", keep=10)
    assert parsed.stopped == "cap" and 10 < len(parsed.numbers) <= BATCH


def test_an_overlong_entry_or_an_unclosed_quote_is_an_invalid_row_not_a_crash() -> None:
    parsed = parse_csv('phone\n13012345671\n"' + "1" * 200_000 + "\n13012345672\n", region="CN")
    assert parsed.numbers[:1] == ["+8613012345671"] and parsed.invalid_count >= 1
    long_entry = parse_numbers("1" * 65 + "\n13012345671", region="CN")
    assert long_entry.numbers == ["+8613012345671"] and long_entry.invalid[0].where == "line 1"
