"""Writes about people: each a typed, keyword-only function named <entity>_<verb>."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from roles.models import User


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}.")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def password_reset_email_send(*, user: User, domain: str, use_https: bool) -> None:
    """Mail a password-reset link, in the user's own language.

    The token is made here, at sending time, so it never travels through the job queue.
    """
    context = {
        "user": user,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(user.preferred_language):
        subject = render_to_string("emails/password_reset_subject.txt", context)
        body = render_to_string("emails/password_reset.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email])
    message.send()
