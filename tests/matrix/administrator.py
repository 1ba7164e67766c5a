"""Matrix rows for the administrator's pages in the app: the organizations
(programs/views/organizations.py) and the log-in locks (mentoring_site/login_locks.py). For
anyone else the pages do not exist."""

from tests.matrix.world import Demo, Row


def sponsor_code(demo) -> str:
    return str(demo.program(Demo.INDUCTION).sponsor.code)


ROWS = {
    "login_locks": lambda demo: Row("/accounts/locks/", expect={"admin": 200}),
    "organizations:list": lambda demo: Row("/organizations/", expect={"admin": 200}),
    "organizations:create": lambda demo: Row("/organizations/new/", expect={"admin": 200}),
    "organizations:edit": lambda demo: Row(
        f"/organizations/{sponsor_code(demo)}/edit/", expect={"admin": 200}
    ),
    "organizations:archive": lambda demo: Row(
        f"/organizations/{sponsor_code(demo)}/archive/", expect={"admin": 200}
    ),
}
