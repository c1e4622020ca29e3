"""Who may do what: moderators post digests and manage subscriptions, maintainers reindex.

Slash commands also carry `default_permissions`, but a server admin can change those in Server
Settings > Integrations, so every restricted handler checks again here. Configured roles and users
replace the defaults: Manage Server for moderators, the application's owner for maintainers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import ArchiveBot


class NotAllowed(app_commands.CheckFailure):
    """The member lacks the role this command needs; the message says which."""


def _role_ids(user: discord.abc.User) -> set[int]:
    return {role.id for role in getattr(user, "roles", ())}


async def is_moderator(
    bot: ArchiveBot, user: discord.abc.User, permissions: discord.Permissions | None = None
) -> bool:
    """Configured moderator roles/users, else members with Manage Server."""
    s = bot.settings
    if s.moderator_role_ids or s.moderator_user_ids:
        return user.id in s.moderator_user_ids or bool(_role_ids(user) & s.moderator_role_ids)
    if permissions is None:
        permissions = getattr(user, "guild_permissions", None)
    return bool(permissions and permissions.manage_guild)


async def is_maintainer(bot: ArchiveBot, user: discord.abc.User) -> bool:
    """Configured maintainer roles/users, else the application's owner (or its team)."""
    s = bot.settings
    if s.maintainer_role_ids or s.maintainer_user_ids:
        return user.id in s.maintainer_user_ids or bool(_role_ids(user) & s.maintainer_role_ids)
    return await bot.is_owner(user)


def moderator_only():
    """App-command check: refuses non-moderators with an ephemeral explanation."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if await is_moderator(interaction.client, interaction.user, interaction.permissions):
            return True
        raise NotAllowed(
            "Only moderators can do this (Manage Server, or a configured moderator role)."
        )

    return app_commands.check(predicate)


def maintainer_only():
    """App-command check: refuses non-maintainers with an ephemeral explanation."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if await is_maintainer(interaction.client, interaction.user):
            return True
        raise NotAllowed("Only the bot's maintainers can do this.")

    return app_commands.check(predicate)
