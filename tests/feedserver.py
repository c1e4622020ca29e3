"""A real HTTP server on 127.0.0.1 serving RSS/Atom feeds and pages that tests change between polls.

It honours conditional requests the way sites do (ETag from the body, Last-Modified from the last
change, 304 when neither changed), and can be told to fail: answer a status, stall past the
client's timeout, or serve something that is not a feed. A path can also follow a script: each
request gets the next state (a feed's entries, or a status to fail with), so a replay does not
depend on when the polls happen. Every request is recorded.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Entry:
    """One feed item; `guid=None` leaves the item without an id (identity by link)."""

    title: str
    link: str
    guid: str | None = None
    body: str = "Body text of the entry."
    categories: tuple[str, ...] = ()
    author: str | None = "Ada Quill"
    published: datetime = field(default_factory=lambda: datetime(2024, 5, 1, tzinfo=UTC))
    image: str | None = None


def rss(entries: list[Entry], *, title: str = "Space news") -> bytes:
    items = []
    for e in entries:
        parts = [f"<title>{escape(e.title)}</title>", f"<link>{escape(e.link)}</link>",
                 f"<description>{escape(e.body)}</description>",
                 f"<pubDate>{format_datetime(e.published)}</pubDate>"]
        if e.guid is not None:
            parts.append(f'<guid isPermaLink="false">{escape(e.guid)}</guid>')
        if e.author:
            parts.append(f"<dc:creator>{escape(e.author)}</dc:creator>")
        parts += [f"<category>{escape(c)}</category>" for c in e.categories]
        if e.image:
            parts.append(f'<media:thumbnail url="{escape(e.image)}"/>')
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>{escape(title)}</title><link>http://news.test/</link>"
        "<description>tests</description>" + "".join(items) + "</channel></rss>"
    ).encode()


@dataclass
class Resource:
    body: bytes
    content_type: str = "application/rss+xml"
    modified: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))


class FeedServer:
    """`with FeedServer() as server:`; `server.set_feed("/feed", entries)`, `server.url("/feed")`."""

    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.failures: dict[str, int] = {}  # path -> status to answer instead
        self.stall: dict[str, float] = {}  # path -> seconds to wait before answering
        self.scripts: dict[str, list[list[Entry] | int]] = {}  # path -> states still to serve
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def set_feed(self, path: str, entries: list[Entry], *, title: str = "Space news") -> None:
        self.set(path, rss(entries, title=title))

    def set(self, path: str, body: bytes, content_type: str = "application/rss+xml") -> None:
        with self._lock:
            old = self.resources.get(path)
            modified = datetime.now(UTC).replace(microsecond=0)
            if old is not None and old.body != body and modified <= old.modified:
                modified = old.modified + timedelta(seconds=1)  # changes within a second still show
            if old is None or old.body != body:
                self.resources[path] = Resource(body, content_type, modified)

    def script(self, path: str, states: list[list[Entry] | int]) -> None:
        """Serve these states, one per request (the last one stays): entries, or a status."""
        with self._lock:
            self.scripts[path] = list(states)

    def _next_state(self, path: str) -> None:
        states = self.scripts.get(path)
        if not states:
            return
        state = states.pop(0) if len(states) > 1 else states[0]
        if isinstance(state, int):
            self.failures[path] = state
            return
        self.failures.pop(path, None)
        body = rss(state)
        old = self.resources.get(path)
        if old is None or old.body != body:
            modified = datetime.now(UTC).replace(microsecond=0)
            if old is not None and modified <= old.modified:
                modified = old.modified + timedelta(seconds=1)
            self.resources[path] = Resource(body, "application/rss+xml", modified)

    def hits(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return [headers for p, headers in self.requests if p == path]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                with server._lock:
                    server.requests.append((self.path, dict(self.headers)))
                    server._next_state(self.path)
                    resource = server.resources.get(self.path)
                    status = server.failures.get(self.path)
                    stall = server.stall.get(self.path, 0.0)
                if stall:
                    time.sleep(stall)
                if status is not None or resource is None:
                    self.send_error(status or 404)
                    return
                etag = '"' + hashlib.sha256(resource.body).hexdigest()[:16] + '"'
                modified = format_datetime(resource.modified, usegmt=True)
                if self.headers.get("If-None-Match") == etag or (
                    self.headers.get("If-None-Match") is None
                    and self.headers.get("If-Modified-Since") == modified
                ):
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", resource.content_type)
                self.send_header("Content-Length", str(len(resource.body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.end_headers()
                self.wfile.write(resource.body)

        return Handler
