from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from reports import notifications
        from reports.rollup import stored

        notifications.register_kinds()
        stored.connect_signals()
