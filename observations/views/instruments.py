"""The coordinator's pages for observation instruments: the list, and loading from a file."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from mentoring import access
from observations import instruments
from observations.forms import InstrumentImportForm

# A page of a few hundred problems is already more than anyone reads; the first ones are
# enough to correct the file and try again.
SHOWN_PROBLEMS = 200


@require_http_methods(["GET"])
@access.coordinator_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "observations/instrument_list.html",
        {"instruments": instruments.instruments_for_coordinator(request.user)},
    )


@require_http_methods(["GET", "POST"])
@access.coordinator_required
def instrument_import(request: HttpRequest) -> HttpResponse:
    """Load a whole instrument at once; indicators after a preview the coordinator confirms."""
    if request.method == "POST":
        form = InstrumentImportForm(request.POST, request.FILES, user=request.user)
    else:
        form = InstrumentImportForm(user=request.user)
    problems, check, token = [], None, ""
    if form.is_bound and form.is_valid():
        school, filename, data = (
            form.cleaned_data["school"],
            form.cleaned_data["filename"],
            form.cleaned_data["data"],
        )
        try:
            if form.cleaned_data["kind"] == instruments.ImportKind.INSTRUMENT:
                instrument = instruments.instrument_load(
                    actor=request.user, school=school, filename=filename, data=data
                )
                messages.success(request, instruments.instrument_loaded_message(instrument))
                return redirect("instrument_list")
            if form.cleaned_data["confirming"] and form.cleaned_data["items_match"]:
                result = instruments.indicators_load(
                    actor=request.user,
                    school=school,
                    filename=filename,
                    data=data,
                    items_match_confirmed=True,
                )
                messages.success(request, instruments.indicators_loaded_message(result))
                return redirect("instrument_list")
            check = instruments.indicators_check(school=school, filename=filename, data=data)
            token = form.confirmation_token(filename=filename, data=data)
            if form.cleaned_data["confirming"]:
                form.add_error(
                    "items_match",
                    gettext("Tick the box once you have checked every item, or load another file."),
                )
        except instruments.InstrumentFileInvalid as error:
            problems = error.problems
    return render(
        request,
        "observations/instrument_import.html",
        {
            "form": form,
            "problems": problems[:SHOWN_PROBLEMS],
            "problems_hidden": max(len(problems) - SHOWN_PROBLEMS, 0),
            "check": check,
            "token": token,
        },
    )
