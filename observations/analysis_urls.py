from django.urls import path

from observations import analysis_views

urlpatterns = [
    path(
        "trajectories/<uuid:public_id>/analysis/",
        analysis_views.trajectory_analysis,
        name="trajectory_analysis",
    ),
    path(
        "observations/<uuid:public_id>/profile/",
        analysis_views.observation_profile,
        name="observation_profile",
    ),
    path(
        "visits/<uuid:public_id>/agreement/", analysis_views.visit_agreement, name="visit_agreement"
    ),
]
