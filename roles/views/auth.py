"""Log-in, log-out, password change and reset: Django's views with our templates and rules."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from roles.forms import PasswordResetForm


class LoginView(auth_views.LoginView):
    template_name = "roles/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        # The user's own language wins over whatever the browser asked for, from the next
        # page on (this response is only a redirect).
        language = form.get_user().preferred_language
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "roles/password_reset_form.html"
    form_class = PasswordResetForm


def login_attempt_username(request: HttpRequest, credentials: dict | None) -> str:
    """The address that failed log-ins are counted against, as it is stored: lower-cased.

    Otherwise "Coach@School.nl" and "coach@school.nl" would each get their own five tries.
    """
    source = credentials or request.POST
    return (source.get("username") or "").strip().lower()
