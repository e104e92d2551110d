"""Where the bot token may go for a file, and how an upload's bytes become text."""

from __future__ import annotations

import codecs

import pytest

from bot.slack.files import FileProblem, _origin, decode_file, file_origins


@pytest.mark.parametrize(("api_url", "url", "allowed"), [
    ("https://slack.com/api/", "https://files.slack.com/files-pri/T1-F1/download/a.csv", True),
    ("https://slack.com/api/", "http://files.slack.com/files-pri/T1-F1/download/a.csv", False),
    ("https://slack.com/api/", "https://files.slack.com:8443/files-pri/T1-F1/a.csv", False),
    ("https://slack.com/api/", "https://evil.example/files-pri/T1-F1/a.csv", False),
    ("https://slack.com/api/", "https://files.slack.com.evil.example/a.csv", False),
    ("https://slack.com/api/", "https://slack.com/files-pri/a.csv", False),
    ("https://slack.com/api/", "https://token@evil.example/a.csv", False),
    ("https://slack-gov.com/api/", "https://files.slack-gov.com/files-pri/a.csv", True),
    ("https://slack-gov.com/api/", "https://files.slack.com/files-pri/a.csv", False),
    ("http://127.0.0.1:4000/api/", "http://127.0.0.1:4000/files-pri/F1", True),
    ("http://127.0.0.1:4000/api/", "http://127.0.0.1:4001/files-pri/F1", False),
    ("http://127.0.0.1:4000/api/", "https://files.slack.com/files-pri/F1", False),
    ("https://slack.com/api/", "https://[::1/a.csv", False),
])
def test_the_token_goes_only_to_slacks_file_host(api_url: str, url: str, allowed: bool) -> None:
    assert (_origin(url) in file_origins(api_url)) is allowed


def test_every_encoding_a_spreadsheet_saves_is_read() -> None:
    text = "姓名\t手机号码\r\n李娜\t13012345671\r\n"
    for data in (text.encode("utf-16"), codecs.BOM_UTF16_BE + text.encode("utf-16-be"), text.encode("utf-8"),
                 codecs.BOM_UTF8 + text.encode(), text.encode("gb18030")):
        assert decode_file("a.txt", data) == text
    with pytest.raises(FileProblem, match="not a text or CSV file"):
        decode_file("a.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb6\x9c\xff\xfe\x80")
