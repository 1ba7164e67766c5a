from django.apps import AppConfig


class MentoringSiteConfig(AppConfig):
    name = "mentoring_site"
    verbose_name = "Mentoring site"

    def ready(self) -> None:
        from mentoring_site import (
            checks,  # noqa: F401  (registers the deployment checks)
            navigation,  # noqa: F401  (connects the login receiver)
            password_reset,
            two_step,  # noqa: F401  (connects the login receiver)
        )

        password_reset.register_kinds()
