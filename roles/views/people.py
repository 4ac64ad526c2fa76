"""Placeholder, being written."""

from django.http import HttpResponseNotFound


def school_year_list(request, **kwargs):
    return HttpResponseNotFound()


def person_list(request, **kwargs):
    return HttpResponseNotFound()


def person_detail(request, **kwargs):
    return HttpResponseNotFound()


def role_assign(request, **kwargs):
    return HttpResponseNotFound()


def person_deactivate(request, **kwargs):
    return HttpResponseNotFound()
