"""Inviting people: the coordinator invites, re-sends or revokes; the invitee sets a password."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import access
from roles import services
from roles.forms import PersonInviteForm
from roles.models import Invitation


@require_http_methods(["GET", "POST"])
@access.coordinator_required
def person_invite(request: HttpRequest) -> HttpResponse:
    form = PersonInviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person, invitation = services.person_invite(
            actor=request.user,
            domain=request.get_host(),
            use_https=request.is_secure(),
            **form.cleaned_data,
        )
        if invitation is None:
            messages.success(
                request,
                _("%(person)s already has an account and has been added to %(school)s.")
                % {"person": person, "school": form.cleaned_data["school"]},
            )
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": person.email},
            )
        return redirect("person_detail", public_id=person.public_id)
    return render(request, "roles/person_invite.html", {"form": form})


def _invitation_for(request: HttpRequest, public_id) -> Invitation:
    return access.get_for_user(
        request.user,
        Invitation.objects.select_related("user", "school"),
        "manage",
        public_id=public_id,
    )


@require_POST
@login_required
def invitation_resend(request: HttpRequest, public_id) -> HttpResponse:
    invitation = _invitation_for(request, public_id)
    try:
        services.invitation_resend(
            actor=request.user,
            invitation=invitation,
            domain=request.get_host(),
            use_https=request.is_secure(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new invitation has been sent to %(email)s.") % {"email": invitation.user.email},
        )
    return redirect("person_detail", public_id=invitation.user.public_id)


@require_http_methods(["GET", "POST"])
@login_required
def invitation_revoke(request: HttpRequest, public_id) -> HttpResponse:
    invitation = _invitation_for(request, public_id)
    if request.method == "POST":
        try:
            services.invitation_revoke(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The invitation has been revoked; its link no longer works.")
            )
        return redirect("person_detail", public_id=invitation.user.public_id)
    return render(request, "roles/invitation_revoke.html", {"invitation": invitation})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation links to: choose a password, then log in."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "roles/invitation_accept.html", {"invitation": None})
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except ValidationError:
            return render(request, "roles/invitation_accept.html", {"invitation": None})
        messages.success(request, _("Your password has been set. You can now log in."))
        return redirect("login")
    return render(request, "roles/invitation_accept.html", {"invitation": invitation, "form": form})
