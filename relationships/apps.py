from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = "Relationships and visits"

    def ready(self):
        # The querysets read the per-request role sets of relationships/roles.py, which reads
        # the models: handed in here, so that the models do not import it.
        from relationships import models, notifications, roles, summary_refresh

        models.use_roles(roles.relationship_roles)
        notifications.register_kinds()
        summary_refresh.connect_signals()
