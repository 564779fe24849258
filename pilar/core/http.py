from django.http import HttpRequest

from pilar.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a page behind PageLoginRequiredMiddleware: `user` is a signed-in User."""

    user: User
