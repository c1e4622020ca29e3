"""How an article is recognised when it shows up again under another id, link or date, and
which links are links at all."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src",
     "_hsenc", "_hsmi", "yclid", "cmpid", "amp"}
)
MAX_LINK_CHARS = 4096
"""Longer values are not links a page or feed means (browsers and servers stop near 2-8 kB)."""


def readable_link(value: object) -> str | None:
    """The value, trimmed, when it parses as a link; None for what cannot be one: empty, too
    long, a host that does not parse (`http://[::1`), a port out of range (99999)."""
    if not isinstance(value, str):
        return None
    link = value.strip()
    if not link or len(link) > MAX_LINK_CHARS:
        return None
    try:
        urlsplit(link).port  # noqa: B018 - raises ValueError for a bad host or port
    except ValueError:
        return None
    return link


def web_link(value: object) -> str | None:
    """The value as an absolute http(s) link with a host, or None."""
    link = readable_link(value)
    if link is None:
        return None
    parts = urlsplit(link)
    return link if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def absolute_link(candidates: list[str | None], base: str | None) -> str | None:
    """The first candidate that is, or resolves against base to, an absolute http(s) link: a
    relative link alone would not identify the page."""
    base = web_link(base)
    for candidate in candidates:
        link = readable_link(candidate)
        if link is None:
            continue
        try:
            link = urljoin(base, link) if base else link
        except ValueError:
            continue
        if web_link(link):
            return web_link(link)
    return None


def normalise_link(url: str) -> str:
    """One spelling per page: https, lower-case host without www/default port, no trailing slash,
    no fragment, no tracking parameters (utm_*, fbclid, ...), remaining parameters sorted.
    A value that does not parse as a link is only trimmed: it still names one page, as written."""
    url = url.strip()
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))
