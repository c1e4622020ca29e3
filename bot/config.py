"""Settings, read once at start-up from the environment and a `.env` file.

Every setting is listed and explained in `.env.example`. A bad value stops start-up with a
one-line error naming the setting (`ConfigError`), never a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

SAMPLE_ARCHIVE = Path(__file__).resolve().parent.parent / "articles" / "sample"


class ConfigError(ValueError):
    """A setting has a value the bot cannot use; the message names the setting."""


def default_db_path(env: dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "archive-bot" / "archive.db"


def _int(env: dict[str, str], name: str, default: int | None, minimum: int = 0) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: dict[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _ids(env: dict[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "").replace(";", ",")
    ids = set()
    for part in filter(None, (p.strip() for p in raw.split(","))):
        if not part.isdigit():
            raise ConfigError(f"{name} must be a comma-separated list of Discord ids, got {part!r}")
        ids.add(int(part))
    return frozenset(ids)


def _shards(env: dict[str, str]) -> tuple[int | None, tuple[int, ...] | None]:
    """SHARD_COUNT and SHARD_IDS: which of the bot's shards this process runs (None: all, as
    many as Discord recommends)."""
    count = _int(env, "SHARD_COUNT", None, minimum=1)
    ids = tuple(sorted(_ids(env, "SHARD_IDS"))) or None
    if ids is not None and count is None:
        raise ConfigError("SHARD_IDS needs SHARD_COUNT (the total number of shards across processes)")
    if ids is not None and ids[-1] >= count:
        raise ConfigError(f"SHARD_IDS must be below SHARD_COUNT ({count}), got {ids[-1]}")
    return count, ids


def _names(env: dict[str, str], name: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in env.get(name, "").split(",") if p.strip())


@dataclass(frozen=True)
class Settings:
    db_path: Path = field(default_factory=default_db_path)
    article_dirs: tuple[Path, ...] = (SAMPLE_ARCHIVE,)
    discord_token: str | None = field(default=None, repr=False)
    guild_id: int | None = None
    api_base: str | None = None
    moderator_role_ids: frozenset[int] = frozenset()
    moderator_user_ids: frozenset[int] = frozenset()
    maintainer_role_ids: frozenset[int] = frozenset()
    maintainer_user_ids: frozenset[int] = frozenset()
    ask_cooldown_seconds: float = 10.0
    ask_per_cooldown: int = 3
    feeds: tuple[str, ...] = ()
    feed_interval_seconds: float = 900.0
    feed_min_interval_seconds: float = 30.0
    publish_tick_seconds: float = 30.0
    posts_per_channel_per_run: int = 5
    edit_window_days: float = 7.0
    publish_lease_seconds: float = 40.0
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, *, dotenv: bool = True) -> Settings:
        """Read settings from `env` (default: the process environment plus `.env`)."""
        if env is None:
            if dotenv:
                load_dotenv(os.environ.get("ARCHIVE_BOT_ENV_FILE") or ".env", override=False)
            env = dict(os.environ)
        dirs = tuple(Path(p).expanduser() for p in _names(env, "ARCHIVE_DIRS")) or (SAMPLE_ARCHIVE,)
        for d in dirs:
            if not d.is_dir():
                raise ConfigError(f"ARCHIVE_DIRS: {d} is not a folder")
        db = env.get("ARCHIVE_DB", "").strip()
        api_base = env.get("DISCORD_API_BASE", "").strip().rstrip("/") or None
        if api_base and not api_base.startswith(("http://", "https://")):
            raise ConfigError(f"DISCORD_API_BASE must be an http(s) URL, got {api_base!r}")
        level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}")
        feeds = _names(env, "FEEDS")
        for url in feeds:
            if not url.startswith(("http://", "https://")):
                raise ConfigError(f"FEEDS must list http(s) feed URLs, got {url!r}")
        min_interval = _float(env, "FEED_MIN_INTERVAL_SECONDS", 30.0, minimum=0.01)
        shard_count, shard_ids = _shards(env)
        return cls(
            db_path=Path(db).expanduser() if db else default_db_path(env),
            article_dirs=dirs,
            discord_token=env.get("DISCORD_TOKEN", "").strip() or None,
            guild_id=_int(env, "DISCORD_GUILD_ID", None, minimum=1),
            api_base=api_base,
            moderator_role_ids=_ids(env, "MODERATOR_ROLE_IDS"),
            moderator_user_ids=_ids(env, "MODERATOR_USER_IDS"),
            maintainer_role_ids=_ids(env, "MAINTAINER_ROLE_IDS"),
            maintainer_user_ids=_ids(env, "MAINTAINER_USER_IDS"),
            ask_cooldown_seconds=_float(env, "ASK_COOLDOWN_SECONDS", 10.0),
            ask_per_cooldown=_int(env, "ASK_PER_COOLDOWN", 3, minimum=1) or 3,
            feeds=feeds,
            feed_interval_seconds=_float(env, "FEED_INTERVAL_SECONDS", 900.0, minimum=min_interval),
            feed_min_interval_seconds=min_interval,
            publish_tick_seconds=_float(env, "PUBLISH_TICK_SECONDS", 30.0, minimum=0.01),
            posts_per_channel_per_run=_int(env, "POSTS_PER_CHANNEL_PER_RUN", 5, minimum=1) or 5,
            edit_window_days=_float(env, "EDIT_WINDOW_DAYS", 7.0),
            publish_lease_seconds=_float(env, "PUBLISH_LEASE_SECONDS", 40.0, minimum=1.0),
            shard_count=shard_count,
            shard_ids=shard_ids,
            log_level=level,
        )
