"""The blocked-region tables kept on disk between starts (JSON under the user's cache directory), keyed by what they
are a pure function of: phonenumbers' release, the rules, the code that builds them, and this file's format."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from bot.campaign.regions import Table, Tables, data_version

log = logging.getLogger(__name__)

Rules = tuple[tuple[str, str], ...]
FORMAT = 1  # raise whenever what a file holds changes: an older file then never matches


def cache_dir(env: Mapping[str, str] = os.environ) -> Path | None:
    """$XDG_CACHE_HOME/dialcampaign, else $HOME/.cache/dialcampaign (the XDG default); None without either."""
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        home = env.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "dialcampaign"


# The code the tables come from (read as bytes, never imported here: region_data imports the geocoding data). A
# deploy that changes how they are built then never reads a file an older build wrote.
_BUILDERS = ("campaign/region_data.py", "campaign/regions.py")


@functools.cache
def _builder() -> str:
    digest = hashlib.sha256()
    for name in _BUILDERS:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


def _key(rules: Rules) -> dict[str, Any]:
    # Sorted and without repeats: the tables do not depend on the rules' order (region_data.build)
    return {"format": FORMAT, "phonenumbers": data_version(), "builder": _builder(),
            "rules": [list(rule) for rule in sorted(set(rules))]}


def cache_path(rules: Rules, directory: Path) -> Path:
    digest = hashlib.sha256(json.dumps(_key(rules), sort_keys=True).encode()).hexdigest()[:32]
    return directory / f"regions-{digest}.json"


def encode(rules: Rules, tables: Tables) -> str:
    longest, by_country = tables
    countries = {country: None if found is None else [table.prefixes for table in found]
                 for country, found in by_country.items()}
    return json.dumps({**_key(rules), "longest": longest, "countries": countries})


def decode(rules: Rules, text: str) -> Tables | None:
    """The tables in `text` when it is a well-formed file for exactly these rules, release, builder and format; else
    None. A file is input, not trusted: every type is checked, and each table's lengths are derived afresh."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser's stack
        return None
    key = _key(rules)
    if not isinstance(data, dict) or {k: data.get(k) for k in key} != key:
        return None
    longest, countries = data.get("longest"), data.get("countries")
    if type(longest) is not int or longest < 1 or not isinstance(countries, dict):
        return None
    by_country: dict[str, tuple[Table, ...] | None] = {}
    for country, found in countries.items():
        if found is None:
            by_country[country] = None
            continue
        if not isinstance(found, list) or not found or not all(_prefixes(prefixes) for prefixes in found):
            return None
        by_country[country] = tuple(
            Table(prefixes, tuple(sorted({len(prefix) for prefix in prefixes}, reverse=True))) for prefixes in found)
    if set(by_country) != {country for country, _name in rules}:
        return None
    return longest, by_country


def _prefixes(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(prefix, str) and prefix.isascii() and (prefix == "" or prefix.isdigit())
        and (answer is None or isinstance(answer, str)) for prefix, answer in value.items())


def read(path: Path, rules: Rules) -> Tables | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:  # none yet, or no cache directory to be had: `write` says so if it cannot make one
        return None
    except UnicodeDecodeError:
        text = ""
    tables = decode(rules, text)
    if tables is None:
        # Its name is a digest of the key, so a file there that does not match was damaged or not written by us.
        log.info("region tables cache %s is damaged or not ours: building them again", path)
    return tables


def write(path: Path, rules: Rules, tables: Tables) -> None:
    """Whole or not at all: a temporary file beside it, then os.replace, so a process starting meanwhile reads the
    old file, the new one, or none — never half of one. Failing to write only costs the next start a build."""
    text = encode(rules, tables)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".regions-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        log.info("region tables not cached in %s (%s): the next start builds them again", path.parent,
                 type(exc).__name__)


def load(rules: Rules, build: Callable[[Rules], Tables], env: Mapping[str, str] = os.environ) -> Tables:
    """The tables from the cache when it has them for these rules; else `build(rules)`, then cached."""
    directory = cache_dir(env)
    if directory is None:
        return build(rules)
    path = cache_path(rules, directory)
    tables = read(path, rules)
    if tables is None:
        tables = build(rules)
        write(path, rules, tables)
    return tables
