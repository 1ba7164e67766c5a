"""The URL × role permission matrix.

Every named URL pattern of the project must have a row in one of the `tests/matrix/*.py`
modules (their `ROWS`), so a new page without a row fails here. Each row says which demo
person gets which status code; everyone not named gets a 404 (out of scope is not found).
The supervisor is a role of its own, so the supervision firewall is checked on every page.
The rows are tried on the demo world of the page sweeps (tests/sweeps/test_permission_matrix.py).
"""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests.matrix

# Django admin is covered by tests/test_admin.py, which enumerates the admin registry.
UNCOVERED_NAMESPACES = {"admin"}


def matrix_rows() -> dict:
    rows = {}
    for module_info in pkgutil.iter_modules(tests.matrix.__path__):
        module = importlib.import_module(f"tests.matrix.{module_info.name}")
        for name, row in getattr(module, "ROWS", {}).items():
            assert name not in rows, f"{name} has two rows"
            rows[name] = row
    return rows


def url_names(resolver=None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in UNCOVERED_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            names |= url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_has_a_row():
    missing = sorted(url_names() - set(matrix_rows()))
    assert not missing, f"URL patterns without a permission-matrix row: {missing}"


def test_no_row_without_a_url_pattern():
    stale = sorted(set(matrix_rows()) - url_names())
    assert not stale, f"Matrix rows for URL names that no longer exist: {stale}"
