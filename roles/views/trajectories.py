"""Placeholder, being written."""

from django.http import HttpResponseNotFound


def trajectory_list(request, **kwargs):
    return HttpResponseNotFound()


def trajectory_create(request, **kwargs):
    return HttpResponseNotFound()


def trajectory_detail(request, **kwargs):
    return HttpResponseNotFound()


def trajectory_focus_edit(request, **kwargs):
    return HttpResponseNotFound()


def trajectory_end(request, **kwargs):
    return HttpResponseNotFound()
