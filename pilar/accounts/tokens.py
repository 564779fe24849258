"""API tokens (`Authorization: Token <key>`): one per user, made by its owner from a
signed-in session (after the second step, when their role must take it) or by the
administrator's command line, shown once, valid for PILAR_API_TOKEN_DAYS, revoked by
its owner or an administrator, and ended with the user's sessions
(`User.end_sessions`). A token reaches what its user's roles reach, as a session does."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from pilar.accounts.models import User
from pilar.core.history import stamp


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.PILAR_API_TOKEN_DAYS)


def expires_at(token: Token) -> datetime.datetime:
    return token.created + lifetime()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once it is older than its lifetime."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if timezone.now() >= expires_at(token):
            raise exceptions.AuthenticationFailed(_("This API token has expired: make a new one on Sign-in security."))
        return user, token


@transaction.atomic
def issue(user: User) -> Token:
    """A new token for `user`, replacing any earlier one (shown to them once)."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    stamp(user, user, gettext_noop("API token made"))
    user.save()
    return token


@transaction.atomic
def revoke(user: User, *, acting_user: User) -> bool:
    """End `user`'s token; whether there was one. Recorded in the user's history."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        reason = (
            gettext_noop("API token revoked")
            if acting_user.pk == user.pk
            else gettext_noop("API token revoked by an administrator")
        )
        stamp(user, acting_user, reason)
        user.save()
    return bool(deleted)
