"""Register each permission both as a rule and as a Django permission.

Django's `user.has_perm()` answers True for every active superuser before any backend is
asked, so it cannot express "the author alone" or "participants only". Pages test the privacy
tiers with `rules.test_rule(name, user, obj)` (in templates `{% test_rule name user obj as x %}`),
which asks the predicate itself; `has_perm` stays available for admin-style checks.
"""

import rules


def add_rule_and_perm(name: str, predicate) -> None:
    rules.add_rule(name, predicate)
    rules.add_perm(name, predicate)
