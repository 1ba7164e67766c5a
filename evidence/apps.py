from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Classroom evidence")

    def ready(self):
        from evidence import notifications

        notifications.register_kinds()
