"""Settings: defaults that work, and one-line errors that name the bad setting."""

from __future__ import annotations

import pytest

from bot.config import SAMPLE_ARCHIVE, ConfigError, Settings


def test_no_settings_means_the_sample_archive_and_a_user_data_file(tmp_path):
    settings = Settings.from_env({"XDG_DATA_HOME": str(tmp_path)})
    assert settings.article_dirs == (SAMPLE_ARCHIVE,)
    assert settings.db_path == tmp_path / "archive-bot" / "archive.db"
    assert settings.discord_token is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DISCORD_GUILD_ID", "my-server"),
        ("ASK_COOLDOWN_SECONDS", "soon"),
        ("MODERATOR_ROLE_IDS", "123,abc"),
        ("ARCHIVE_DIRS", "/nonexistent/folder"),
        ("DISCORD_API_BASE", "ftp://proxy"),
        ("LOG_LEVEL", "LOUD"),
        ("FEEDS", "not-a-url"),
        ("FEED_INTERVAL_SECONDS", "5"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(name, value):
    with pytest.raises(ConfigError) as err:
        Settings.from_env({name: value})
    message = str(err.value)
    assert message.startswith(name) and "\n" not in message


def test_the_token_never_shows_in_the_settings_repr():
    settings = Settings.from_env({"DISCORD_TOKEN": "secret-token-value"})
    assert settings.discord_token == "secret-token-value"
    assert "secret-token-value" not in repr(settings)


def test_id_lists_are_parsed():
    settings = Settings.from_env({"MAINTAINER_USER_IDS": "1, 2;3"})
    assert settings.maintainer_user_ids == {1, 2, 3}
