"""The analysis pages: a trajectory's growth and suggested focus, one observation's domain
profile, and the agreement of two observers of one visit.

All three show content of the trajectory, so each asks the access policy for "view_content"
(through the observation's own rule for the profile) and writes the read to the audit log.
The numbers come from observations/insights.py, the charts from observations/charts.py.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from mentoring import access
from mentoring.audit import audit_record
from observations import charts, insights
from observations.models import LessonVisit, Observation, ObservationStatus
from roles.models import Trajectory, TrajectoryStatus


@require_http_methods(["GET"])
@login_required
def trajectory_analysis(request: HttpRequest, public_id) -> HttpResponse:
    trajectory = access.get_for_user(
        request.user,
        Trajectory.objects.select_related("teacher", "begeleider", "begeleider_role", "school"),
        "view_content",
        public_id=public_id,
    )
    audit_record(actor=request.user, action="trajectory.analysis_viewed", obj=trajectory)
    result = insights.trajectory_analysis_for(request.user, trajectory)
    context = {
        "trajectory": trajectory,
        "analysis": result,
        # "Make this a learning goal" beside each suggested item, for whoever may set goals.
        "can_create_goal": access.can(request.user, "edit_content", trajectory)
        and trajectory.status == TrajectoryStatus.ACTIVE,
    }
    if result.growth:
        domains = result.layout.teaching_domains
        context.update(
            growth_chart=charts.growth_chart(result.growth, domains, chart_id="growth"),
            growth_rows=charts.growth_table(result.growth, domains),
            profile=result.latest.profile,
            profile_chart=charts.domain_profile_chart(
                result.latest.profile, chart_id="latest-profile"
            ),
        )
    return render(request, "observations/analysis_trajectory.html", context)


@require_http_methods(["GET"])
@login_required
def observation_profile(request: HttpRequest, public_id) -> HttpResponse:
    """The domain profile of one observation: a fragment the observation page loads with
    htmx, or a page of its own when opened without JavaScript."""
    observation = access.get_for_user(
        request.user,
        Observation.objects.select_related(
            "instrument", "observer", "visit__trajectory__teacher", "visit__trajectory__school"
        ),
        "view",
        public_id=public_id,
    )
    if observation.observer_id != request.user.pk:
        audit_record(
            actor=request.user,
            action="observation.profile_viewed",
            obj=observation,
            school=observation.visit.trajectory.school,
        )
    layout = insights.instrument_layout(observation.instrument)
    context = {"observation": observation, "visit": observation.visit, "profile": None}
    if layout.supports_analysis:
        (lesson,) = insights.scored_lessons([observation])
        profile = insights.domain_profile(lesson, layout)
        context.update(
            profile=profile,
            profile_chart=charts.domain_profile_chart(profile, chart_id="observation-profile"),
        )
    context["can_compare"] = (
        observation.status == ObservationStatus.FINAL
        and access.observations_visible_to(request.user)
        .filter(visit=observation.visit, status=ObservationStatus.FINAL)
        .count()
        >= 2
    )
    fragment = request.headers.get("HX-Request") == "true"
    response = render(
        request,
        "observations/partials/observation_profile.html"
        if fragment
        else "observations/analysis_profile.html",
        context,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET"])
@login_required
def visit_agreement(request: HttpRequest, public_id) -> HttpResponse:
    visit = access.get_for_user(
        request.user,
        LessonVisit.objects.select_related("trajectory__teacher", "trajectory__school"),
        "view_content",
        public_id=public_id,
    )
    audit_record(
        actor=request.user,
        action="visit.agreement_viewed",
        obj=visit,
        school=visit.trajectory.school,
    )
    comparison, reason = None, ""
    try:
        comparison = insights.visit_agreement_for(request.user, visit)
    except insights.AgreementUnavailable as unavailable:
        reason = str(unavailable)
    return render(
        request,
        "observations/analysis_agreement.html",
        {"visit": visit, "comparison": comparison, "reason": reason},
    )
