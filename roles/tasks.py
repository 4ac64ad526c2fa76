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
