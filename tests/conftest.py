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
    # A deliberately slow hash is the point in production and pure cost here: seeding the
    # demo world and every login would spend seconds in PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# =============================================================================================
# People and data fixtures (below this line).
# =============================================================================================
