from django.urls import path

from observations import observation_views

urlpatterns = [
    path(
        "visits/<uuid:public_id>/observe/",
        observation_views.observation_start,
        name="observation_start",
    ),
    path(
        "observations/<uuid:public_id>/",
        observation_views.observation_detail,
        name="observation_detail",
    ),
    path(
        "observations/<uuid:public_id>/save/",
        observation_views.observation_save,
        name="observation_save",
    ),
    path(
        "observations/<uuid:public_id>/finalise/",
        observation_views.observation_finalise,
        name="observation_finalise",
    ),
]
