"""The Block Kit limits Slack enforces (answering invalid_arguments), checked by the fake Slack on every view and
message, so an over-long label or a 101st block fails a test here instead of a supervisor's modal there."""

from __future__ import annotations

from typing import Any

TEXT_LIMITS = {"section": 3000, "header": 150, "context": 3000}


def _text_len(obj: Any) -> int:
    return len(obj.get("text", "")) if isinstance(obj, dict) else 0


def _element(element: dict[str, Any], where: str) -> list[str]:
    problems = []
    kind = element.get("type")
    if len(element.get("action_id", "")) > 255:
        problems.append(f"{where}: action_id over 255")
    if _text_len(element.get("placeholder")) > 150:
        problems.append(f"{where}: placeholder over 150")
    if kind == "button" and _text_len(element.get("text")) > 75:
        problems.append(f"{where}: button text over 75")
    if kind == "button" and len(element.get("value", "")) > 2000:
        problems.append(f"{where}: button value over 2000")
    confirm = element.get("confirm")
    if isinstance(confirm, dict) and (_text_len(confirm.get("title")) > 100 or _text_len(confirm.get("text")) > 300
                                      or _text_len(confirm.get("confirm")) > 30 or _text_len(confirm.get("deny")) > 30):
        problems.append(f"{where}: confirm dialog over its limits (title 100, text 300, buttons 30)")
    if kind == "plain_text_input" and element.get("max_length", 0) > 3000:
        problems.append(f"{where}: max_length over 3000")
    if kind == "plain_text_input" and len(element.get("initial_value", "")) > element.get("max_length", 3000):
        problems.append(f"{where}: initial_value longer than max_length")
    options = element.get("options", []) + element.get("initial_options", []) + (
        [element["initial_option"]] if "initial_option" in element else [])
    if len(element.get("options", [])) > 100:
        problems.append(f"{where}: more than 100 options")
    for option in options:
        if _text_len(option.get("text")) > 75 or len(option.get("value", "")) > 150:
            problems.append(f"{where}: option text over 75 or value over 150")
    return problems


def block_problems(blocks: list[dict[str, Any]], max_blocks: int) -> list[str]:
    problems = [f"{len(blocks)} blocks, over {max_blocks}"] if len(blocks) > max_blocks else []
    for i, block in enumerate(blocks):
        kind, where = block.get("type"), f"block {i} ({block.get('type')})"
        if len(block.get("block_id", "")) > 255:
            problems.append(f"{where}: block_id over 255")
        if kind in TEXT_LIMITS and _text_len(block.get("text")) > TEXT_LIMITS[kind]:
            problems.append(f"{where}: text over {TEXT_LIMITS[kind]}")
        if kind == "context":
            if len(block.get("elements", [])) > 10:
                problems.append(f"{where}: more than 10 elements")
            problems += [f"{where}: element text over 3000" for e in block.get("elements", []) if _text_len(e) > 3000]
        if kind == "input":
            if _text_len(block.get("label")) > 2000 or _text_len(block.get("hint")) > 2000:
                problems.append(f"{where}: label or hint over 2000")
            problems += _element(block.get("element", {}), where)
        if kind == "actions":
            if len(block.get("elements", [])) > 25:
                problems.append(f"{where}: more than 25 elements")
            for element in block.get("elements", []):
                problems += _element(element, where)
    return problems


def view_problems(view: dict[str, Any]) -> list[str]:
    problems = []
    if view.get("type") == "modal":
        for key in ("title", "submit", "close"):
            if key in view and _text_len(view[key]) > 24:
                problems.append(f"modal {key} over 24 characters")
        if len(view.get("private_metadata", "")) > 3000:
            problems.append("private_metadata over 3000")
    return problems + block_problems(view.get("blocks", []), 100)


def message_problems(params: dict[str, Any]) -> list[str]:
    blocks = params.get("blocks") or []
    return block_problems(blocks, 50) + (["text over 40000"] if len(params.get("text", "")) > 40000 else [])
