from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers


class HealthCheckMiddleware:
    """Answers GET /healthz/ before host validation and the HTTPS redirect.

    Container and load-balancer probes call the process directly, by its internal address
    and over plain http, so they would otherwise get a 400 (unknown host) or a 301.
    The answer says only whether the database responds.
    """

    path = "/healthz/"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != self.path:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # any database failure means "not healthy", whatever its class
            return JsonResponse({"status": "unavailable"}, status=503)
        return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


class PrivatePagesNotCachedMiddleware:
    """Nothing shown to a signed-in person is stored by the browser or a proxy.

    Classroom computers are shared: after one teacher logs out, the Back button must not
    bring their pages back for the next person.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
