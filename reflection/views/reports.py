"""Conversation reports: ask for one, watch it being made, download it, confirm it.

The report panel on the conversation page (reflection/partials/report_panel.html) keeps its
status line in place; while a report is being made, htmx asks `conversation_reports` for the
panel's body (report_panel_body.html) every few seconds, and the new status line comes along
out of band, so screen readers hear the change. Without JavaScript the panel has a link to
look again. Downloads go through `report_download` only, which checks permission and audits
every download.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from mentoring.reports import report_file_response
from reflection import services
from reflection.models import ConversationReport
from reflection.reports import download_name
from reflection.views.conversations import (
    _conversation_for,
    conversation_url,
    report_panel_context,
)


def _report_for(request: HttpRequest, public_id, action: str = "view") -> ConversationReport:
    return access.get_for_user(
        request.user,
        ConversationReport.objects.select_related(
            "conversation__trajectory__school",
            "conversation__trajectory__begeleider_role",
            "requested_by",
        ),
        action,
        public_id=public_id,
    )


@require_http_methods(["GET", "POST"])
@login_required
def conversation_reports(request: HttpRequest, public_id) -> HttpResponse:
    """GET: the report panel (the fragment htmx polls). POST: ask for a report."""
    conversation = _conversation_for(request, public_id)
    if request.method == "POST":
        try:
            report, created = services.conversation_report_request(
                actor=request.user,
                conversation=conversation,
                language=request.POST.get("language", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(
                    request, _("The report is being made. It appears here when it is ready.")
                )
            elif report.is_pending:
                messages.info(request, _("This report is already being made."))
            else:
                messages.info(request, _("The report below is up to date; no new one is needed."))
        return redirect(conversation_url(conversation, "reports"))
    if request.headers.get("HX-Request") != "true":
        return redirect(conversation_url(conversation, "reports"))
    response = render(
        request,
        "reflection/partials/report_panel_body.html",
        {**report_panel_context(request, conversation), "oob": True},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def report_download(request: HttpRequest, public_id) -> HttpResponse:
    report = _report_for(request, public_id)
    if not report.file_name:
        messages.error(request, _("This report is not ready yet."))
        return redirect(conversation_url(report.conversation, "reports"))
    audit_record(
        actor=request.user,
        action="conversation_report.downloaded",
        obj=report,
        school=report.conversation.trajectory.school,
    )
    return report_file_response(report, download_name=download_name(report))


@require_POST
@login_required
def report_confirm(request: HttpRequest, public_id) -> HttpResponse:
    report = _report_for(request, public_id, "confirm")
    try:
        services.conversation_report_confirm(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your confirmation has been recorded. The report is updated to show it."),
        )
    return redirect(conversation_url(report.conversation, "reports"))


@require_POST
@login_required
def report_retry(request: HttpRequest, public_id) -> HttpResponse:
    report = _report_for(request, public_id)
    try:
        services.conversation_report_retry(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is being made again."))
    return redirect(conversation_url(report.conversation, "reports"))
