"""Who may anonymize a person: administrators only (docs/design.md, Retention)."""

import rules

from core.rules_registry import add_rule_and_perm

add_rule_and_perm("privacy.anonymize_person", rules.is_superuser)
