from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Relationships and visits")

    def ready(self):
        # The querysets read the per-request role sets of relationships/roles.py, which reads
        # the models: handed in here, so that the models do not import it.
        from django.contrib.auth.signals import user_logged_in

        from core import languages
        from relationships import models, notifications, roles, summary_refresh

        models.use_roles(roles.relationship_roles)
        notifications.register_kinds()
        summary_refresh.connect_signals()
        # A person's chosen language is kept here; the outbox and the middleware ask through
        # core/languages.py, and it goes into the session at each log-in.
        languages.register(models.PersonSettings.language_of)
        user_logged_in.connect(language_at_login, dispatch_uid="relationships.language_at_login")


def language_at_login(sender, request, user, **kwargs) -> None:
    """Keep the person's chosen language in their new session (core/languages.py)."""
    from core import languages

    if request is not None and hasattr(request, "session"):
        languages.remember(request, languages.chosen(user))
