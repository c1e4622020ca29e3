"""`/why`: what happened to an article, told to a moderator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from articles.identity import normalise_link
from index.publishing.deliveries import Delivery, Subscription
from index.publishing.feeds import Item, SourceState
from index.publishing.ledger import Ledger


@dataclass
class WhyReport:
    """What happened to an article: seen (when, from where), and per channel posted, waiting,
    summarised or filtered out (by which rule). `item` is None when no source served it yet."""

    query: str
    item: Item | None
    deliveries: list[Delivery]
    subscriptions: list[Subscription]
    sources: list[SourceState]

    def lines(self, channel: Callable[[int], str] = str,
              when: Callable[[datetime], str] = lambda dt: f"{dt:%Y-%m-%d %H:%M} UTC",
              quote: Callable[[str], str] = str) -> list[str]:
        """Sentences for a moderator; `quote` escapes text that comes from sources."""
        if self.item is None:
            out = [f"Not fetched yet: no source has served an article matching “{quote(self.query)}”."]
            for s in self.sources:
                polled = when(s.last_poll) if s.last_poll else "never"
                state = f"failing ({quote(s.last_error or '')})" if s.failures else "ok"
                out.append(f"Source {quote(s.url)}: last polled {polled}, {state}.")
            return out
        item = self.item
        out = [f"“{quote(item.title)}” was first seen {when(item.first_seen)} "
               f"from {quote(item.source or '?')}."]
        if item.baseline:
            out.append("It was already there when the bot first read that source, so it was "
                       "marked seen and not posted.")
            return out
        by_channel = {d.channel_id: d for d in self.deliveries}
        for cid in dict.fromkeys([*by_channel, *(s.channel_id for s in self.subscriptions)]):
            d = by_channel.get(cid)
            if d is None:
                out.append(f"{channel(cid)}: subscribed after the article was seen.")
            elif d.state == "sent":
                out.append(f"{channel(cid)}: posted {when(d.sent_at)}.")
            elif d.state == "summarised":
                out.append(f"{channel(cid)}: listed in a summary {when(d.sent_at)} "
                           "(more new articles than one run posts).")
            elif d.state == "filtered":
                out.append(f"{channel(cid)}: filtered out by the {quote(d.reason or '')}.")
            elif d.state == "failed":
                out.append(f"{channel(cid)}: could not be posted ({quote(d.reason or '')}).")
            else:
                out.append(f"{channel(cid)}: waiting to be posted.")
        return out


def why(ledger: Ledger, query: str) -> WhyReport:
    """Look an article up by link, feed id or title."""
    q = query.strip()
    keys = [f"guid:{q}"]
    if "://" in q or q.startswith("www."):
        keys.insert(0, f"url:{normalise_link(q)}")
    article_id = ledger.feeds.known_article(keys)
    if article_id is None:
        titled = ledger.feeds.items_titled(q, 1)
        article_id = titled[0].article_id if titled else None
    item = ledger.feeds.item(article_id) if article_id else None
    deliveries = ledger.deliveries.deliveries(article_id=article_id) if article_id else []
    return WhyReport(q, item, deliveries, ledger.deliveries.subscriptions(), ledger.feeds.sources())
