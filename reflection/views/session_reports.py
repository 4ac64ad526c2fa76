"""Session reports of a learning group: a facilitator asks for one, everyone in the group
watches it being made and downloads it.

The same pattern as the conversation reports (reflection/views/reports.py), without the
confirmations: the panel on the session page (reflection/partials/session_report_panel.html)
keeps its status line in place while htmx polls `session_reports` for the panel's body every
two seconds during a render, and the new status line comes along out of band. Downloads go
through `session_report_download` only, which checks permission and audits every download.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mentoring import access
from mentoring.audit import audit_record
from mentoring.reports import report_file_response
from reflection import group_reports, services
from reflection.models import GroupSession, SessionReport
from roles.models import User

# The newest report and a few before it; older ones are only counted.
EARLIER_REPORTS = 3


def session_url(session: GroupSession) -> str:
    return reverse("session_detail", kwargs={"public_id": session.public_id}) + "#reports"


def session_report_panel_context(user: User, session: GroupSession) -> dict:
    """What reflection/partials/session_report_panel.html needs, page or fragment, for someone
    who may read the session: two queries, however many reports there are."""
    reports = list(
        session.reports.select_related("requested_by").order_by("-created_at", "-pk")[
            : EARLIER_REPORTS + 1
        ]
    )
    latest = reports[0] if reports else None
    return {
        "session": session,
        "report_panel": {
            "latest": latest,
            "earlier": [report for report in reports[1:] if report.file_name],
            "polling": latest is not None and latest.is_pending,
            "may_request": access.can(user, "request", SessionReport(session=session)),
        },
        "languages": settings.LANGUAGES,
        "current_language": get_language(),
    }


@require_http_methods(["GET", "POST"])
@login_required
def session_reports(request: HttpRequest, public_id) -> HttpResponse:
    """GET: the report panel (the fragment htmx polls). POST: a facilitator asks for a report."""
    session = access.get_for_user(
        request.user,
        GroupSession.objects.select_related("group__school"),
        "view_content",
        public_id=public_id,
    )
    if request.method == "POST":
        try:
            _report, created = services.session_report_request(
                actor=request.user, session=session, language=request.POST.get("language", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(
                    request, _("The report is being made. It appears here when it is ready.")
                )
            else:
                messages.info(request, _("This report is already being made."))
        return redirect(session_url(session))
    if request.headers.get("HX-Request") != "true":
        return redirect(session_url(session))
    response = render(
        request,
        "reflection/partials/session_report_panel_body.html",
        {**session_report_panel_context(request.user, session), "oob": True},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def session_report_download(request: HttpRequest, public_id) -> HttpResponse:
    report = access.get_for_user(
        request.user,
        SessionReport.objects.select_related("session__group__school"),
        "view",
        public_id=public_id,
    )
    if not report.file_name:
        messages.error(request, _("This report is not ready yet."))
        return redirect(session_url(report.session))
    audit_record(
        actor=request.user,
        action="session_report.downloaded",
        obj=report,
        school=report.session.group.school,
    )
    return report_file_response(report, download_name=group_reports.download_name(report))
