"""The writes of observation tools, observations and goal measures: each validates, then writes
in one transaction (docs/design.md, "Observation tools")."""

import datetime
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import clock, versions
from goals.models import Goal
from observations.models import (
    GoalDomainMeasure,
    Observation,
    ObservationCheck,
    ObservationDomain,
    ObservationItem,
    ObservationScore,
    ObservationTool,
)
from programs.models import Program
from relationships.models import SupportRelationship, Visit


@dataclass(frozen=True)
class DomainSpec:
    """A domain as the tool's form gives it: `pk` names a domain of the tool being changed
    (None for a new one); `items` are its look-fors or indicators, in order."""

    name: str
    description: str = ""
    items: Sequence[str] = field(default_factory=tuple)
    pk: int | None = None


def _refuse_read_only(program: Program) -> None:
    if program.is_read_only:
        raise ValidationError(program.read_only_message)


def _check_domains(kind: str, domains: Sequence[DomainSpec]) -> None:
    if not domains:
        raise ValidationError({"domains": _("Give the tool at least one domain.")})
    if kind == ObservationTool.Kind.CHECKLIST and not any(spec.items for spec in domains):
        raise ValidationError({"domains": _("A checklist needs at least one look-for.")})


def _clean_items(items: Sequence[str]) -> list[str]:
    """The look-fors in order, each once, without blank lines."""
    seen: list[str] = []
    for text in items:
        text = " ".join(text.split())[:300]
        if text and text not in seen:
            seen.append(text)
    return seen


@transaction.atomic
def observation_tool_create(
    *,
    program: Program,
    name: str,
    kind: str,
    description: str = "",
    scale_min: int = 1,
    scale_max: int = 7,
    domains: Sequence[DomainSpec],
    copied_from: ObservationTool | None = None,
) -> ObservationTool:
    _refuse_read_only(program)
    _check_domains(kind, domains)
    tool = ObservationTool(
        program=program,
        name=name.strip(),
        kind=kind,
        description=description,
        scale_min=scale_min,
        scale_max=scale_max,
        copied_from=copied_from,
    )
    tool.full_clean()
    tool.save()
    for order, spec in enumerate(domains):
        domain = ObservationDomain.objects.create(
            tool=tool, order=order, name=spec.name.strip(), description=spec.description
        )
        ObservationItem.objects.bulk_create(
            ObservationItem(domain=domain, order=number, text=text)
            for number, text in enumerate(_clean_items(spec.items))
        )
    return tool


def _update_items(
    domain: ObservationDomain, items: list[ObservationItem], texts: list[str], used: set[int]
) -> None:
    """Keep the items whose text is still listed (in the new order), add the new ones, and
    take away the rest: deleted when no observation checked them (`used`: the ids of those
    checked), else retired."""
    existing = {item.text: item for item in items}
    now = clock.now()
    for order, text in enumerate(texts):
        item = existing.pop(text, None)
        if item is None:
            ObservationItem.objects.create(domain=domain, order=order, text=text)
        elif (item.order, item.retired_at) != (order, None):
            item.order, item.retired_at = order, None
            item.save(update_fields=["order", "retired_at"])
    for item in existing.values():
        if item.pk in used:
            if item.retired_at is None:
                item.retired_at = now
                item.save(update_fields=["retired_at"])
        else:
            item.delete()


@transaction.atomic
def observation_tool_update(
    *,
    tool: ObservationTool,
    name: str,
    kind: str,
    description: str = "",
    scale_min: int,
    scale_max: int,
    domains: Sequence[DomainSpec],
) -> ObservationTool:
    """Change a tool. Once it has been filled in, its kind and scale stay (old scores would
    mean something else); a domain or look-for taken away is retired, kept for the
    observations that used it."""
    tool = ObservationTool.objects.select_for_update().get(pk=tool.pk)
    _refuse_read_only(tool.program)
    _check_domains(kind, domains)
    if tool.observations.exists():
        errors = {}
        if kind != tool.kind:
            errors["kind"] = _("The tool has been filled in already, so its kind stays.")
        if (scale_min, scale_max) != (tool.scale_min, tool.scale_max):
            errors["scale_max"] = _(
                "The tool has been filled in already, so its scale stays: scores given on it "
                "would mean something else. Copy it to make a new tool with another scale."
            )
        if errors:
            raise ValidationError(errors)
    tool.name, tool.kind, tool.description = name.strip(), kind, description
    tool.scale_min, tool.scale_max = scale_min, scale_max
    tool.full_clean()
    tool.save()
    current = {domain.pk: domain for domain in tool.domains.prefetch_related("items")}
    used_items = set(
        ObservationCheck.objects.filter(item__domain__tool=tool).values_list("item_id", flat=True)
    )
    used_domains = (
        set(ObservationScore.objects.filter(domain__tool=tool).values_list("domain_id", flat=True))
        | set(
            GoalDomainMeasure.objects.filter(domain__tool=tool).values_list("domain_id", flat=True)
        )
        | {
            domain.pk
            for domain in current.values()
            if any(item.pk in used_items for item in domain.items.all())
        }
    )
    now = clock.now()
    kept: set[int] = set()
    for order, spec in enumerate(domains):
        domain = current.get(spec.pk) if spec.pk is not None else None
        items = list(domain.items.all()) if domain is not None else []
        if domain is None:
            domain = ObservationDomain(tool=tool)
        domain.order, domain.name, domain.description = order, spec.name.strip(), spec.description
        domain.retired_at = None
        domain.save()
        kept.add(domain.pk)
        _update_items(domain, items, _clean_items(spec.items), used_items)
    for pk, domain in current.items():
        if pk in kept:
            continue
        if pk in used_domains:
            if domain.retired_at is None:
                domain.retired_at = now
                domain.save(update_fields=["retired_at"])
        else:
            domain.delete()
    return tool


@transaction.atomic
def observation_tool_copy(
    *, tool: ObservationTool, program: Program, name: str | None = None
) -> ObservationTool:
    """A new tool in `program` with the domains and look-fors `tool` offers now."""
    domains = [
        DomainSpec(
            name=domain.name,
            description=domain.description,
            items=[item.text for item in domain.items.all() if item.retired_at is None],
        )
        for domain in tool.domains.filter(retired_at__isnull=True).prefetch_related("items")
    ]
    return observation_tool_create(
        program=program,
        name=name or tool.name,
        kind=tool.kind,
        description=tool.description,
        scale_min=tool.scale_min,
        scale_max=tool.scale_max,
        domains=domains,
        copied_from=tool,
    )


@transaction.atomic
def observation_tool_set_active(*, tool: ObservationTool, active: bool) -> ObservationTool:
    """Offer the tool to mentors and coaches, or stop offering it (its observations stay)."""
    _refuse_read_only(tool.program)
    if tool.active != active:
        tool.active = active
        tool.save(update_fields=["active"])
    return tool


@transaction.atomic
def observation_record(
    *,
    relationship: SupportRelationship,
    tool: ObservationTool,
    by: User,
    observed_on: datetime.date,
    visit: Visit | None = None,
    note: str = "",
    scores: Mapping[int, int | None] | None = None,
    seen: Collection[int] = (),
    notes: Mapping[int, str] | None = None,
) -> Observation:
    """Record an observation with `tool`: for a rubric, `scores` by domain id (None: not
    observed this time; at least one domain scored); for a checklist, the ids of the look-fors
    `seen`. `notes`: a note per domain id."""
    scores, notes = scores or {}, notes or {}
    errors: dict[str, str] = {}
    if tool.program_id != relationship.program_id or not tool.active:
        errors["tool"] = _("Choose one of the tools the program offers.")
    domains = list(tool.domains.filter(retired_at__isnull=True).prefetch_related("items"))
    errors |= _errors(relationship, tool, domains, observed_on, visit, scores)
    if errors:
        raise ValidationError(errors)
    observation = Observation.objects.create(
        relationship=relationship,
        visit=visit,
        tool=tool,
        observed_on=observed_on,
        author=by,
        note=note.strip(),
    )
    rows = []
    checks = []
    for domain in domains:
        if tool.is_rubric:
            figure = scores.get(domain.pk)
        else:
            items = [item for item in domain.items.all() if item.retired_at is None]
            checks += [
                ObservationCheck(observation=observation, item=item, seen=item.pk in seen)
                for item in items
            ]
            found = sum(1 for item in items if item.pk in seen)
            figure = round(100 * found / len(items)) if items else None
        rows.append(
            ObservationScore(
                observation=observation,
                domain=domain,
                score=figure,
                note=(notes.get(domain.pk) or "").strip(),
            )
        )
    bulk_create_with_history(rows, ObservationScore, default_user=by)
    bulk_create_with_history(checks, ObservationCheck, default_user=by)
    return observation


def _errors(
    relationship: SupportRelationship,
    tool: ObservationTool,
    domains: Sequence[ObservationDomain],
    observed_on: datetime.date,
    visit: Visit | None,
    scores: Mapping[int, int | None],
) -> dict[str, str]:
    """What is wrong with an observation's day, visit and scores, by field."""
    errors: dict[str, str] = {}
    if visit is not None and visit.relationship_id != relationship.pk:
        errors["visit"] = _("Choose a visit of this relationship.")
    if observed_on > clock.today():
        errors["observed_on"] = _("An observation is recorded on or after the day it was made.")
    if observed_on < relationship.starts_on:
        errors["observed_on"] = _("The relationship had not started on that day.")
    if tool.is_rubric:
        for domain in domains:
            score = scores.get(domain.pk)
            if score is not None and score not in tool.scale:
                errors[f"score_{domain.pk}"] = _("Choose a score from %(low)s to %(high)s.") % {
                    "low": tool.scale_min,
                    "high": tool.scale_max,
                }
        if not any(scores.get(domain.pk) is not None for domain in domains):
            errors["__all__"] = _("Score at least one domain.")
    return errors


def observation_values(observation: Observation) -> dict[str, object]:
    """What an observation's form edits, as saved (a query for its scores, one for its
    look-fors): the version its edit carries (core/versions.py), named as the form's fields,
    the look-fors seen by their words."""
    values: dict[str, object] = {
        "observed_on": observation.observed_on,
        "visit": observation.visit_id,
        "note": observation.note,
    }
    tool = observation.tool
    scores = list(observation.scores.order_by("domain__order", "domain_id"))
    seen: dict[int, list[str]] = {score.domain_id: [] for score in scores}
    if not tool.is_rubric:
        for check in observation.checks.select_related("item").filter(seen=True):
            seen.setdefault(check.item.domain_id, []).append(check.item.text)
    for score in scores:
        if tool.is_rubric:
            values[f"score_{score.domain_id}"] = score.score
        else:
            values[f"seen_{score.domain_id}"] = sorted(seen[score.domain_id])
        values[f"note_{score.domain_id}"] = score.note
    return values


@transaction.atomic
def observation_update(
    *,
    observation: Observation,
    by: User,
    observed_on: datetime.date,
    visit: Visit | None,
    note: str,
    scores: Mapping[int, int | None],
    seen: Collection[int],
    notes: Mapping[int, str],
    version: str | None = None,
) -> bool:
    """Correct an observation: its day, visit, overall note, and each of its domains' score
    (rubric) or look-fors seen (checklist) and note, as `observation_record` takes them. The
    domains and look-fors are the ones it was made with, even if the tool has changed since.
    `version`: the one the edit started from (EditConflict if someone saved in between).
    Returns whether anything changed; each change is kept in the records' history."""
    locked = Observation.objects.select_for_update().get(pk=observation.pk)
    relationship, tool = observation.relationship, observation.tool
    score_rows = list(locked.scores.select_related("domain").order_by("domain__order", "pk"))
    check_rows = list(locked.checks.select_related("item"))
    domains = [row.domain for row in score_rows]
    errors = _errors(relationship, tool, domains, observed_on, visit, scores)
    if errors:
        raise ValidationError(errors)
    texts = {row.item_id: row.item.text for row in check_rows}
    typed: dict[str, object] = {
        "observed_on": observed_on,
        "visit": visit.pk if visit is not None else None,
        "note": note.strip(),
    }
    for domain in domains:
        if tool.is_rubric:
            typed[f"score_{domain.pk}"] = scores.get(domain.pk)
        else:
            typed[f"seen_{domain.pk}"] = sorted(
                texts[row.item_id]
                for row in check_rows
                if row.item.domain_id == domain.pk and row.item_id in seen
            )
        typed[f"note_{domain.pk}"] = (notes.get(domain.pk) or "").strip()
    saved = observation_values(locked)
    versions.check(version, saved=saved, typed=typed, model=Observation, record=locked)
    if versions.unchanged(saved, typed):
        return False
    locked.observed_on, locked.visit, locked.note = observed_on, visit, note.strip()
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=["observed_on", "visit", "note"])
    for check in check_rows:
        if check.seen != (check.item_id in seen):
            check.seen = check.item_id in seen
            check._history_user = by  # type: ignore[attr-defined]
            check.save(update_fields=["seen"])
    for row in score_rows:
        if tool.is_rubric:
            figure = scores.get(row.domain_id)
        else:
            items = [check for check in check_rows if check.item.domain_id == row.domain_id]
            found = sum(1 for check in items if check.seen)
            figure = round(100 * found / len(items)) if items else None
        row_note = (notes.get(row.domain_id) or "").strip()
        if (row.score, row.note) != (figure, row_note):
            row.score, row.note = figure, row_note
            row._history_user = by  # type: ignore[attr-defined]
            row.save(update_fields=["score", "note"])
    return True


@transaction.atomic
def goal_domain_measure_set(
    *, goal: Goal, domain: ObservationDomain | None, by: User
) -> GoalDomainMeasure | None:
    """Measure `goal` by a domain's scores (None: by its own data points again)."""
    if domain is None:
        GoalDomainMeasure.objects.filter(goal=goal).delete()
        return None
    tool = domain.tool
    if (
        tool.program_id is None
        or tool.program_id != goal.relationship.program_id
        or not tool.active
        or domain.retired_at is not None
    ):
        raise ValidationError({"domain": _("Choose a domain of one of the program's tools.")})
    measure, _created = GoalDomainMeasure.objects.update_or_create(
        goal=goal, defaults={"domain": domain, "chosen_by": by, "chosen_at": clock.now()}
    )
    return measure


@transaction.atomic
def observation_tools_copy(*, old: Program, new: Program) -> int:
    """The next program year offers the tools this year offers (each a copy, counted with its
    original in the roll-up); returns how many."""
    tools = list(ObservationTool.objects.filter(program=old).active().order_by("pk"))
    for tool in tools:
        observation_tool_copy(tool=tool, program=new)
    return len(tools)
