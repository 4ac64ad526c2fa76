from django.http import HttpRequest

from mentoring import access


def navigation(request: HttpRequest) -> dict:
    """Whether to show the coordinator's menu; a callable, so pages that never ask cost nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_is_coordinator": lambda: bool(access.coordinated_school_ids(user))}
