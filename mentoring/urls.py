from django.urls import include, path

from mentoring import views
from mentoring.admin import admin_site

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.language_switch, name="language_switch"),
    path("", include("roles.urls")),
    path("", include("observations.urls")),
    path("", include("reflection.urls")),
    path("admin/", admin_site.urls),
]
