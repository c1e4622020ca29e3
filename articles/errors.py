"""The one exception every parser raises for input it cannot read.

It lives apart from `articles.parse` so each format module can raise it without importing the
dispatcher that imports them; `articles.parse` re-exports it.
"""


class ParseError(Exception):
    """One-line, human reason: str(e) is shown next to the path."""
