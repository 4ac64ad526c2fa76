"""Learning groups: the list, creating one, and the group's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentoring import access
from roles import selectors, services
from roles.forms import LearningGroupForm
from roles.models import LearningGroup
from roles.views import add_service_errors, paginate


@require_http_methods(["GET"])
@login_required
def learning_group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.learning_group_list_for(request.user)
    page, query = paginate(request, groups)
    return render(
        request,
        "roles/learning_group_list.html",
        {
            "page": page,
            "query": query,
            "can_create": bool(access.coordinated_school_ids(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
@access.coordinator_required
def learning_group_create(request: HttpRequest) -> HttpResponse:
    form = LearningGroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.learning_group_create(
                actor=request.user,
                school=data["school"],
                school_year=data["school_year"],
                name=data["name"],
                format=data["format"],
                theme=data["theme"],
                facilitators=list(data["facilitators"]),
                members=list(data["members"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The learning group has been created."))
            return redirect("learning_group_detail", public_id=group.public_id)
    return render(request, "roles/learning_group_form.html", {"form": form})


@require_http_methods(["GET"])
@login_required
def learning_group_detail(request: HttpRequest, public_id) -> HttpResponse:
    group = access.get_for_user(
        request.user,
        LearningGroup.objects.select_related("school", "school_year"),
        "view",
        public_id=public_id,
    )
    return render(
        request,
        "roles/learning_group_detail.html",
        {
            "group": group,
            "facilitators": group.facilitators.order_by("full_name"),
            "members": group.memberships.select_related("user").order_by(
                "left_on", "user__full_name"
            ),
        },
    )
