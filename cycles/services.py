"""The writes of coaching cycles: a program's stages, and each relationship's cycles.

Stages are configured by the program's coordinators (cycles/views.py checks who); cycles are
started, moved on and ended by the mentor or coach (the `relationships.work_in_relationship`
rule). Each function validates, then writes in one transaction; a refusal is a
ValidationError with a sentence for the person.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import clock
from cycles.models import CoachingCycle, CycleStage, CycleStageRecord
from goals.models import Goal
from programs.models import Program
from programs.services import program_cycle_stages_mark
from relationships.models import SupportRelationship

# The common cycle of Practice-Based Coaching, with the days each stage usually takes.
COMMON_STAGES = (
    (
        _("Focus"),
        _("Agree on the practice to work on, and the goal and action plan for it."),
        7,
    ),
    (
        _("Observe"),
        _("The coach observes the practice in the classroom, in person or on video."),
        7,
    ),
    (
        _("Reflect and give feedback"),
        _("Talk over what was observed: what worked, what to try, supportive feedback."),
        7,
    ),
    (
        _("Plan"),
        _("Plan the next steps and what the next cycle works on."),
        7,
    ),
)


def _mark(program: Program) -> None:
    program_cycle_stages_mark(program=program, has_stages=program.cycle_stages.active().exists())


def _refuse_if_read_only(program: Program) -> None:
    if program.is_read_only:
        raise ValidationError(program.read_only_message)


@transaction.atomic
def cycle_stage_save(*, stage: CycleStage) -> CycleStage:
    """Add a stage at the end of its program's cycle, or save a changed one."""
    _refuse_if_read_only(stage.program)
    if stage.pk is None:
        last = stage.program.cycle_stages.active().aggregate(last=Max("order"))["last"]
        stage.order = (last or 0) + 1
    stage.name = stage.name.strip()
    stage.full_clean()
    stage.save()
    _mark(stage.program)
    return stage


@transaction.atomic
def cycle_stage_add_common(*, program: Program) -> list[CycleStage]:
    """The common four stages (focus, observe, reflect and give feedback, plan), named in the
    coordinator's language, for a program that has none yet."""
    _refuse_if_read_only(program)
    if program.cycle_stages.active().exists():
        raise ValidationError(
            gettext("The program has stages already: change them one by one instead.")
        )
    return [
        cycle_stage_save(
            stage=CycleStage(
                program=program,
                name=str(name),
                description=str(description),
                cadence_days=days,
            )
        )
        for name, description, days in COMMON_STAGES
    ]


@transaction.atomic
def cycle_stage_move(*, stage: CycleStage, up: bool) -> CycleStage:
    """Swap the stage with the one before it (`up`) or after it; at either end, nothing."""
    _refuse_if_read_only(stage.program)
    siblings = stage.program.cycle_stages.active().select_for_update()
    neighbour = (
        siblings.filter(order__lt=stage.order).order_by("-order").first()
        if up
        else siblings.filter(order__gt=stage.order).order_by("order").first()
    )
    if neighbour is None:
        return stage
    mine, theirs = stage.order, neighbour.order
    # Through a free place, 0, so that no two stages share a place at any moment.
    CycleStage.objects.filter(pk=stage.pk).update(order=0)
    CycleStage.objects.filter(pk=neighbour.pk).update(order=mine)
    CycleStage.objects.filter(pk=stage.pk).update(order=theirs)
    stage.order = theirs
    return stage


def stage_in_use(stage: CycleStage) -> bool:
    """Whether an open cycle is in this stage now."""
    return CycleStageRecord.objects.filter(
        stage=stage, completed_on__isnull=True, cycle__ended_on__isnull=True
    ).exists()


@transaction.atomic
def cycle_stage_remove(*, stage: CycleStage) -> None:
    """Remove a stage from the program's cycle. One that no cycle went through is deleted; one
    that cycles went through is retired, so their records keep its name. Refused while a cycle
    is in it."""
    _refuse_if_read_only(stage.program)
    if stage_in_use(stage):
        raise ValidationError(
            gettext("A cycle is in “%(name)s” now: move it on to the next stage, or end it, first.")
            % {"name": stage.name}
        )
    if stage.records.exists():
        stage.retired_at = clock.now()
        stage.save(update_fields=["retired_at"])
    else:
        stage.delete()
    _mark(stage.program)


def _stages(relationship: SupportRelationship) -> list[CycleStage]:
    if relationship.program is None:
        return []
    return list(relationship.program.cycle_stages.active().order_by("order"))


@transaction.atomic
def coaching_cycle_start(
    *,
    relationship: SupportRelationship,
    by: User,
    goal: Goal | None = None,
    focus: str = "",
) -> CoachingCycle:
    """Start the relationship's next cycle, today, in the program's first stage."""
    SupportRelationship.objects.select_for_update().filter(pk=relationship.pk).first()
    stages = _stages(relationship)
    if not stages:
        raise ValidationError(gettext("This program does not organise coaching in cycles."))
    if not relationship.is_open:
        raise ValidationError(gettext("The relationship has ended: no new cycle can start."))
    if relationship.coaching_cycles.open().exists():
        raise ValidationError(gettext("A cycle is under way already: end it first."))
    if goal is not None and (goal.relationship_id != relationship.pk or not goal.is_open):
        raise ValidationError({"goal": gettext("Choose one of this relationship's open goals.")})
    last = relationship.coaching_cycles.aggregate(last=Max("number"))["last"]
    today = clock.today()
    cycle = CoachingCycle(
        relationship=relationship,
        number=(last or 0) + 1,
        started_on=today,
        focus=focus.strip(),
        goal=goal,
        started_by=by,
    )
    cycle.full_clean()
    cycle.save()
    CycleStageRecord.objects.create(cycle=cycle, stage=stages[0], started_on=today)
    return cycle


def current_record(cycle: CoachingCycle) -> CycleStageRecord | None:
    return cycle.stage_records.filter(completed_on__isnull=True).select_related("stage").first()


@transaction.atomic
def coaching_cycle_advance(
    *, cycle: CoachingCycle, by: User, from_stage: CycleStage | None = None
) -> CycleStageRecord | None:
    """Complete the current stage today and start the next one. `from_stage`: the stage the
    person saw as current; if the cycle has moved on since (a second click, another tab),
    nothing happens and None is returned. Refused at the last stage: end the cycle instead."""
    cycle = CoachingCycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_open:
        raise ValidationError(gettext("This cycle has ended."))
    current = current_record(cycle)
    if current is None or (from_stage is not None and current.stage_id != from_stage.pk):
        return None
    following = [
        stage for stage in _stages(cycle.relationship) if stage.order > current.stage.order
    ]
    if not following:
        raise ValidationError(
            gettext("“%(name)s” is the last stage: end the cycle instead.")
            % {"name": current.stage.name}
        )
    today = clock.today()
    current.completed_on = today
    current.save(update_fields=["completed_on"])
    return CycleStageRecord.objects.create(cycle=cycle, stage=following[0], started_on=today)


@transaction.atomic
def coaching_cycle_end(*, cycle: CoachingCycle, by: User) -> CoachingCycle:
    """End the cycle today, completing its current stage. A cycle already ended stays as it
    was."""
    cycle = CoachingCycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_open:
        return cycle
    today = clock.today()
    cycle.stage_records.filter(completed_on__isnull=True).update(completed_on=today)
    cycle.ended_on = today
    cycle.full_clean()
    cycle.save(update_fields=["ended_on"])
    return cycle


@transaction.atomic
def cycle_stages_copy(*, old: Program, new: Program) -> int:
    """The next program year takes this year's stages, in their order (retired ones stay
    behind); returns how many."""
    stages = list(old.cycle_stages.active().order_by("order", "pk"))
    for stage in stages:
        cycle_stage_save(
            stage=CycleStage(
                program=new,
                name=stage.name,
                description=stage.description,
                cadence_days=stage.cadence_days,
            )
        )
    return len(stages)
