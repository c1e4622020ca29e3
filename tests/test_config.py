"""Settings: defaults that work, and one-line errors that name the bad setting."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.config import SAMPLE_ARCHIVE, ConfigError, Settings, read_env, sample_archive


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
        ("ASK_COOLDOWN_SECONDS", "nan"),
        ("ASK_COOLDOWN_SECONDS", "inf"),
        ("ASK_COOLDOWN_SECONDS", "-inf"),
        ("ASK_COOLDOWN_SECONDS", "1e400"),
        ("ASK_COOLDOWN_SECONDS", "-1"),
        ("ASK_PER_COOLDOWN", "0"),
        ("ASK_PER_COOLDOWN", "9" * 5000),
        ("FEEDS", "http://"),
        ("FEEDS", "https://example.org/feed, http://[::1"),
        ("FEEDS", "http://example.org:99999/feed"),
        ("FEEDS", "http://exa mple.org/feed"),
        ("DISCORD_API_BASE", "http//127.0.0.1:8080"),
        ("DISCORD_API_BASE", "http://:8080/api/v10"),
        ("DISCORD_GUILD_ID", str(2**64)),
        ("DISCORD_GUILD_ID", "0"),
        ("MAINTAINER_USER_IDS", "1," + "9" * 30),
        ("MODERATOR_ROLE_IDS", "١٢٣"),  # digits, but not ASCII ones
        ("POSTS_PER_CHANNEL_PER_RUN", "100000"),
        ("DISCORD_TOKEN", "abc def"),
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


def test_a_database_path_that_can_never_work_is_named(tmp_path):
    (tmp_path / "file").write_text("x")
    for value in (str(tmp_path), str(tmp_path / "file" / "archive.db")):
        with pytest.raises(ConfigError, match=r"^ARCHIVE_DB: "):
            Settings.from_env({"ARCHIVE_DB": value})


def test_an_error_says_whether_the_value_came_from_the_environment_or_the_env_file(
    tmp_path, monkeypatch
):
    env_file = tmp_path / "bot.env"
    env_file.write_text("ASK_COOLDOWN_SECONDS=nan\nFEEDS=http://\n", encoding="utf-8")
    monkeypatch.setenv("ARCHIVE_BOT_ENV_FILE", str(env_file))
    monkeypatch.delenv("ASK_COOLDOWN_SECONDS", raising=False)
    monkeypatch.setenv("FEEDS", "https://example.org/feed.xml")
    with pytest.raises(ConfigError) as err:
        Settings.from_env(read_env())
    assert str(err.value).startswith(f"ASK_COOLDOWN_SECONDS (set in {env_file}) must be a finite")
    monkeypatch.setenv("ASK_COOLDOWN_SECONDS", "inf")
    with pytest.raises(ConfigError, match=r"^ASK_COOLDOWN_SECONDS \(set in the environment\)"):
        Settings.from_env(read_env())
    monkeypatch.setenv("ASK_COOLDOWN_SECONDS", "5")
    assert Settings.from_env(read_env()).feeds == ("https://example.org/feed.xml",)  # env wins


def test_a_bad_setting_stops_any_command_with_one_line_and_status_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARCHIVE_BOT_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("DISCORD_API_BASE", "http://[::1")
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DISCORD_API_BASE (set in the environment)" in err


def test_the_sample_archive_is_the_clones_when_run_from_a_clone(tmp_path):
    clone = tmp_path / "clone"
    (clone / "articles" / "sample").mkdir(parents=True)
    (clone / "pyproject.toml").write_text('[project]\nname = "archive-bot"\n', encoding="utf-8")
    (clone / "docs").mkdir()
    assert sample_archive(clone) == clone / "articles" / "sample"
    assert sample_archive(clone / "docs") == clone / "articles" / "sample"
    assert sample_archive(tmp_path) == SAMPLE_ARCHIVE
