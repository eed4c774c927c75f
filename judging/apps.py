from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self) -> None:
        from judging.jury_invite import juror_email_verify_on_password_reset  # noqa: F401  (connects the receiver)
        from judging.receivers import entries_rounds_follow_on_commit  # noqa: F401  (connects the receiver)
