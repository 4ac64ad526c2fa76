"""Importing people from a CSV file: upload, preview with row-level errors, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mentoring import access
from roles import imports
from roles.models import PeopleImport


@require_http_methods(["GET", "POST"])
@access.coordinator_required
def people_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = imports.PeopleImportForm(request.POST, request.FILES, user=request.user)
    else:
        form = imports.PeopleImportForm(user=request.user)
    if form.is_bound and form.is_valid():
        try:
            people_import = imports.people_import_create(
                actor=request.user,
                school=form.cleaned_data["school"],
                filename=form.cleaned_data["file"].name,
                content=form.cleaned_data["content"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("people_import_preview", public_id=people_import.public_id)
    return render(
        request,
        "roles/people_import.html",
        {"form": form, "max_people": imports.MAX_PEOPLE},
    )


@require_http_methods(["GET", "POST"])
@login_required
def people_import_preview(request: HttpRequest, public_id) -> HttpResponse:
    """GET shows every row as it would be imported; POST imports them all (or none)."""
    people_import = access.get_for_user(
        request.user,
        PeopleImport.objects.select_related("school", "created_by"),
        "manage",
        public_id=public_id,
    )
    if request.method == "POST":
        try:
            result = imports.people_import_confirm(
                actor=request.user,
                people_import=people_import,
                domain=request.get_host(),
                use_https=request.is_secure(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("people_import_preview", public_id=people_import.public_id)
        messages.success(request, imports.people_import_result_message(result))
        return redirect("person_list")
    check = imports.people_import_check(people_import=people_import)
    return render(
        request,
        "roles/people_import_preview.html",
        {
            "people_import": people_import,
            "check": check,
            "error_rows_hidden": len(check.error_rows) - len(check.shown_error_rows),
            "good_rows_hidden": len(check.good_rows) - len(check.shown_good_rows),
        },
    )
