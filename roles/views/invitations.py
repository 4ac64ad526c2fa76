"""Placeholder, being written."""

from django.http import HttpResponseNotFound


def person_invite(request, **kwargs):
    return HttpResponseNotFound()


def invitation_resend(request, **kwargs):
    return HttpResponseNotFound()


def invitation_revoke(request, **kwargs):
    return HttpResponseNotFound()


def invitation_accept(request, **kwargs):
    return HttpResponseNotFound()
