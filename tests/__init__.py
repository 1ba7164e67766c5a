"""The test suite.

pytest loads this package as a plugin before anything else (`-p tests` in pyproject.toml), because
pytest-django imports the settings module before any conftest.py is read: the test environment
has to be in place by then. Settings are read from the environment (see README.md).
"""

import os

# Production-like settings (DEBUG off), minus what needs HTTPS or a `collectstatic` run.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-7c4e1f9a2b6d8e3f0a5c9b1d4e7f2a6c")
os.environ.setdefault("DJANGO_FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWZpZWxkLWtleS1uZXZlci1pbi11c2U=")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
os.environ["DJANGO_SECURE_COOKIES"] = "false"
os.environ["WHITENOISE_USE_FINDERS"] = "true"
# Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls
# from a thread with a running loop unless told otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Tasks run in the test itself, when the write that queued them commits; the tests of the
# worker switch to the database backend and run the real worker.
os.environ["DJANGO_TASKS_BACKEND"] = "immediate"
