"""Settings, read once at start-up from the environment and a `.env` file.

Every setting is listed and explained in `.env.example`. Every value is checked before anything
starts (numbers finite and in range, URLs that parse, Discord ids that fit in 64 bits), and a bad
one stops start-up with a one-line `ConfigError` naming the setting and where it was set (the
environment or the `.env` file), never a traceback.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARCHIVE = PACKAGE_ROOT / "articles" / "sample"
MAX_DISCORD_ID = 2**64 - 1


class ConfigError(ValueError):
    """A setting has a value the bot cannot use; the message names the setting."""


class Env(dict):
    """Setting values, and for each where it came from (for error messages)."""

    def __init__(self, values: Mapping[str, str], sources: Mapping[str, str] | None = None) -> None:
        super().__init__(values)
        self.sources = dict(sources or {})

    def label(self, name: str) -> str:
        source = self.sources.get(name)
        return f"{name} (set in {source})" if source else name


def _label(env: Mapping[str, str], name: str) -> str:
    return env.label(name) if isinstance(env, Env) else name


def sample_archive(cwd: Path | None = None) -> Path:
    """The bundled sample archive: the copy in the clone archive-bot is run from, if any (so a
    file added there is indexed), else the installed copy."""
    here = Path.cwd() if cwd is None else cwd
    for folder in (here, *here.parents):
        candidate = folder / "articles" / "sample"
        project = folder / "pyproject.toml"
        if candidate.is_dir() and project.is_file():
            try:
                if 'name = "archive-bot"' in project.read_text(encoding="utf-8", errors="replace"):
                    return candidate
            except OSError:
                pass
    return SAMPLE_ARCHIVE


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "archive-bot" / "archive.db"


def _int(
    env: Mapping[str, str], name: str, default: int | None, minimum: int = 0, maximum: int | None = None
) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise ConfigError(f"{_label(env, name)} must be a whole number, got {shown!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise ConfigError(f"{_label(env, name)} must be {bound}, got {value}")
    return value


def _float(
    env: Mapping[str, str], name: str, default: float, minimum: float = 0.0, maximum: float | None = None
) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{_label(env, name)} must be a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{_label(env, name)} must be a finite number of seconds, got {raw!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum:g} and {maximum:g}" if maximum is not None else f"at least {minimum:g}"
        raise ConfigError(f"{_label(env, name)} must be {bound}, got {value:g}")
    return value


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "").replace(";", ",")
    ids = set()
    for part in filter(None, (p.strip() for p in raw.split(","))):
        if not part.isascii() or not part.isdigit():
            raise ConfigError(
                f"{_label(env, name)} must be a comma-separated list of Discord ids, got {part!r}"
            )
        value = int(part)
        if not 1 <= value <= MAX_DISCORD_ID:
            raise ConfigError(f"{_label(env, name)}: {part} is not a Discord id (too large)")
        ids.add(value)
    return frozenset(ids)


def _shards(env: Mapping[str, str]) -> tuple[int | None, tuple[int, ...] | None]:
    """SHARD_COUNT and SHARD_IDS: which of the bot's shards this process runs (None: all of them,
    as many as Discord recommends)."""
    count = _int(env, "SHARD_COUNT", None, minimum=1, maximum=65_536)
    raw = [p.strip() for p in env.get("SHARD_IDS", "").replace(";", ",").split(",") if p.strip()]
    if not raw:
        return count, None
    if count is None:
        raise ConfigError(f"{_label(env, 'SHARD_IDS')} needs SHARD_COUNT (the number of shards "
                          "across all processes)")
    ids = set()
    for part in raw:
        if not part.isascii() or not part.isdigit() or int(part) >= count:
            raise ConfigError(f"{_label(env, 'SHARD_IDS')} must list shard numbers from 0 to "
                              f"{count - 1} (SHARD_COUNT is {count}), got {part!r}")
        ids.add(int(part))
    return count, tuple(sorted(ids))


def _names(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in env.get(name, "").split(",") if p.strip())


def check_url(url: str) -> str | None:
    """Why `url` is not a usable http(s) URL, or None when it is."""
    if any(c.isspace() for c in url):
        return "it contains spaces"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port out of range or not a number
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it has no host name"
    if port == 0:
        return "port 0 is not a port"
    return None


def _url(env: Mapping[str, str], name: str, url: str, what: str) -> str:
    problem = check_url(url)
    if problem:
        raise ConfigError(f"{_label(env, name)} must be {what}, got {url!r}: {problem}")
    return url


def check_db_path(path: Path) -> str | None:
    """Why `path` can never be a database file (a folder, or inside a file), or None."""
    if path.is_dir():
        return f"{path} is a folder; give a file name inside it, e.g. {path / 'archive.db'}"
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    return None


def read_env(env_file: str | None = None) -> Env:
    """The process environment plus a `.env` file (the environment wins), with sources."""
    from dotenv import dotenv_values

    path = env_file or os.environ.get("ARCHIVE_BOT_ENV_FILE") or ".env"
    try:
        from_file = {k: v for k, v in dotenv_values(path).items() if v is not None}
    except OSError:
        from_file = {}
    values = {**from_file, **os.environ}
    sources = {name: "the environment" for name in os.environ}
    sources.update({name: path for name in from_file if name not in os.environ})
    for name, value in from_file.items():  # what the rest of the process reads from os.environ
        os.environ.setdefault(name, value)
    return Env(values, sources)


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
    sources: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def describe(self, name: str) -> str:
        """`NAME (set in …)` for error messages about a setting."""
        source = self.sources.get(name)
        return f"{name} (set in {source})" if source else name

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
        """Read settings from `env` (default: the process environment plus `.env`)."""
        if env is None:
            env = read_env() if dotenv else Env(os.environ, {n: "the environment" for n in os.environ})
        elif not isinstance(env, Env):
            env = Env(env)
        dirs = tuple(Path(p).expanduser() for p in _names(env, "ARCHIVE_DIRS")) or (sample_archive(),)
        for d in dirs:
            if not d.is_dir():
                raise ConfigError(f"{env.label('ARCHIVE_DIRS')}: {d} is not a folder")
        db = env.get("ARCHIVE_DB", "").strip()
        db_path = Path(db).expanduser() if db else default_db_path(env)
        problem = check_db_path(db_path)
        if problem:
            raise ConfigError(f"{env.label('ARCHIVE_DB' if db else 'XDG_DATA_HOME')}: {problem}")
        api_base = env.get("DISCORD_API_BASE", "").strip().rstrip("/") or None
        if api_base:
            _url(env, "DISCORD_API_BASE", api_base, "an http(s) URL such as http://127.0.0.1:8080/api/v10")
        level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError(
                f"{env.label('LOG_LEVEL')} must be DEBUG, INFO, WARNING or ERROR, got {level!r}"
            )
        feeds = _names(env, "FEEDS")
        for url in feeds:
            _url(env, "FEEDS", url, "a comma-separated list of http(s) feed URLs")
        token = env.get("DISCORD_TOKEN", "").strip() or None
        if token and any(c.isspace() for c in token):
            raise ConfigError(f"{env.label('DISCORD_TOKEN')} has spaces in it: copy the token again")
        min_interval = _float(env, "FEED_MIN_INTERVAL_SECONDS", 30.0, minimum=0.01, maximum=86_400)
        shard_count, shard_ids = _shards(env)
        return cls(
            db_path=db_path,
            article_dirs=dirs,
            discord_token=token,
            guild_id=_int(env, "DISCORD_GUILD_ID", None, minimum=1, maximum=MAX_DISCORD_ID),
            api_base=api_base,
            moderator_role_ids=_ids(env, "MODERATOR_ROLE_IDS"),
            moderator_user_ids=_ids(env, "MODERATOR_USER_IDS"),
            maintainer_role_ids=_ids(env, "MAINTAINER_ROLE_IDS"),
            maintainer_user_ids=_ids(env, "MAINTAINER_USER_IDS"),
            ask_cooldown_seconds=_float(env, "ASK_COOLDOWN_SECONDS", 10.0, maximum=86_400),
            ask_per_cooldown=_int(env, "ASK_PER_COOLDOWN", 3, minimum=1, maximum=1000),
            feeds=feeds,
            feed_interval_seconds=_float(env, "FEED_INTERVAL_SECONDS", 900.0, minimum=min_interval,
                                         maximum=604_800),
            feed_min_interval_seconds=min_interval,
            publish_tick_seconds=_float(env, "PUBLISH_TICK_SECONDS", 30.0, minimum=0.01, maximum=3600),
            posts_per_channel_per_run=_int(env, "POSTS_PER_CHANNEL_PER_RUN", 5, minimum=1, maximum=100),
            edit_window_days=_float(env, "EDIT_WINDOW_DAYS", 7.0, maximum=3650),
            publish_lease_seconds=_float(env, "PUBLISH_LEASE_SECONDS", 40.0, minimum=1.0, maximum=600),
            shard_count=shard_count,
            shard_ids=shard_ids,
            log_level=level,
            sources=dict(env.sources),
        )
