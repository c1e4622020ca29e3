"""Digests, posts and notices rendered for Discord: within its limits (checked by the stand-in's
own validator), items never cut in two, nothing from an article able to ping."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.render_publishing import marker, render_digest, render_notice, render_post
from index.publishing.digest import GROUP_WHEN_MORE_THAN, Digest, DigestItem
from index.publishing.posts import FeedRange, Listed, Notice, Post
from tests.discord_standin import message_errors

NOW = datetime(2024, 6, 10, 12, tzinfo=UTC)


def items(n: int, *, title_len: int = 60, teaser_len: int = 400, categories=("Mars",)) -> list[DigestItem]:
    return [DigestItem(f"Item {i:03d} " + "t" * title_len, f"https://news.test/{i}/" + "p" * 80,
                       "Ada Quill", NOW - timedelta(hours=i), "word " * (teaser_len // 5), categories)
            for i in range(n)]


def payloads(messages: list[dict]) -> list[dict]:
    return [{"content": m["content"], "embeds": [e.to_dict() for e in m["embeds"]]} for m in messages]


def test_a_big_digest_splits_into_valid_messages_without_cutting_items() -> None:
    digest = Digest(NOW - timedelta(days=7), NOW, items(120, title_len=180), category="Mars")
    rendered = payloads(render_digest(digest, "abc"))
    assert len(rendered) > 3
    for i, message in enumerate(rendered):
        assert message_errors(message) == [], i
        assert message["embeds"][-1]["footer"]["text"] == marker(f"abc-{i}")
    text = "\n".join(e["description"] for m in rendered for e in m["embeds"])
    found = re.findall(r"\*\*\[Item (\d{3}) t+\]\(https://news\.test/\d+/p+\)\*\*", text)
    assert found == [f"{i:03d}" for i in range(120)]  # all, whole, newest first, once each
    assert "120 articles in Mars" in rendered[0]["embeds"][0]["description"]


def test_many_items_are_grouped_under_category_headings() -> None:
    mixed = items(GROUP_WHEN_MORE_THAN + 4)
    mixed = [DigestItem(i.title, i.url, i.author, i.published, i.teaser, (c,))
             for i, c in zip(mixed, ["Mars", "Moon", "Sun"] * 10, strict=False)]
    rendered = payloads(render_digest(Digest(NOW - timedelta(days=7), NOW, mixed)))
    titles = [e.get("title") for m in rendered for e in m["embeds"]]
    assert titles == ["Digest: Mars", "Moon", "Sun"]
    assert render_digest(Digest(NOW - timedelta(days=7), NOW, [])) == []


def test_post_escapes_article_text_and_pings_only_the_subscription_role() -> None:
    post = Post("Launch @everyone <@123> **now**", "https://news.test/a", "Ada <@&5>", ("Mars",),
                "Teaser with @here and <#42>", NOW, "https://news.test/a.jpg")
    plain = render_post(post, "n1")
    assert plain["content"] is None
    assert plain["allowed_mentions"].to_dict() == {"parse": []}
    embed = plain["embed"].to_dict()
    assert "<@123>" not in embed["title"] and "<#42>" not in embed["description"]
    assert "@everyone" not in embed["title"].replace("@\u200beveryone", "")
    assert embed["footer"]["text"] == "ref n1" and embed["thumbnail"]["url"] == "https://news.test/a.jpg"
    assert f"<t:{int(NOW.timestamp())}:R>" in embed["description"]
    with_role = render_post(Post("T", role_id=77), "n2")
    assert with_role["content"] == "<@&77>"
    assert with_role["allowed_mentions"].to_dict() == {"parse": [], "roles": [77]}
    assert message_errors({"content": "x", "embeds": [render_post(Post("T" * 400, teaser="w " * 3000),
                                                                  "n")["embed"].to_dict()]}) == []


def summary(n: int, recent: int) -> Notice:
    listed = tuple(Listed(f"Story {i} " + "x" * 60, f"https://news.test/{i}/" + "p" * 40,
                          NOW - timedelta(hours=i), "NASA" if i % 2 else "ESA") for i in range(n))
    feeds = (FeedRange("NASA", n // 2, listed[-1].published, listed[1].published),
             FeedRange("ESA", n - n // 2, listed[-1].published, listed[0].published))
    return Notice("summary", f"{n} more new articles arrived than are posted one by one: ...",
                  listed, feeds, must_list=recent)


def test_summary_lists_what_fits_and_says_how_to_find_the_rest() -> None:
    rendered = render_notice(summary(95, recent=10), "s1")
    assert len(rendered) == 1
    embed = rendered[0]["embed"].to_dict()
    assert message_errors({"embeds": [embed]}) == []
    text = embed["description"]
    shown = text.count("• ")
    assert 10 < shown < 95 and f"…and {95 - shown} more, from <t:" in text and "`/search`" in text
    assert f"**NASA**: 47 articles, <t:{int((NOW - timedelta(hours=94)).timestamp())}:d>" in text
    assert embed["footer"]["text"] == marker("s1")


def test_every_recent_article_of_a_summary_is_listed_however_many_messages_it_takes() -> None:
    rendered = render_notice(summary(300, recent=120), "s2")
    assert len(rendered) > 1
    texts = [m["embed"].to_dict()["description"] for m in rendered]
    for i, m in enumerate(rendered):
        assert message_errors({"embeds": [m["embed"].to_dict()]}) == [], i
        assert m["embed"].footer.text == marker("s2" if i == 0 else f"s2-{i}")
    found = [int(n) for n in re.findall(r"• \[Story (\d+) ", "\n".join(texts))]
    assert found == list(range(len(found))) and len(found) >= 120  # newest first, none skipped
    assert f"…and {300 - len(found)} more" in texts[-1]
    assert render_notice(summary(3, recent=3), "s3")[0]["embed"].description.count("• ") == 3
