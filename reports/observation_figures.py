"""Observation scores as averages by domain, for the coordinator's dashboard (one program, its
year) and the leaders' roll-up (many programs, the filters' period), under the small-cell rule
(reports/rollup/suppression.py): a row describing fewer than `SMALL_CELL_MINIMUM` teachers
reads "fewer than N", and one describing only the viewer's own supervisees "withheld".

Only scores are read, summed by domain and relationship in one query
(`observations.selectors.domain_totals`); no note, no name of a teacher. A tool copied into
another program keeps its name and scale, so the roll-up counts its domains together.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from observations.models import ToolKind
from observations.selectors import DomainTotal
from relationships.models import ClassroomTeam
from reports.rollup.suppression import Draft, Layout, label, protect
from reports.rollup.tables import Cell

People = frozenset[int]

LAYOUT = Layout(derived=(4,))  # the average hides whenever its row's counts hide


def columns() -> list[str]:
    return [_("Domain"), _("Scale"), _("Observations"), _("Teachers observed"), _("Average")]


def scale_words(total: DomainTotal) -> str:
    if total.kind == ToolKind.CHECKLIST:
        return _("% of look-fors seen")
    return f"{total.scale_min}–{total.scale_max}"


def _count(value: int, people: People) -> Draft:
    return Draft(value=value, people=people, text=number_format(value, force_grouping=True))


def _average(total: int, count: int, people: People) -> Draft:
    value = round(total / count, 1)
    return Draft(value=value, people=people, text=number_format(value, 1, force_grouping=True))


def domain_rows(
    totals: Iterable[DomainTotal],
    people_of: Callable[[DomainTotal], People],
    key: Callable[[DomainTotal], Hashable],
) -> list[list[Draft]]:
    """A row per domain (grouped by `key`), in the tool's order: its scale, how many
    observations scored it, the teachers they describe, and the average score."""
    groups: dict[Hashable, list[DomainTotal]] = defaultdict(list)
    for total in totals:
        groups[key(total)].append(total)
    rows = []
    ordered = sorted(
        groups.values(),
        key=lambda found: (
            found[0].tool_name.casefold(),
            found[0].domain_order,
            found[0].domain_name,
        ),
    )
    for found in ordered:
        first = found[0]
        people: People = frozenset().union(*(people_of(total) for total in found))
        scores = sum(total.total for total in found)
        count = sum(total.count for total in found)
        rows.append(
            [
                label(f"{first.tool_name}: {first.domain_name}"),
                label(scale_words(first)),
                _count(count, people),
                _count(len(people), people),
                _average(scores, count, people),
            ]
        )
    return rows


def protected(rows: list[list[Draft]], shielded: Iterable[int]) -> tuple[tuple[Cell, ...], ...]:
    body, _total = protect(rows, None, layout=LAYOUT, shielded=shielded)
    return body


def team_members(totals: list[DomainTotal]) -> dict[int, set[int]]:
    """The members of the teams among `totals` (one query; none without a team)."""
    team_ids = {total.team_id for total in totals if total.team_id}
    members: dict[int, set[int]] = defaultdict(set)
    if team_ids:
        through = ClassroomTeam.members.through.objects.filter(classroomteam_id__in=team_ids)
        for team_id, user_id in through.values_list("classroomteam_id", "user_id"):
            members[team_id].add(user_id)
    return members


def people_by_relationship(totals: list[DomainTotal]) -> Callable[[DomainTotal], People]:
    """Who each total describes: the protégé, or each member of the team (one query at most)."""
    members = team_members(totals)

    def people_of(total: DomainTotal) -> People:
        if total.team_id:
            return frozenset(members.get(total.team_id, ()))
        return frozenset({total.protege_id}) if total.protege_id else frozenset()

    return people_of
