from django.urls import include, path

from mentoring import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.language_switch, name="language_switch"),
    path("", include("roles.urls")),
]
