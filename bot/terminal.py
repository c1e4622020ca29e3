"""Writing to a terminal: colour and bold on a terminal, plain text when piped or NO_COLOR is set.

Renderers build `Block`s of styled spans; `Output` prints them plainly, or through rich (imported
only when colour is on) with the terminal's width and the block's indent kept on wrapped lines.
Styles are rich style names ("bold", "dim", "green", ...).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

Span = tuple[str, str | None]
_TEXT_FRAGMENT = re.compile(r"#:~:text=[^)\s>]*")  # a browser's scroll-to-text, noise on a terminal


@dataclass
class Block:
    """One paragraph of output: styled spans, printed with `indent` spaces on every line."""

    spans: list[Span] = field(default_factory=list)
    indent: int = 0

    def add(self, text: str, style: str | None = None) -> Block:
        if text:
            self.spans.append((text, style))
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.spans)


def line(text: str = "", style: str | None = None, *, indent: int = 0) -> Block:
    return Block(indent=indent).add(text, style)


def highlighted(text: str, spans: Iterable[tuple[int, int]], style: str, *, indent: int = 0) -> Block:
    """`text` with the (start, end) spans in `style` (plain output shows them unmarked)."""
    block, last = Block(indent=indent), 0
    for start, end in sorted(spans):
        if start < last or not 0 <= start < end <= len(text):
            continue
        block.add(text[last:start]).add(text[start:end], style)
        last = end
    return block.add(text[last:])


def wants_colour(stream: TextIO, choice: str = "auto") -> bool:
    """`--color always|never|auto`: auto means a terminal, NO_COLOR unset, TERM not dumb."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Output:
    """Where a command's result goes (stdout, or a chat session's stream)."""

    def __init__(self, stream: TextIO, *, colour: bool) -> None:
        self.stream = stream
        self.colour = colour
        self._console = None

    @property
    def console(self):
        """A rich console on the stream (only when colour is on)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(
                file=self.stream, force_terminal=True, highlight=False, markup=False, emoji=False,
                soft_wrap=False,
            )
        return self._console

    def print(self, blocks: Block | Iterable[Block]) -> None:
        if isinstance(blocks, Block):
            blocks = [blocks]
        if not self.colour:
            for block in blocks:
                pad = " " * block.indent
                self.stream.write("\n".join(pad + part for part in block.plain.split("\n")) + "\n")
            self.stream.flush()
            return
        from rich.padding import Padding
        from rich.text import Text

        for block in blocks:
            text = Text.assemble(*block.spans) if block.spans else Text("")
            self.console.print(Padding(text, (0, 0, 0, block.indent), expand=False) if block.indent else text)
        self.stream.flush()

    def markdown(self, text: str) -> None:
        """Discord-flavoured markdown (bold, quotes, links), rendered or stripped to plain text."""
        text = _TEXT_FRAGMENT.sub("", text)
        if self.colour:
            from rich.markdown import Markdown

            # Discord breaks a line at every newline; markdown needs two trailing spaces.
            self.console.print(Markdown(re.sub(r"(?<!\n)\n(?!\n)", "  \n", text), hyperlinks=False))
        else:
            self.stream.write(plain_markdown(text) + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.colour:
            self.console.clear()


def plain_markdown(text: str) -> str:
    """Discord markdown as plain text: `**x**` -> x, `[t](u)` -> t <u>, escapes undone."""
    text = re.sub(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)", r"\1 <\2>", text)
    text = re.sub(r"(?<!\\)(\*\*|__|~~)", "", text)
    text = re.sub(r"(?<![\\*\w])\*(?!\s)([^*\n]+?)(?<![\s\\])\*(?!\w)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|~>])", r"\1", text)
    return text.replace("\u200b", "")
