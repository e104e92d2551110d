"""The boundaries the README draws, enforced: every module's imports are read (AST) and checked against the rules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# package -> the parts of bot it may import (itself always included). Anything outside bot is not restricted here.
ALLOWED: dict[str, set[str]] = {
    "bot.tencent": set(),  # speaks Tencent Cloud API 3.0 and nothing of ours
    "bot.store": set(),  # tables and SQL, nothing of ours
    "bot.campaign": {"bot.cache"},  # the domain: no Slack, no SQL, no Tencent wire
}
FORBIDDEN: dict[str, set[str]] = {
    "bot.slack": {"bot.store", "bot.tencent", "bot.adapters"},  # the edge sees domain objects only
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, root: Path) -> set[str]:
    """Every module `path` imports, anywhere in it (functions included), relative imports resolved."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(root: Path) -> list[str]:
    problems = []
    for path in sorted((root / "bot").rglob("*.py")):
        name = module_name(path, root)
        for imported in sorted(imports(path, root)):
            if not _within(imported, "bot") or imported == "bot":
                continue
            for package, allowed in ALLOWED.items():
                if _within(name, package) and not any(_within(imported, p) for p in {package, *allowed}):
                    problems.append(f"{name} imports {imported}")
            for package, forbidden in FORBIDDEN.items():
                if _within(name, package) and any(_within(imported, p) for p in forbidden):
                    problems.append(f"{name} imports {imported}")
    return problems


def test_every_package_imports_only_what_its_layer_may() -> None:
    assert violations(ROOT) == []


def test_a_crossing_is_caught_whichever_way_it_is_written(tmp_path: Path) -> None:
    files = {
        "bot/slack/views.py": "from bot.store.repository import CampaignRecord\n",
        "bot/slack/home.py": "def f() -> None:\n    import bot.tencent.client\n",
        "bot/campaign/launch.py": "from ..slack import messages\n",
        "bot/store/repository.py": "from bot.campaign.draft import CampaignDraft\n",
        "bot/tencent/client.py": "from bot import config\n",
        "bot/campaign/fine.py": "from bot.campaign.draft import CampaignDraft\nfrom bot.cache import TtlCache\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert violations(tmp_path) == [
        "bot.campaign.launch imports bot.slack",
        "bot.campaign.launch imports bot.slack.messages",
        "bot.slack.home imports bot.tencent.client",
        "bot.slack.views imports bot.store.repository",
        "bot.slack.views imports bot.store.repository.CampaignRecord",
        "bot.store.repository imports bot.campaign.draft",
        "bot.store.repository imports bot.campaign.draft.CampaignDraft",
        "bot.tencent.client imports bot.config",
    ]
