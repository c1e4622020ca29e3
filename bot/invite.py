"""The invite link: the bot and its slash commands, with only the permissions it uses."""

from __future__ import annotations

import discord

SCOPES = ("bot", "applications.commands")

# Answering in channels and threads, opening a thread per mentioned question, and publishing.
# Manage Messages is for crossposting new-article posts out of announcement channels.
# No Mention Everyone: subscribed roles are pinged because they are made mentionable instead.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    read_message_history=True,
    manage_messages=True,
)


def invite_url(application_id: int | str) -> str:
    """The OAuth2 URL a server admin opens to add the bot; ValueError for a malformed id."""
    text = str(application_id).strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**64:
        raise ValueError(
            "an application id is a number of up to 20 digits (Developer Portal > your application "
            f"> General Information), got {text!r}"
        )
    return discord.utils.oauth_url(int(text), permissions=PERMISSIONS, scopes=SCOPES)
