"""How an article is recognised when it shows up again under another id, link or date."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src",
     "_hsenc", "_hsmi", "yclid", "cmpid", "amp"}
)


def normalise_link(url: str) -> str:
    """One spelling per page: https, lower-case host without www/default port, no trailing slash,
    no fragment, no tracking parameters (utm_*, fbclid, ...), remaining parameters sorted."""
    url = url.strip()
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
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
