from celery import shared_task

from roles import services
from roles.models import User


@shared_task(name="roles.send_password_reset_email")
def send_password_reset_email(*, user_id: int, domain: str, use_https: bool) -> None:
    # Fetch fresh: the account may have been deactivated since the request. A second
    # delivery sends a second, equally valid link, which is harmless.
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    services.password_reset_email_send(user=user, domain=domain, use_https=use_https)
