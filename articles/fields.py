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


def person_names(value: Any) -> list[str]:
    """Names from a string, a {"name": ...} object, or a list of either."""
    if isinstance(value, dict):
        return person_names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in person_names(v)]
    name = text_value(value)
    return [name] if name else []


def text_list(value: Any) -> list[str]:
    """Items of a list or of a comma-separated string."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        return []
    return [t for t in (text_value(i) for i in items) if t]
