from django.urls import path

from observations import views

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/import/", views.instrument_import, name="instrument_import"),
]
