from django.urls import path

from observations.views import analysis, calendar, instruments, observations, visits

urlpatterns = [
    # Lesson visits
    path("visits/", visits.visit_list, name="visit_list"),
    path("trajectories/<uuid:public_id>/visits/new/", visits.visit_plan, name="visit_plan"),
    path("visits/<uuid:public_id>/", visits.visit_detail, name="visit_detail"),
    path("visits/<uuid:public_id>/reschedule/", visits.visit_reschedule, name="visit_reschedule"),
    path("visits/<uuid:public_id>/cancel/", visits.visit_cancel, name="visit_cancel"),
    path("visits/<uuid:public_id>/held/", visits.visit_mark_held, name="visit_mark_held"),
    # The observation form and the finished observation
    path(
        "visits/<uuid:public_id>/observe/",
        observations.observation_start,
        name="observation_start",
    ),
    path(
        "observations/<uuid:public_id>/",
        observations.observation_detail,
        name="observation_detail",
    ),
    path(
        "observations/<uuid:public_id>/save/",
        observations.observation_save,
        name="observation_save",
    ),
    path(
        "observations/<uuid:public_id>/finalise/",
        observations.observation_finalise,
        name="observation_finalise",
    ),
    # Analysis: profile, growth, suggested focus, agreement between observers
    path(
        "trajectories/<uuid:public_id>/analysis/",
        analysis.trajectory_analysis,
        name="trajectory_analysis",
    ),
    path(
        "observations/<uuid:public_id>/profile/",
        analysis.observation_profile,
        name="observation_profile",
    ),
    path("visits/<uuid:public_id>/agreement/", analysis.visit_agreement, name="visit_agreement"),
    # Instruments (coordinators)
    path("instruments/", instruments.instrument_list, name="instrument_list"),
    path("instruments/import/", instruments.instrument_import, name="instrument_import"),
    # The private calendar feed; the feed itself is public, its token is the key.
    path("calendar/", calendar.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
