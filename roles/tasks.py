from celery import shared_task

from roles import services
from roles.models import Invitation, InvitationStatus, User


@shared_task(name="roles.send_password_reset_email")
def send_password_reset_email(*, user_id: int, domain: str, use_https: bool) -> None:
    # Fetch fresh: the account may have been deactivated since the request. A second
    # delivery sends a second, equally valid link, which is harmless.
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    services.password_reset_email_send(user=user, domain=domain, use_https=use_https)


@shared_task(name="roles.send_invitation_email")
def send_invitation_email(*, invitation_id: int, domain: str, use_https: bool) -> None:
    # A revoked or accepted invitation gets no mail, even if the job was queued before.
    invitation = (
        Invitation.objects.select_related("user", "school")
        .filter(pk=invitation_id, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        return
    services.invitation_email_send(invitation=invitation, domain=domain, use_https=use_https)


@shared_task(name="roles.send_invitation_emails")
def send_invitation_emails(*, invitation_ids: list[int], domain: str, use_https: bool) -> None:
    """The invitations of an import, one batch per job.

    Only invitations never mailed yet (no token) are sent, so a second delivery of the same
    job sends nothing twice and does not invalidate the links already sent.
    """
    invitations = Invitation.objects.select_related("user", "school", "invited_by").filter(
        pk__in=invitation_ids, status=InvitationStatus.PENDING, token_hash__isnull=True
    )
    for invitation in invitations:
        services.invitation_email_send(invitation=invitation, domain=domain, use_https=use_https)
