from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = "Goals"

    def ready(self):
        from goals import notifications, required, visit_history

        visit_history.connect()
        required.connect()
        notifications.register_kinds()
