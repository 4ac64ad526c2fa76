from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm

from mentoring.jobs import enqueue
from roles.tasks import send_password_reset_email


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, but the mail goes out as a background job.

    Django answers the same whether or not the address is known; sending in the background
    also keeps the response time from telling the two apart.
    """

    def save(self, *, domain_override=None, use_https=False, request=None, **kwargs) -> None:
        domain = domain_override or request.get_host()
        for user in self.get_users(self.cleaned_data["email"]):
            enqueue(send_password_reset_email, user_id=user.pk, domain=domain, use_https=use_https)
