"""Placeholder, being written."""

from django.http import HttpResponseNotFound


def learning_group_list(request, **kwargs):
    return HttpResponseNotFound()


def learning_group_create(request, **kwargs):
    return HttpResponseNotFound()


def learning_group_detail(request, **kwargs):
    return HttpResponseNotFound()
