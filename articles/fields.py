"""Loosely typed metadata values, as YAML front matter and JSON exports hold them.

Exports disagree on shapes (an author as a string, a list or {"name": ...}; tags as a list or a
comma-separated string), so both readers go through these to get plain strings.
"""

from __future__ import annotations

from typing import Any


def first_of(record: dict[str, Any], *keys: str) -> Any:
    """The value of the first key present with a non-empty value (`url` before `link`, ...)."""
    return next((record[k] for k in keys if record.get(k) not in (None, "", [], {})), None)


def text_value(value: Any) -> str | None:
    """A scalar as one line of text; None for missing, empty, boolean or nested values."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    return " ".join(str(value).split()) or None


MAX_NAMES = 50
"""Names read from one value: bylines hold a few, not thousands."""


def person_names(value: Any, _depth: int = 0) -> list[str]:
    """Names from a string, a {"name": ...} object, or a list of either. Only two levels are
    looked into, so nesting (or a YAML alias that holds itself) cannot run away."""
    if isinstance(value, dict | list) and _depth >= 2:
        return []
    if isinstance(value, dict):
        return person_names(value.get("name"), _depth + 1)
    if isinstance(value, list):
        return [n for v in value[:MAX_NAMES] for n in person_names(v, _depth + 1)]
    name = text_value(value)
    return [name] if name else []


def text_list(value: Any) -> list[str]:
    """Items of a list or of a comma-separated string (the first MAX_NAMES: categories and tags
    are a handful)."""
    items = value.split(",", MAX_NAMES) if isinstance(value, str) else value
    if not isinstance(items, list):
        return []
    return [t for t in (text_value(i) for i in items[:MAX_NAMES]) if t]
