"""Importing people from a CSV file: upload, preview with row-level errors, confirm."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound


def people_import(request: HttpRequest) -> HttpResponse:  # placeholder, being written
    return HttpResponseNotFound()


def people_import_preview(request: HttpRequest, public_id) -> HttpResponse:  # placeholder
    return HttpResponseNotFound()
