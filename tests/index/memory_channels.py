"""Channels kept in memory, the far side of the publisher's `Sender` in core tests.

It behaves as Discord does where exactly-once depends on it: messages persist across "restarts"
(a new Publisher on the same ledger file), the nonce of each message can be found in the
channel's recent history, and a send can be made to die right after the message exists (a crash
between sending and recording). It does NOT deduplicate by nonce, so a test passes only if the
publisher itself never sends twice. The Discord cog is tested against the stand-in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from index.publishing.digest import Digest
from index.publishing.posts import Notice, Post
from index.publishing.publisher import DeliveryFailed

HISTORY = 50


class Crash(BaseException):
    """The process dies: nothing after the send runs (not even `except Exception`)."""


@dataclass
class Message:
    id: int
    channel_id: int
    body: Post | Notice | Digest
    nonce: str
    edits: list[Post] = field(default_factory=list)
    crossposted: bool = False


class MemoryChannels:
    def __init__(self) -> None:
        self.messages: dict[int, list[Message]] = defaultdict(list)
        self.crash_after_sends: int | None = None
        self.failing: dict[int, DeliveryFailed] = {}
        self._next = 1000

    def _new(self, channel_id: int, body: Post | Notice | Digest, nonce: str) -> Message:
        if channel_id in self.failing:
            raise self.failing[channel_id]
        self._next += 1
        msg = Message(self._next, channel_id, body, nonce)
        self.messages[channel_id].append(msg)
        if self.crash_after_sends is not None:
            self.crash_after_sends -= 1
            if self.crash_after_sends <= 0:
                self.crash_after_sends = None
                raise Crash(f"crashed after sending message {msg.id}")
        return msg

    async def send_post(self, channel_id: int, post: Post, nonce: str) -> int:
        return self._new(channel_id, post, nonce).id

    async def send_notice(self, channel_id: int, notice: Notice, nonce: str) -> list[int]:
        found = await self.find_by_nonce(channel_id, nonce)
        return [found if found is not None else self._new(channel_id, notice, nonce).id]

    async def edit_post(self, channel_id: int, message_id: int, post: Post) -> None:
        self._find(channel_id, message_id).edits.append(post)

    async def find_by_nonce(self, channel_id: int, nonce: str) -> int | None:
        return next((m.id for m in self.messages[channel_id][-HISTORY:] if m.nonce == nonce), None)

    async def crosspost(self, channel_id: int, message_id: int) -> None:
        msg = self._find(channel_id, message_id)
        assert not msg.crossposted, "crossposted twice"
        msg.crossposted = True

    async def send_digest(self, channel_id: int, digest: Digest, nonce: str) -> list[int]:
        ids = []
        for i in range(0, max(1, len(digest.items)), 10):
            part = f"{nonce}-{i // 10}"
            found = await self.find_by_nonce(channel_id, part)
            chunk = Digest(digest.since, digest.until, digest.items[i:i + 10], digest.category)
            ids.append(found if found is not None else self._new(channel_id, chunk, part).id)
        return ids

    def _find(self, channel_id: int, message_id: int) -> Message:
        return next(m for m in self.messages[channel_id] if m.id == message_id)

    # -- what tests read ----------------------------------------------------------------------

    def posts(self, channel_id: int) -> list[Post]:
        """Article posts as they stand now (after edits)."""
        return [(m.edits[-1] if m.edits else m.body) for m in self.messages[channel_id]
                if isinstance(m.body, Post)]

    def notices(self, channel_id: int, kind: str | None = None) -> list[Notice]:
        return [m.body for m in self.messages[channel_id]
                if isinstance(m.body, Notice) and (kind is None or m.body.kind == kind)]

    def digests(self, channel_id: int) -> list[Digest]:
        return [m.body for m in self.messages[channel_id] if isinstance(m.body, Digest)]

    def titles_delivered(self, channel_id: int) -> list[str]:
        """Every article title that reached the channel, as a post or in a summary."""
        titles = [p.title for p in self.posts(channel_id)]
        for notice in self.notices(channel_id, "summary"):
            titles += [listed.title for listed in notice.items]
        return titles
