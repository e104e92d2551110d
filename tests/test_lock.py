"""Deploys install from lock files with hashes that cover every dependency pyproject.toml declares."""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.harness import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins(lock: str) -> dict[str, list[str]]:
    """name -> its hashes, from a pip-compile / uv lock file."""
    pins: dict[str, list[str]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text()):
        match = re.match(r"([A-Za-z0-9._-]+)==\S+", block)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = re.findall(r"--hash=sha256:[0-9a-f]{64}", block)
    return pins


@pytest.mark.parametrize(("lock", "extras"), [("requirements.txt", []), ("requirements-dev.txt", ["dev"])])
def test_the_lock_pins_every_declared_dependency_with_hashes(lock: str, extras: list[str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *(r for extra in extras for r in project["optional-dependencies"][extra])]
    pins = _pins(lock)
    missing = [r for r in declared if _name(r) not in pins]
    assert not missing, f"{lock} is stale; refresh it as the README says ({missing})"
    assert all(pins.values()), [name for name, hashes in pins.items() if not hashes]
    if not extras:  # the deploy lock carries no development tools
        assert not {"pytest", "mypy", "ruff"} & set(pins)
