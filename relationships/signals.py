"""What relationships tell the apps above them, which they may not import (docs/design.md,
"The layers"): the higher app listens.

- `relationship_created(relationship, by)`: `services.relationship_create` made a
  relationship, inside its transaction; `by` is who made it (the coordinator who matched, the
  person who accepted an informal invitation), or None. The goals app assigns the program's
  required goal templates (goals/required.py).
"""

from django.dispatch import Signal

relationship_created = Signal()
