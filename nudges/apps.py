from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NudgesConfig(AppConfig):
    name = "nudges"
    verbose_name = _("Scheduled reminders and digests")

    def ready(self) -> None:
        from nudges import notifications

        notifications.register_kinds()
