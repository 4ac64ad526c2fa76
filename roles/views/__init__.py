"""The roles app's pages, one module per concern: auth, people, invitations, imports,
trajectories and learning groups. Each view parses input with a form, asks the access
policy (mentoring/access.py) for its object, calls one service, and renders or redirects."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, items, *, param: str = "page") -> tuple[Page, str]:
    """The requested page (the last one if the number is too high), and the query string
    without the page number, for the pagination links to keep the filters. A second list on
    the same page passes its own `param` (and `param` to partials/pagination.html)."""
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: per field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
