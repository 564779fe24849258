from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


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


class RefuseNulCharactersMiddleware:
    """A NUL character in the path, a query parameter or a form field is a 400.

    No text Pilar keeps may hold one (PostgreSQL refuses it in text, so it would end
    as a 500 wherever a value reaches a query unchecked); refusing it here, for every
    page and the API, keeps each view from having to think of it. JSON bodies are
    checked by the API's own fields, which refuse NUL characters too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self._holds_nul(request):
            message = _("The request holds a character that is not allowed (NUL). Nothing was changed.")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path_info:
            return True
        sources = [request.GET]
        if request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            sources.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in source.getlist(key))
            for source in sources
            for key in source
        )


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page and API answer Pilar makes.

    Nearly every page shows personal data of vulnerable people (a list, a case, a
    report), and a shared phone or an office proxy must not keep a copy of it. Static
    files are served before this middleware (whitenoise) and keep their long caching.
    A response that chose its own caching keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
