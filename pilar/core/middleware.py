from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PageLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless marked `login_not_required` (fail closed).

    The API is left to Django REST framework, which authenticates tokens as well as
    sessions and answers 401/403 in JSON instead of redirecting to the login page.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ChosenLanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, and many
    phones in Indonesia are set to English while their users expect the official terms
    in Indonesian. Only an explicit choice (the language cookie) changes the language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
