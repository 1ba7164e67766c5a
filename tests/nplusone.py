"""N+1 detection for the test suite: django-zeal around every request the tests make.

tests/conftest.py puts `zeal_middleware` last in MIDDLEWARE (test settings only; the app's
settings know nothing of zeal) and patches Django's related-object descriptors once per test
session. A page that loads a relation row by row, or repeats the same `.get()`, raises
`zeal.errors.NPlusOneError` (ZEAL_RAISE = True), which the test client re-raises: the test fails
with the model, the field and the line.
"""

from zeal import zeal_context


def zeal_middleware(get_response):
    def middleware(request):
        # Django's own code, not this project's: admin inline formsets check each row's id with
        # a .get() on a POST (admin pages are still watched on GET), and the auth views under
        # /accounts/ (log in, log out, passwords) load the session and the user more than once.
        if request.path.startswith("/accounts/") or (
            request.method == "POST" and request.path.startswith("/admin/")
        ):
            return get_response(request)
        with zeal_context():
            return get_response(request)

    return middleware


def patch_django() -> None:
    """What zeal's AppConfig.ready() does, without adding zeal to INSTALLED_APPS."""
    from zeal.constants import initialize_app_registry
    from zeal.patch import patch

    initialize_app_registry()
    patch()
