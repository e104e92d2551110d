"""Numbers to call: typed and uploaded forms -> unique E.164, with what was dropped named."""

from __future__ import annotations

from bot.campaign.numbers import mask, parse_csv, parse_numbers, time_zones


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
