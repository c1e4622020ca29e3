"""The Discord bot, its command line, and the terminal chat."""

__version__ = "0.1.0"
