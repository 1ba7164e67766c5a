# =============================================================================================
# Test harness. The environment itself is set in tests/__init__.py, which pytest loads before
# Django's settings are imported; this section adjusts the loaded settings.
# Browser (e2e) fixtures live in tests/e2e/conftest.py.
# =============================================================================================
import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Production uses the manifest storage, which needs `collectstatic` first; tests serve
    # files straight from static/ and the apps (WHITENOISE_USE_FINDERS).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# =============================================================================================
# People and data fixtures (below this line).
# =============================================================================================
