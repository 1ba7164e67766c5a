from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Relationships and visits")

    def ready(self):
        # The querysets read the per-request role sets of relationships/roles.py, which reads
        # the models: handed in here, so that the models do not import it.
        from relationships import models, notifications, roles

        models.use_roles(roles.relationship_roles)
        notifications.register_kinds()
