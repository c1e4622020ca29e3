"""Publishing and sharding settings: defaults as before, fractions of a second for replays,
and one-line errors naming the setting."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings


def test_defaults_and_fast_settings_for_replays() -> None:
    s = Settings.from_env({})
    assert (s.publish_tick_seconds, s.feed_min_interval_seconds, s.feed_interval_seconds) == (30, 30, 900)
    assert (s.edit_window_days, s.publish_lease_seconds, s.shard_count, s.shard_ids) == (7, 40, None, None)
    fast = Settings.from_env({"PUBLISH_TICK_SECONDS": "0.02", "FEED_MIN_INTERVAL_SECONDS": "0.05",
                              "FEED_INTERVAL_SECONDS": "0.05", "SHARD_COUNT": "4", "SHARD_IDS": "3, 0"})
    assert (fast.publish_tick_seconds, fast.feed_interval_seconds) == (0.02, 0.05)
    assert (fast.shard_count, fast.shard_ids) == (4, (0, 3))
    assert Settings.from_env({"SHARD_COUNT": "2"}).shard_ids is None  # both shards in this process


@pytest.mark.parametrize(
    ("env", "name", "says"),
    [
        ({"SHARD_IDS": "0"}, "SHARD_IDS", "needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "SHARD_IDS", "from 0 to 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "one"}, "SHARD_IDS", "from 0 to 1"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT", "between 1 and"),
        ({"FEED_INTERVAL_SECONDS": "10"}, "FEED_INTERVAL_SECONDS", "between 30 and"),
        ({"FEED_MIN_INTERVAL_SECONDS": "5", "FEED_INTERVAL_SECONDS": "4"}, "FEED_INTERVAL_SECONDS",
         "between 5 and"),
        ({"PUBLISH_TICK_SECONDS": "0"}, "PUBLISH_TICK_SECONDS", "between 0.01 and"),
        ({"PUBLISH_TICK_SECONDS": "nan"}, "PUBLISH_TICK_SECONDS", "finite"),
        ({"EDIT_WINDOW_DAYS": "-1"}, "EDIT_WINDOW_DAYS", "between 0 and"),
        ({"PUBLISH_LEASE_SECONDS": "0.5"}, "PUBLISH_LEASE_SECONDS", "between 1 and"),
    ],
)
def test_a_bad_publishing_setting_is_named_in_one_line(env, name, says) -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env(env)
    assert str(err.value).startswith(name) and says in str(err.value) and "\n" not in str(err.value)
