"""`archive-bot run` when Discord cannot be reached: retried with backoff, then one line, status 1.

Real sockets on 127.0.0.1: a port nobody listens on, an HTTP server answering 503, a server that
accepts connections and drops them, and the Discord stand-in with its gateway taken away.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import discord
import yarl
from aiohttp import web

from bot.client import run
from bot.config import Settings
from tests.discord_standin import TOKEN, DiscordStandin


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(start) -> Iterator[dict]:
    """Run `await start(holder)` in a thread with its own loop until the test is done."""
    ready, holder = threading.Event(), {}

    def serve() -> None:
        async def main() -> None:
            holder["loop"], holder["stop"] = asyncio.get_running_loop(), asyncio.Event()
            cleanup = await start(holder)
            ready.set()
            await holder["stop"].wait()
            await cleanup()

        asyncio.run(main())

    thread = threading.Thread(target=serve)
    thread.start()
    assert ready.wait(10)
    try:
        yield holder
    finally:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(10)


@contextmanager
def discord_state() -> Iterator[None]:
    """run() sets the REST base, and logging for the process: put both back afterwards."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
        root.handlers[:], root.level = handlers, level


def run_against(db_copy, api_base: str) -> int:
    settings = replace(Settings(db_path=db_copy), discord_token="token", api_base=api_base)
    with discord_state():
        return run(settings, attempts=3, retry_delay=0.01)


def last_line(err: str) -> str:
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


def test_an_unreachable_api_is_retried_then_one_line(db_copy, capsys):
    port = closed_port()
    assert run_against(db_copy, f"http://127.0.0.1:{port}/api/v10") == 1
    err = capsys.readouterr().err
    assert err.count("trying again in") == 2
    line = last_line(err)
    assert line.startswith(f"archive-bot: cannot reach Discord's API at http://127.0.0.1:{port}/api/v10")
    assert line.endswith("(tried 3 times)")


def test_an_api_answering_server_errors_is_retried_then_one_line(db_copy, capsys):
    async def start(holder):
        async def unavailable(request):
            holder.setdefault("hits", []).append(request.path)
            return web.json_response({"message": "Service Unavailable", "code": 0}, status=503)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", unavailable)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        holder["port"] = site._server.sockets[0].getsockname()[1]
        return runner.cleanup

    with serving(start) as server:
        assert run_against(db_copy, f"http://127.0.0.1:{server['port']}/api/v10") == 1
    assert len(server["hits"]) == 3
    assert "server error 503 (tried 3 times)" in last_line(capsys.readouterr().err)


def test_an_unreachable_gateway_is_retried_then_one_line(db_copy, capsys):
    async def start(holder):
        standin = await DiscordStandin().start()
        holder["api"] = standin.api_base
        return standin.stop

    with serving(start) as server:
        port = closed_port()
        with discord_state():
            settings = replace(Settings(db_path=db_copy), discord_token="token", api_base=server["api"])
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
            assert run(settings, attempts=3, retry_delay=0.01) == 1
    line = last_line(capsys.readouterr().err)
    assert line.startswith(f"archive-bot: cannot reach Discord's gateway at ws://127.0.0.1:{port}/")


def test_a_gateway_that_drops_the_connection_is_one_line(db_copy, capsys):
    async def start(holder):
        standin = await DiscordStandin().start()

        async def drop(reader, writer):
            writer.close()

        server = await asyncio.start_server(drop, "127.0.0.1", 0)
        holder["api"], holder["port"] = standin.api_base, server.sockets[0].getsockname()[1]

        async def cleanup():
            server.close()
            await standin.stop()

        return cleanup

    with serving(start) as server, discord_state():
        settings = replace(Settings(db_path=db_copy), discord_token=TOKEN, api_base=server["api"])
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{server['port']}/")
        assert run(settings, attempts=2, retry_delay=0.01) == 1
    err = capsys.readouterr().err
    assert "Failed to connect for shard_id: 0. Retrying... (" in err  # discord.py's own retry, in one line
    assert last_line(err).startswith("archive-bot: cannot connect to Discord's gateway at ws://127.0.0.1:")
