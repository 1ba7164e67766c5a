"""Required goal templates take effect (docs/design.md, "Required goals").

In a program whose goal policy prescribes goals (prescribed, or both), a goal template marked
"required" is a goal every relationship works on:

- when a relationship is made (`relationships.signals.relationship_created`, which this app
  hears because it sits above relationships), each required template becomes one of its goals
  (`goals.services.goal_assign_required`), in the same transaction;
- an open relationship without a goal from a required template (one added after the match,
  or a goal closed as withdrawn) is missing it: `missing_required` says which, and
  `flag_missing_required` flags such rows "Required goal missing" for the coordinator's
  dashboard (reports/dashboard.py), where the coordinator assigns them
  (`goals:assign_required`), and for the coordinators' weekly digest (nudges/selectors.py).

A goal from the template counts while it is open and once met or not met; a goal closed
("closed", with a reason) no longer does.
"""

from collections import defaultdict

from django.db.models import QuerySet

from core.querytools import any_of
from goals.models import Goal, GoalTemplate
from programs.models import Program
from relationships.flags import Row
from relationships.models import OPEN_STATUSES, SupportRelationship

PRESCRIBING = (Program.GoalPolicy.PRESCRIBED, Program.GoalPolicy.BOTH)


def required_templates(program: Program | None) -> list[GoalTemplate]:
    """The current required templates of a program that prescribes goals (one query)."""
    if program is None or program.goal_policy not in PRESCRIBING:
        return []
    templates = GoalTemplate.objects.active().filter(program=program, required=True)
    return list(templates.order_by("title", "pk"))


def counted_goals(relationships) -> QuerySet[Goal]:
    """Goals that stand for their template: any not closed as withdrawn."""
    return Goal.objects.filter(relationship__in=relationships, template__isnull=False).exclude(
        status=Goal.Status.CLOSED
    )


def missing_required(
    relationships: QuerySet[SupportRelationship],
    *,
    known: list[tuple[int, int]] | None = None,
) -> dict[int, list[GoalTemplate]]:
    """The required templates each open relationship of `relationships` lacks, by
    relationship id (relationships lacking none are left out). Three queries at most,
    whatever their number.

    `known`: the (id, program id) of the open relationships of `relationships` whose program
    prescribes goals, when the caller has them in hand (the dashboard, which has read its rows
    and knows its program): one query fewer, and none for a program that does not prescribe."""
    if known is None:
        prescribing = relationships.filter(
            status__in=OPEN_STATUSES, program__goal_policy__in=PRESCRIBING
        )
        rows = list(prescribing.order_by().values_list("pk", "program_id"))
    else:
        rows = known
    if not rows:
        return {}
    by_program: dict[int, list[GoalTemplate]] = defaultdict(list)
    templates = GoalTemplate.objects.active().filter(
        required=True, program__in={program_id for _, program_id in rows}
    )
    for template in templates.order_by("title", "pk"):
        by_program[template.program_id].append(template)
    if not by_program:
        return {}
    goals = (
        counted_goals(prescribing.values("pk"))
        if known is None
        else Goal.objects.filter(any_of("relationship_id", [pk for pk, _ in rows]))
        .filter(template__isnull=False)
        .exclude(status=Goal.Status.CLOSED)
    )
    have = set(goals.order_by().values_list("relationship_id", "template_id"))
    missing: dict[int, list[GoalTemplate]] = {}
    for pk, program_id in rows:
        lacking = [t for t in by_program.get(program_id, []) if (pk, t.pk) not in have]
        if lacking:
            missing[pk] = lacking
    return missing


def flag_missing_required(rows: list[Row], relationships: QuerySet) -> None:
    """Flag the rows (relationships/flags.py) of open relationships, in programs that
    prescribe goals, lacking a goal from a required template (two queries at most, none when
    no row's program prescribes goals). `relationships` holds the rows'."""
    known = [
        (row.pk, row.program.pk)
        for row in rows
        if row.status in OPEN_STATUSES
        and row.program is not None
        and row.program.goal_policy in PRESCRIBING
    ]
    if not known:
        return
    missing = missing_required(relationships, known=known)
    for row in rows:
        if row.pk in missing:
            row.missing_required = [template.pk for template in missing[row.pk]]
            row.flag_names.append("flag_required_goal")


def on_relationship_created(sender, *, relationship: SupportRelationship, by=None, **kwargs):
    """A new relationship gets the required goals of its program."""
    from goals.services import goal_assign_required

    if required_templates(relationship.program):
        goal_assign_required(relationship=relationship, by=by or relationship.mentor)


def connect() -> None:
    from relationships.signals import relationship_created

    relationship_created.connect(
        on_relationship_created, dispatch_uid="goals.required.on_relationship_created"
    )
