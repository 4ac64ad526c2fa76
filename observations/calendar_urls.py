from django.urls import path

from observations import calendar_views

urlpatterns = [
    path("calendar/", calendar_views.calendar_feed_settings, name="calendar_feed_settings"),
    # For calendar apps: public, the token is the key.
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
