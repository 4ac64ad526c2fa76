from django.urls import path

from observations import visit_views

urlpatterns = [
    path("visits/", visit_views.visit_list, name="visit_list"),
    path("trajectories/<uuid:public_id>/visits/new/", visit_views.visit_plan, name="visit_plan"),
    path("visits/<uuid:public_id>/", visit_views.visit_detail, name="visit_detail"),
    path(
        "visits/<uuid:public_id>/reschedule/",
        visit_views.visit_reschedule,
        name="visit_reschedule",
    ),
    path("visits/<uuid:public_id>/cancel/", visit_views.visit_cancel, name="visit_cancel"),
    path("visits/<uuid:public_id>/held/", visit_views.visit_mark_held, name="visit_mark_held"),
]
