"""Publishing: new articles from feeds and folders to subscribed channels, exactly once, and
digests. Pure core (no Discord): the bot's cog and `archive-bot watch` are its senders."""
