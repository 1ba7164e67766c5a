"""The URL × role permission matrix (tests/test_permission_matrix.py says how rows are made):
each role gets from each row the status code the row says, on one planted demo world.

GET rows are read as each role from the pages the sweeps share; POST rows are sent in a test
of their own, row by row in the order of their names, as the whole matrix was before.
"""

import pytest
from django.contrib.auth.models import User

from tests.matrix.world import ROLES
from tests.sweeps.world import ANONYMOUS


@pytest.mark.parametrize("role", ROLES)
def test_each_get_row_gives_the_role_its_status(world, pages, role):
    """All mismatches are collected and reported together, one line per URL."""
    wrong = []
    for name, row in world.rows.items():
        if row.method != "get":
            continue
        got, expected = pages.get(role, row.url, row.data).status, row.expected(role)
        if got != expected:
            wrong.append(f"{name} GET {row.url} as {role}: got {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_each_post_row_gives_each_role_its_status(world, client):
    posts = {name: row for name, row in world.rows.items() if row.method != "get"}
    assert "logout" in posts
    wrong = []
    for name, row in posts.items():
        mismatches = {}
        for role in ROLES:
            client.logout()
            if role != ANONYMOUS:
                client.force_login(User.objects.get(username=role))
            got = getattr(client, row.method)(row.url, row.data).status_code
            if got != row.expected(role):
                mismatches[role] = f"got {got}, expected {row.expected(role)}"
        if mismatches:
            wrong.append(f"{name} {row.method.upper()} {row.url}: {mismatches}")
    assert not wrong, "\n".join(wrong)
