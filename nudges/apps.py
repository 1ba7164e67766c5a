from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "nudges"
    verbose_name = "Scheduled reminders and digests"

    def ready(self) -> None:
        from nudges import notifications

        notifications.register_kinds()
