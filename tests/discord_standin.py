"""A stand-in for Discord on 127.0.0.1, so the real bot (unchanged discord.py) can be tested.

It serves the REST API under /api/v10 and a gateway websocket (zlib-stream), keeps the state a
test needs to inspect (messages per channel, threads, interaction responses, synced commands) and
rejects what Discord rejects: oversized messages and embeds, bad command definitions and unknown
endpoints, with Discord's error codes. Tests drive it like members would:
`send_interaction` (a slash command, an autocomplete or a button press) and `send_message`.

Every request is recorded in `requests`; gateway heartbeats in `heartbeats` (arrival times), so a
test can see whether the bot's event loop kept its heartbeat on schedule under load.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
import yarl
from aiohttp import web

APP_ID = 700000000000000001
GUILD_ID = 700000000000000002
TEXT_CHANNEL_ID = 700000000000000003
ANNOUNCEMENT_CHANNEL_ID = 700000000000000004
THREAD_ID = 700000000000000005
MODERATOR_ROLE_ID = 700000000000000006
TOKEN = "standin-token"

# Permissions as Discord sends them: members get the usual defaults; Manage Server is extra.
MEMBER_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    read_message_history=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_application_commands=True,
    create_public_threads=True,
)
MANAGE_GUILD = discord.Permissions(manage_guild=True)
LOADING_FLAG = 128
EPHEMERAL_FLAG = 64
CROSSPOSTED_FLAG = 1
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


# -- what Discord rejects ------------------------------------------------------------------------


def _too_long(errors: list[str], where: str, value: Any, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.append(f"{where}: must be {limit} or fewer in length (got {len(value)})")


def embed_errors(embed: dict, where: str) -> tuple[list[str], int]:
    """Problems with one embed, and the characters it counts towards the 6,000 total."""
    errors: list[str] = []
    total = 0
    for key, limit in (("title", 256), ("description", 4096)):
        _too_long(errors, f"{where}.{key}", embed.get(key), limit)
        total += len(embed.get(key) or "")
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors.append(f"{where}.fields: must be 25 or fewer in length")
    for i, f in enumerate(fields):
        for key, limit in (("name", 256), ("value", 1024)):
            value = f.get(key)
            if not value:
                errors.append(f"{where}.fields.{i}.{key}: this field is required")
            _too_long(errors, f"{where}.fields.{i}.{key}", value, limit)
            total += len(value or "")
    footer = (embed.get("footer") or {}).get("text")
    _too_long(errors, f"{where}.footer.text", footer, 2048)
    author = (embed.get("author") or {}).get("name")
    _too_long(errors, f"{where}.author.name", author, 256)
    total += len(footer or "") + len(author or "")
    url = embed.get("url")
    if url is not None and not str(url).startswith(("http://", "https://")):
        errors.append(f"{where}.url: not a well formed URL")
    return errors, total


def component_errors(rows: list[dict]) -> list[str]:
    errors = []
    if len(rows) > 5:
        errors.append("components: must be 5 or fewer in length")
    for r, row in enumerate(rows):
        if row.get("type") != 1:
            errors.append(f"components.{r}: top-level components must be action rows")
            continue
        items = row.get("components") or []
        if not 1 <= len(items) <= 5:
            errors.append(f"components.{r}.components: must hold 1 to 5 components")
        for i, item in enumerate(items):
            where = f"components.{r}.components.{i}"
            _too_long(errors, f"{where}.label", item.get("label"), 80)
            if item.get("style") == 5:
                if not item.get("url"):
                    errors.append(f"{where}.url: this field is required")
            elif not item.get("custom_id"):
                errors.append(f"{where}.custom_id: this field is required")
            _too_long(errors, f"{where}.custom_id", item.get("custom_id"), 100)
    return errors


def message_errors(payload: dict, *, require_body: bool = True) -> list[str]:
    """Everything Discord would refuse in a message create/edit payload."""
    errors: list[str] = []
    _too_long(errors, "content", payload.get("content"), 2000)
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        errors.append("embeds: must be 10 or fewer in length")
    total = 0
    for i, embed in enumerate(embeds):
        found, count = embed_errors(embed, f"embeds.{i}")
        errors += found
        total += count
    if total > 6000:
        errors.append(f"embeds: embed size exceeds maximum size of 6000 (got {total})")
    errors += component_errors(payload.get("components") or [])
    if require_body and not (payload.get("content") or embeds or payload.get("components")):
        errors.append("Cannot send an empty message")
    return errors


def command_errors(commands: list[dict]) -> list[str]:
    errors: list[str] = []
    if len(commands) > 100:
        errors.append("commands: at most 100")

    def check_options(options: list[dict], where: str) -> None:
        if len(options) > 25:
            errors.append(f"{where}.options: must be 25 or fewer in length")
        for j, opt in enumerate(options):
            w = f"{where}.options.{j}"
            name = opt.get("name", "")
            if not COMMAND_NAME.match(name) or name != name.lower():
                errors.append(f"{w}.name: invalid option name {name!r}")
            if not 1 <= len(opt.get("description", "")) <= 100:
                errors.append(f"{w}.description: must be 1 to 100 long")
            if len(opt.get("choices") or []) > 25:
                errors.append(f"{w}.choices: must be 25 or fewer in length")
            check_options(opt.get("options") or [], w)

    for i, cmd in enumerate(commands):
        where = f"{i}"
        name = cmd.get("name", "")
        if not COMMAND_NAME.match(name) or (cmd.get("type", 1) == 1 and name != name.lower()):
            errors.append(f"{where}.name: invalid command name {name!r}")
        if cmd.get("type", 1) == 1 and not 1 <= len(cmd.get("description", "")) <= 100:
            errors.append(f"{where}.description: must be 1 to 100 long")
        check_options(cmd.get("options") or [], where)
    return errors


# -- records a test inspects ---------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    status: int = 200


@dataclass
class InteractionRecord:
    """One interaction sent to the bot and everything the bot answered to it."""

    id: int
    token: str
    user: dict
    channel_id: int
    kind: int
    callbacks: list[dict] = field(default_factory=list)
    payloads: list[dict] = field(default_factory=list)
    original: dict | None = None
    followups: list[dict] = field(default_factory=list)
    choices: list[dict] | None = None
    message_id: int | None = None
    sent_at: float = 0.0
    answered_at: float | None = None

    @property
    def messages(self) -> list[dict]:
        return ([self.original] if self.original else []) + self.followups

    def answered(self) -> bool:
        """A member can see an answer: a message that is not a 'thinking…' placeholder."""
        return any(not m["flags"] & LOADING_FLAG for m in self.messages) or self.choices is not None


@dataclass
class Member:
    id: int
    name: str
    roles: list[int] = field(default_factory=list)
    bot: bool = False

    @property
    def user(self) -> dict:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.name,
            "avatar": None,
            "bot": self.bot,
        }


def _snowflakes():
    base = discord.utils.time_snowflake(datetime.now(UTC))
    return itertools.count(base, 1 << 12)


def _json(obj: Any, status: int = 200) -> web.Response:
    # discord.py compares the content type verbatim: no charset.
    return web.Response(
        body=json.dumps(obj).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _error(status: int, code: int, message: str, errors: list[str] | None = None) -> web.Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = {"_errors": [{"code": "INVALID", "message": e} for e in errors]}
    return _json(body, status)


class DiscordStandin:
    """Discord on 127.0.0.1: one guild with a text channel, an announcement channel and a thread,
    the application's owner, a moderator (Manage Server) and two plain members."""

    def __init__(self, *, token: str = TOKEN, heartbeat_interval: float = 0.5) -> None:
        self.token = token
        self.heartbeat_interval = heartbeat_interval
        self.identify: dict | None = None
        self.identify_count = 0
        self.recommended_shards = 1  # what GET /gateway/bot recommends
        self.bot = Member(APP_ID, "archive-bot", bot=True)
        self.owner = Member(700000000000000010, "owner")
        self.moderator = Member(700000000000000011, "moderator", roles=[MODERATOR_ROLE_ID])
        self.member = Member(700000000000000012, "member")
        self.other = Member(700000000000000013, "other")
        self.members = [self.owner, self.moderator, self.member, self.other]
        self.requests: list[Request] = []
        self.rejected: list[tuple[Request, list[str]]] = []
        self.heartbeats: list[float] = []
        self.identified = asyncio.Event()
        self.commands: dict[str, dict] = {}
        self.channels: dict[int, dict] = {}
        self.messages: dict[int, dict] = {}
        self.interactions: dict[str, InteractionRecord] = {}
        self._ids = _snowflakes()
        self._sockets: list[tuple[web.WebSocketResponse, Any, tuple[int, int]]] = []
        self._seq = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._add_channel(TEXT_CHANNEL_ID, "general", 0)
        self._add_channel(ANNOUNCEMENT_CHANNEL_ID, "space-news", 5)
        self._add_thread(THREAD_ID, TEXT_CHANNEL_ID, "questions", owner_id=self.member.id)

    # -- life cycle -----------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> DiscordStandin:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        # A plain Bot never asks GET /gateway/bot for its URL: point the class default here.
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        return self

    async def stop(self) -> None:
        for ws, *_ in list(self._sockets):
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    # -- guild data -----------------------------------------------------------------------------

    def _add_channel(self, cid: int, name: str, kind: int) -> dict:
        channel = {
            "id": str(cid),
            "type": kind,
            "name": name,
            "guild_id": str(GUILD_ID),
            "position": len(self.channels),
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
        }
        self.channels[cid] = channel
        return channel

    def _add_thread(self, tid: int, parent: int, name: str, *, owner_id: int) -> dict:
        thread = {
            "id": str(tid),
            "type": 11,
            "name": name,
            "guild_id": str(GUILD_ID),
            "parent_id": str(parent),
            "owner_id": str(owner_id),
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": _now(),
                "locked": False,
            },
        }
        self.channels[tid] = thread
        return thread

    def permissions_of(self, member: Member) -> discord.Permissions:
        perms = discord.Permissions(MEMBER_PERMISSIONS.value)
        if MODERATOR_ROLE_ID in member.roles:
            perms |= MANAGE_GUILD
        return perms

    def _member_payload(self, member: Member, *, with_user: bool = True) -> dict:
        data = {
            "roles": [str(r) for r in member.roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = member.user
        return data

    def _guild_payload(self) -> dict:
        everyone = {
            "id": str(GUILD_ID),
            "name": "@everyone",
            "permissions": str(MEMBER_PERMISSIONS.value),
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
        }
        moderators = dict(
            everyone,
            id=str(MODERATOR_ROLE_ID),
            name="Moderators",
            position=1,
            permissions=str(MANAGE_GUILD.value),
        )
        channels = [c for c in self.channels.values() if c["type"] != 11]
        threads = [c for c in self.channels.values() if c["type"] == 11]
        members = [self._member_payload(m) for m in [*self.members, self.bot]]
        return {
            "id": str(GUILD_ID),
            "name": "Space Archive",
            "owner_id": str(self.moderator.id),
            "roles": [everyone, moderators],
            "channels": channels,
            "threads": threads,
            "members": members,
            "member_count": len(members),
            "emojis": [],
            "features": [],
            "stickers": [],
            "large": False,
            "unavailable": False,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "icon": None,
            "afk_channel_id": None,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "system_channel_flags": 0,
        }

    # -- messages -------------------------------------------------------------------------------

    def channel_messages(self, channel_id: int) -> list[dict]:
        """Messages of a channel, oldest first, as they stand now."""
        return [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]

    def _new_message(
        self,
        channel_id: int,
        author: Member,
        payload: dict,
        *,
        kind: int = 0,
        mentions: list[Member] = (),
    ) -> dict:
        mid = next(self._ids)
        msg = {
            "id": str(mid),
            "channel_id": str(channel_id),
            "guild_id": str(GUILD_ID),
            "author": author.user,
            "member": self._member_payload(author, with_user=False),
            "content": payload.get("content") or "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [
                dict(m.user, member=self._member_payload(m, with_user=False)) for m in mentions
            ],
            "mention_roles": [],
            "attachments": [],
            "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [],
            "pinned": False,
            "type": kind,
            "flags": payload.get("flags") or 0,
        }
        self.messages[mid] = msg
        if channel_id in self.channels:
            self.channels[channel_id]["last_message_id"] = str(mid)
        return msg

    @staticmethod
    def _edit(msg: dict, payload: dict) -> None:
        for key in ("content", "embeds", "components"):
            if key in payload:
                msg[key] = (
                    payload[key] if payload[key] is not None else ([] if key != "content" else "")
                )
        msg["flags"] = (msg["flags"] & ~LOADING_FLAG) | (
            (payload.get("flags") or 0) & EPHEMERAL_FLAG
        )
        msg["edited_timestamp"] = _now()

    # -- what tests call ------------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `predicate()` is truthy; it is re-checked after every request."""
        async with self._changed:
            return await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def reply_to(self, record: InteractionRecord, timeout: float = 10.0) -> dict:
        """The first message a member can see in answer to an interaction."""
        await self.wait_for(record.answered, timeout)
        return next(m for m in record.messages if not m["flags"] & LOADING_FLAG)

    async def send_message(
        self,
        content: str,
        author: Member,
        channel: int = TEXT_CHANNEL_ID,
        mentions: list[Member] = (),
    ) -> dict:
        """A member posts a message (MESSAGE_CREATE reaches the bot)."""
        msg = self._new_message(channel, author, {"content": content}, mentions=list(mentions))
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def send_interaction(
        self,
        command: str | None = None,
        options: dict[str, Any] | None = None,
        *,
        user: Member,
        channel: int = TEXT_CHANNEL_ID,
        focused: str | None = None,
        custom_id: str | None = None,
        message: dict | None = None,
    ) -> InteractionRecord:
        """A slash command (`command`, "group sub" for subcommands), its autocomplete (`focused`
        names the option being typed) or a button press (`custom_id` on `message`)."""
        iid = next(self._ids)
        token = f"token-{iid}"
        channel_data = self.channels[channel]
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(APP_ID),
            "token": token,
            "version": 1,
            "guild_id": str(GUILD_ID),
            "channel_id": str(channel),
            "channel": dict(channel_data, permissions=str(self.permissions_of(user).value)),
            "member": dict(
                self._member_payload(user), permissions=str(self.permissions_of(user).value)
            ),
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": str(MEMBER_PERMISSIONS.value),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            "attachment_size_limit": 8388608,
        }
        if custom_id is not None:
            if message is None:
                raise ValueError("a button press needs the message that holds the button")
            payload["type"] = 3
            payload["data"] = {"custom_id": custom_id, "component_type": 2}
            payload["message"] = self.messages.get(int(message["id"]), message)
        else:
            payload["type"] = 4 if focused else 2
            payload["data"] = self._command_data(command, options or {}, focused)
        record = InteractionRecord(iid, token, user.user, channel, payload["type"])
        if message is not None:
            record.message_id = int(message["id"])
        record.sent_at = asyncio.get_running_loop().time()
        self.interactions[token] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    def _command_data(self, command: str, options: dict[str, Any], focused: str | None) -> dict:
        name, *path = command.split()
        if name not in self.commands:
            raise KeyError(f"command /{name} was not synced (synced: {sorted(self.commands)})")
        definition = self.commands[name]
        schema, data = definition, {"id": definition["id"], "name": name, "type": 1}
        holder = data
        for sub in path:
            schema = next(o for o in schema.get("options", []) if o["name"] == sub)
            nested = {"name": sub, "type": schema["type"], "options": []}
            holder.setdefault("options", []).append(nested)
            holder = nested
        resolved: dict[str, dict] = {}
        built = []
        for key, value in options.items():
            spec = next((o for o in schema.get("options", []) if o["name"] == key), None)
            if spec is None:
                raise KeyError(f"/{command} has no option {key!r}")
            opt = {"name": key, "type": spec["type"], "value": value}
            if spec["type"] == 7:
                opt["value"] = str(value)
                resolved.setdefault("channels", {})[str(value)] = dict(
                    self.channels[int(value)], permissions=str(MEMBER_PERMISSIONS.value)
                )
            elif spec["type"] in (6, 9) and isinstance(value, Member):
                opt["value"] = str(value.id)
                resolved.setdefault("users", {})[str(value.id)] = value.user
                resolved.setdefault("members", {})[str(value.id)] = dict(
                    self._member_payload(value, with_user=False),
                    permissions=str(self.permissions_of(value).value),
                )
            elif spec["type"] == 8:
                opt["value"] = str(value)
                resolved.setdefault("roles", {})[str(value)] = {
                    "id": str(value),
                    "name": "role",
                    "permissions": "0",
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": True,
                }
            if key == focused:
                opt["focused"] = True
            built.append(opt)
        holder["options"] = built
        if resolved:
            data["resolved"] = resolved
        return data

    async def dispatch(self, event: str, data: dict) -> None:
        """To the shard that holds the guild (every event here is the one guild's)."""
        for ws, send, shard in list(self._sockets):
            if not ws.closed and _holds_guild(shard):
                await send(0, data, event)

    # -- gateway --------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        compress = request.query.get("compress") == "zlib-stream"
        deflate = zlib.compressobj()
        lock = asyncio.Lock()

        async def send(op: int, d: Any = None, t: str | None = None) -> None:
            msg = {"op": op, "d": d, "s": next(self._seq) if op == 0 else None, "t": t}
            raw = json.dumps(msg).encode()
            async with lock:
                if ws.closed:
                    return
                if compress:
                    await ws.send_bytes(deflate.compress(raw) + deflate.flush(zlib.Z_SYNC_FLUSH))
                else:
                    await ws.send_str(raw.decode())

        await send(10, {"heartbeat_interval": int(self.heartbeat_interval * 1000)})
        entry: tuple | None = None
        try:
            async for frame in ws:
                payload = json.loads(frame.data)
                if payload["op"] == 1:
                    self.heartbeats.append(asyncio.get_running_loop().time())
                    await send(11)
                elif payload["op"] == 2:
                    if payload["d"].get("token") != self.token:
                        await ws.close(code=4004, message=b"Authentication failed.")
                        break
                    self.identify = payload["d"]
                    self.identify_count += 1
                    shard = tuple(payload["d"].get("shard") or (0, 1))
                    entry = (ws, send, shard)
                    self._sockets.append(entry)
                    me = self.bot.user
                    guilds = [{"id": str(GUILD_ID), "unavailable": True}] if _holds_guild(shard) else []
                    await send(
                        0,
                        {
                            "v": 10,
                            "user": me,
                            "guilds": guilds,
                            "session_id": f"standin-session-{shard[0]}",
                            "resume_gateway_url": self.gateway_url,
                            "application": {"id": str(APP_ID), "flags": 0},
                            "shard": list(shard),
                        },
                        "READY",
                    )
                    if guilds:
                        await send(0, self._guild_payload(), "GUILD_CREATE")
                    self.identified.set()
        finally:
            if entry in self._sockets:
                self._sockets.remove(entry)
        return ws

    # -- REST -----------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        body: Any = None
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            elif request.content_type.startswith("multipart/"):
                body = await self._multipart_json(request)
        path = "/" + request.match_info["tail"]
        record = Request(request.method, path, dict(request.query), body)
        self.requests.append(record)
        authorised = request.headers.get("Authorization") == f"Bot {self.token}"
        try:
            open_to_all = path == "/gateway" or path.startswith(("/interactions/", "/webhooks/"))
            if not authorised and not open_to_all:
                response = _error(401, 0, "401: Unauthorized")
            else:
                response = await self._route(record)
        except KeyError as exc:
            response = _error(404, 10003, f"Unknown resource: {exc}")
        record.status = response.status
        for rec in self._touched(path):
            if rec.answered_at is None and rec.answered():
                rec.answered_at = asyncio.get_running_loop().time()
        async with self._changed:
            self._changed.notify_all()
        return response

    def _touched(self, path: str) -> list[InteractionRecord]:
        parts = path.strip("/").split("/")
        token = parts[2] if len(parts) > 2 and parts[0] in ("interactions", "webhooks") else None
        return [self.interactions[token]] if token in self.interactions else []

    @staticmethod
    async def _multipart_json(request: web.Request) -> dict:
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":
                return json.loads(await part.text())
        return {}

    def _invalid(self, record: Request, errors: list[str]) -> web.Response:
        self.rejected.append((record, errors))
        return _error(400, 50035, "Invalid Form Body", errors)

    async def _route(self, r: Request) -> web.Response:
        m, p, body = r.method, r.path, r.json or {}
        parts = p.strip("/").split("/")
        if p == "/users/@me" and m == "GET":
            return _json(self.bot.user)
        if p in ("/gateway", "/gateway/bot") and m == "GET":
            limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
            # The gateway Discord names: this one, unless a test pointed the default elsewhere.
            url = str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
            return _json({"url": url, "shards": self.recommended_shards, "session_start_limit": limit})
        if p in ("/oauth2/applications/@me", "/applications/@me") and m == "GET":
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "archive-bot",
                    "icon": None,
                    "description": "",
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "verify_key": "0",
                    "flags": 0,
                    "owner": self.owner.user,
                    "team": None,
                    "summary": "",
                    "rpc_origins": [],
                }
            )
        if parts[0] == "applications" and parts[-1] == "commands" and parts[1] == str(APP_ID):
            return self._commands(r, body)
        if (
            parts[0] == "interactions"
            and len(parts) == 4
            and parts[3] == "callback"
            and m == "POST"
        ):
            return await self._callback(r, parts[1], parts[2], body)
        if parts[0] == "webhooks" and len(parts) >= 3 and parts[1] == str(APP_ID):
            return await self._webhook(r, parts[2], parts[3:], body)
        if parts[0] == "channels" and len(parts) >= 2:
            return await self._channel(r, int(parts[1]), parts[2:], body)
        if parts[0] == "guilds" and len(parts) >= 2 and parts[1] == str(GUILD_ID):
            return self._guild(r, parts[2:])
        return _error(404, 0, f"404: Not Found ({m} {p})")

    def _commands(self, r: Request, body: Any) -> web.Response:
        if r.method == "GET":
            return _json(list(self.commands.values()))
        if r.method != "PUT":
            return _error(405, 0, "405: Method Not Allowed")
        errors = command_errors(body)
        if errors:
            return self._invalid(r, errors)
        self.commands = {}
        for cmd in body:
            cid = next(self._ids)
            self.commands[cmd["name"]] = dict(
                cmd, id=str(cid), application_id=str(APP_ID), version="1", type=cmd.get("type", 1)
            )
        return _json(list(self.commands.values()))

    async def _callback(self, r: Request, iid: str, token: str, body: dict) -> web.Response:
        record = self.interactions.get(token)
        if record is None or str(record.id) != iid:
            return _error(404, 10062, "Unknown interaction")
        if record.callbacks:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        kind, data = body.get("type"), body.get("data") or {}
        if kind not in (1, 4, 5, 6, 7, 8, 9):
            return self._invalid(r, ["type: a valid interaction callback type is required"])
        if kind in (4, 7):
            errors = message_errors(data)
            if errors:
                return self._invalid(r, errors)
        if kind == 8 and len(data.get("choices", [])) > 25:
            return self._invalid(r, ["choices: must be 25 or fewer in length"])
        record.callbacks.append(body)
        record.payloads.append(data)
        ephemeral = bool((data.get("flags") or 0) & EPHEMERAL_FLAG)
        message = None
        if kind in (4, 5):
            flags = (data.get("flags") or 0) | (LOADING_FLAG if kind == 5 else 0)
            message = self._new_message(
                record.channel_id, self.bot, dict(data, flags=flags), kind=20
            )
            record.original = message
        elif kind in (6, 7):
            source = self.messages.get(record.message_id or 0)
            if source is None:
                return _error(400, 50035, "Invalid Form Body", ["no message to update"])
            if kind == 7:
                self._edit(source, data)
            message = source
        elif kind == 8:
            record.choices = data.get("choices", [])
        resource: dict[str, Any] = {"type": kind}
        if message:
            resource["message"] = message
        return _json(
            {
                "interaction": {
                    "id": iid,
                    "type": record.kind,
                    "response_message_id": message["id"] if message else None,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": ephemeral,
                },
                "resource": resource,
            }
        )

    async def _webhook(self, r: Request, token: str, rest: list[str], body: dict) -> web.Response:
        record = self.interactions.get(token)
        if record is None:
            return _error(404, 10015, "Unknown Webhook")
        m = r.method
        if not rest and m == "POST":
            errors = message_errors(body)
            if errors:
                return self._invalid(r, errors)
            record.payloads.append(body)
            original = record.original
            if original is not None and original["flags"] & LOADING_FLAG and not record.followups:
                # After a "thinking…" defer, the first follow-up takes the placeholder's place.
                self._edit(original, body)
                return _json(original)
            msg = self._new_message(record.channel_id, self.bot, body, kind=19)
            record.followups.append(msg)
            return _json(msg)
        if len(rest) == 2 and rest[0] == "messages":
            target = record.original if rest[1] == "@original" else self.messages.get(int(rest[1]))
            if target is None:
                return _error(404, 10008, "Unknown Message")
            if m == "GET":
                return _json(target)
            if m == "PATCH":
                errors = message_errors(body, require_body=False)
                if errors:
                    return self._invalid(r, errors)
                record.payloads.append(body)
                self._edit(target, body)
                return _json(target)
            if m == "DELETE":
                self.messages.pop(int(target["id"]), None)
                if target is record.original:
                    record.original = None
                else:
                    record.followups.remove(target)
                return web.Response(status=204)
        return _error(404, 0, "404: Not Found")

    async def _channel(self, r: Request, cid: int, rest: list[str], body: dict) -> web.Response:
        channel = self.channels.get(cid)
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
        m = r.method
        if not rest and m == "GET":
            return _json(channel)
        if rest == ["typing"] and m == "POST":
            return web.Response(status=204)
        if rest == ["threads"] and m == "POST":
            name = body.get("name") or ""
            if not 1 <= len(name) <= 100:
                return self._invalid(r, ["name: must be 1 to 100 long"])
            thread = self._add_thread(next(self._ids), cid, name, owner_id=APP_ID)
            await self.dispatch("THREAD_CREATE", dict(thread, newly_created=True))
            return _json(thread)
        if rest == ["messages"] and m == "POST":
            errors = message_errors(body)
            if errors:
                return self._invalid(r, errors)
            nonce = body.get("nonce")
            if nonce is not None and body.get("enforce_nonce"):
                # Discord returns the earlier message for a repeated nonce instead of a duplicate.
                earlier = next(
                    (x for x in self.channel_messages(cid) if x.get("nonce") == nonce), None
                )
                if earlier is not None:
                    return _json(earlier)
            msg = self._new_message(cid, self.bot, body)
            msg["nonce"] = nonce
            msg["allowed_mentions"] = body.get("allowed_mentions")
            await self.dispatch("MESSAGE_CREATE", msg)
            return _json(msg)
        if rest == ["messages"] and m == "GET":
            return _json(self._history(cid, r.query))
        if len(rest) >= 2 and rest[0] == "messages":
            msg = self.messages.get(int(rest[1]))
            if msg is None or msg["channel_id"] != str(cid):
                return _error(404, 10008, "Unknown Message")
            return await self._message_action(r, channel, msg, rest[2:], body)
        return _error(404, 0, "404: Not Found")

    async def _message_action(
        self, r: Request, channel: dict, msg: dict, rest: list[str], body: dict
    ) -> web.Response:
        m = r.method
        if not rest:
            if m == "GET":
                return _json(msg)
            if m == "PATCH":
                if msg["author"]["id"] != str(APP_ID):
                    return _error(403, 50005, "Cannot edit a message authored by another user")
                errors = message_errors(body, require_body=False)
                if errors:
                    return self._invalid(r, errors)
                self._edit(msg, body)
                await self.dispatch("MESSAGE_UPDATE", msg)
                return _json(msg)
            if m == "DELETE":
                self.messages.pop(int(msg["id"]))
                return web.Response(status=204)
        if rest == ["crosspost"] and m == "POST":
            if channel["type"] != 5:
                return _error(400, 50024, "Cannot execute action on this channel type")
            if msg["flags"] & CROSSPOSTED_FLAG:
                return _error(400, 40033, "This message has already been crossposted.")
            msg["flags"] |= CROSSPOSTED_FLAG
            return _json(msg)
        if rest == ["threads"] and m == "POST":
            name = body.get("name") or ""
            if not 1 <= len(name) <= 100:
                return self._invalid(r, ["name: must be 1 to 100 long"])
            if "thread" in msg:
                return _error(400, 160004, "A thread has already been created for this message")
            thread = self._add_thread(int(msg["id"]), int(channel["id"]), name, owner_id=APP_ID)
            msg["thread"] = thread
            await self.dispatch("THREAD_CREATE", dict(thread, newly_created=True))
            return _json(thread)
        return _error(404, 0, "404: Not Found")

    def _history(self, cid: int, query: dict[str, str]) -> list[dict]:
        found = sorted(self.channel_messages(cid), key=lambda x: int(x["id"]), reverse=True)
        if "before" in query:
            found = [x for x in found if int(x["id"]) < int(query["before"])]
        if "after" in query:
            found = [x for x in found if int(x["id"]) > int(query["after"])]
        return found[: int(query.get("limit", 50))]

    def _guild(self, r: Request, rest: list[str]) -> web.Response:
        if not rest and r.method == "GET":
            return _json(self._guild_payload())
        if rest == ["channels"] and r.method == "GET":
            return _json([c for c in self.channels.values() if c["type"] != 11])
        if rest == ["roles"] and r.method == "GET":
            return _json(self._guild_payload()["roles"])
        if len(rest) == 2 and rest[0] == "members" and r.method == "GET":
            member = next((x for x in [*self.members, self.bot] if str(x.id) == rest[1]), None)
            if member is None:
                return _error(404, 10007, "Unknown Member")
            return _json(self._member_payload(member))
        return _error(404, 0, "404: Not Found")


def _holds_guild(shard: tuple[int, int]) -> bool:
    """Discord's rule: a guild belongs to shard (guild_id >> 22) % shard_count."""
    shard_id, count = shard
    return (GUILD_ID >> 22) % count == shard_id


def _now() -> str:
    return datetime.now(UTC).isoformat()
