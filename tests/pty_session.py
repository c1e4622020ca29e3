"""A command run on a real pseudo-terminal, driven by keystrokes, for colour and line editing."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[=>]")


class PtySession:
    """`archive-bot ARGS` with stdin, stdout and stderr on one pty."""

    def __init__(self, args: list[str], env: dict[str, str], *, cols: int = 120) -> None:
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args], stdin=slave, stdout=slave, stderr=slave,
            cwd=ROOT, env=env, start_new_session=True,
        )
        os.close(slave)
        self.output = ""

    def read_until(self, pattern: str, timeout: float = 60.0) -> str:
        """Everything read until `pattern` (a regex) shows up in the output, escapes included."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.output):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{pattern!r} never came; output so far:\n{self.output[-2000:]}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk and self.proc.poll() is not None:
                    raise AssertionError(f"{pattern!r} never came; exited:\n{self.output[-2000:]}")
                self.output += chunk.decode("utf-8", "replace")
        return self.output

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            os.close(self.master)
        return self.proc.returncode


def run_on_pty(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run a command to its end on a pty; its exit status and everything it wrote."""
    session = PtySession(args, env)
    try:
        while session.proc.poll() is None or _readable(session.master):
            if _readable(session.master, 0.2):
                try:
                    chunk = os.read(session.master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                session.output += chunk.decode("utf-8", "replace")
    finally:
        status = session.close()
    return status, session.output


def _readable(fd: int, timeout: float = 0.0) -> bool:
    return bool(select.select([fd], [], [], timeout)[0])


def plain(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")
