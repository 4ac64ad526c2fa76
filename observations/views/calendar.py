"""The private calendar feed: the owner's page with the link, and the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from observations import calendar


@require_http_methods(["GET", "POST"])
@login_required
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    """GET shows the link (making it on first visit); POST replaces it with a new one."""
    if request.method == "POST":
        calendar.calendar_feed_regenerate(user=request.user)
        messages.success(
            request,
            _(
                "Your calendar has a new link. The old link no longer works: subscribe again "
                "with the new one."
            ),
        )
        return redirect("calendar_feed_settings")
    feed = calendar.calendar_feed_get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": feed.token}))
    context = {
        "feed": feed,
        "feed_url": feed_url,
        # Apple Calendar and Outlook open webcal:// links as a subscription.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
    }
    return render(request, "observations/calendar.html", context)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed, for calendar apps, which cannot log in: the token in the URL is the key.

    Unknown, replaced and deactivated links all get the same 404.
    """
    feed = calendar.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    body = calendar.calendar_serialise(
        user=feed.user,
        visits=calendar.calendar_visits_for(feed.user),
        uid_domain=request.get_host(),
    )
    return HttpResponse(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={
            # Calendar apps fetch it again anyway; no proxy or browser should keep a copy.
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": 'inline; filename="mentoring.ics"',
        },
    )
