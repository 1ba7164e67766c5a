"""What the observation pages and charts read: a relationship's scores by tool and domain, over
time, in one query; and the scores behind the averages of the dashboard and the roll-up
(reports/), by domain and relationship, in one query."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from observations.models import Observation, ObservationScore, ObservationTool
from relationships.models import SupportRelationship
from relationships.rules import conversation_since


@dataclass(frozen=True)
class ScoreRow:
    """One observation's figures, one per domain of its tool (None: not scored)."""

    code: Any
    observed_on: datetime.date
    values: tuple[int | None, ...]


@dataclass
class ToolScores:
    """A tool's scores in one relationship, oldest first: a line per domain."""

    tool_id: int
    name: str
    kind: str
    scale_min: int
    scale_max: int
    domains: list[tuple[int, str]] = field(default_factory=list)
    rows: list[ScoreRow] = field(default_factory=list)

    @property
    def is_rubric(self) -> bool:
        return self.kind == ObservationTool.Kind.RUBRIC

    @property
    def unit(self) -> str:
        return "" if self.is_rubric else "%"

    @property
    def chart_id(self) -> str:
        return f"observation-scores-{self.tool_id}"

    @property
    def newest_first(self) -> list[ScoreRow]:
        return list(reversed(self.rows))

    def chart(self) -> dict:
        """The line chart's data, in the keys static/js/site.js reads: a line per domain."""
        low, high = (self.scale_min, self.scale_max) if self.is_rubric else (0, 100)
        return {
            "dates": [row.observed_on.isoformat() for row in self.rows],
            "datasets": [
                {
                    "label": name,
                    "data": [row.values[index] for row in self.rows],
                    "spanGaps": True,
                    "tension": 0,
                    "pointRadius": 4,
                }
                for index, (_pk, name) in enumerate(self.domains)
            ],
            "title": self.name,
            "unit": self.unit,
            "beginAtZero": not self.is_rubric,
            "yMin": low,
            "yMax": high,
        }

    @property
    def scale_words(self) -> str:
        if self.is_rubric:
            return _("Scores from %(low)s to %(high)s.") % {
                "low": self.scale_min,
                "high": self.scale_max,
            }
        return _("The share of each domain's look-fors seen, in %.")


def _score_rows(scores: QuerySet) -> list[dict]:
    return list(
        scores.order_by(
            "observation__tool__name",
            "observation__tool_id",
            "observation__observed_on",
            "observation_id",
            "domain__order",
            "domain_id",
        ).values(
            "observation_id",
            "observation__code",
            "observation__observed_on",
            "observation__tool_id",
            "observation__tool__name",
            "observation__tool__kind",
            "observation__tool__scale_min",
            "observation__tool__scale_max",
            "domain_id",
            "domain__name",
            "domain__order",
            "score",
        )
    )


def _by_tool(rows: list[dict]) -> list[ToolScores]:
    tools: dict[int, ToolScores] = {}
    domains: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)  # by tool: order, name
    figures: dict[int, dict[int, dict[int, int | None]]] = defaultdict(dict)  # tool, obs, domain
    dates: dict[int, tuple[Any, datetime.date]] = {}
    for row in rows:
        tool_id = row["observation__tool_id"]
        if tool_id not in tools:
            tools[tool_id] = ToolScores(
                tool_id=tool_id,
                name=row["observation__tool__name"],
                kind=row["observation__tool__kind"],
                scale_min=row["observation__tool__scale_min"],
                scale_max=row["observation__tool__scale_max"],
            )
        domains[tool_id][row["domain_id"]] = (row["domain__order"], row["domain__name"])
        observation_id = row["observation_id"]
        figures[tool_id].setdefault(observation_id, {})[row["domain_id"]] = row["score"]
        dates[observation_id] = (row["observation__code"], row["observation__observed_on"])
    for tool_id, tool in tools.items():
        ordered = sorted(domains[tool_id].items(), key=lambda item: (item[1][0], item[0]))
        tool.domains = [(pk, name) for pk, (_order, name) in ordered]
        for observation_id, by_domain in figures[tool_id].items():  # in date order (the query's)
            code, observed_on = dates[observation_id]
            values = tuple(by_domain.get(pk) for pk, _name in tool.domains)
            tool.rows.append(ScoreRow(code=code, observed_on=observed_on, values=values))
    return list(tools.values())


def readable_observations(relationship: SupportRelationship, user: User) -> QuerySet:
    """The relationship's observations `user` reads, when they read its conversation (the
    caller has checked `relationships.read_conversation`): for a coordinator of a program
    that shares logs, those written since it began."""
    observations = Observation.objects.filter(relationship=relationship)
    since = conversation_since(user, relationship)
    if since is not None:
        observations = observations.filter(created_at__gte=since)
    return observations


def relationship_scores(
    relationship: SupportRelationship, user: User, *, latest: int | None = None
) -> list[ToolScores]:
    """The scores of the relationship's observations `user` reads, by tool (one query): all of
    them, or those of the `latest` observations."""
    observations = readable_observations(relationship, user)
    if latest is not None:
        observations = observations.order_by("-observed_on", "-pk")[:latest]
    scores = ObservationScore.objects.filter(observation__in=observations.values("pk"))
    return _by_tool(_score_rows(scores))


def domain_scores(relationship: SupportRelationship, user: User, domain_id: int) -> ToolScores:
    """One domain's scores in the relationship, for a goal it measures (one query)."""
    scores = ObservationScore.objects.filter(
        observation__in=readable_observations(relationship, user).values("pk"),
        domain_id=domain_id,
        score__isnull=False,  # not observed that time: no point on the goal's line
    )
    found = _by_tool(_score_rows(scores))
    return found[0] if found else ToolScores(tool_id=0, name="", kind="", scale_min=0, scale_max=0)


def day_label(day: datetime.date) -> str:
    return date_format(day, _("M j, Y"))


# The averages of the dashboard and the roll-up -------------------------------------------------


@dataclass(frozen=True)
class DomainTotal:
    """The scores of one domain in one relationship: their sum and number. `key` names the
    domain across programs (a tool copied to another program keeps its name and scale)."""

    domain_id: int
    tool_name: str
    kind: str
    scale_min: int
    scale_max: int
    domain_name: str
    domain_order: int
    relationship_id: int
    protege_id: int | None
    team_id: int | None
    total: int
    count: int

    @property
    def key(self) -> tuple:
        return (self.tool_name, self.kind, self.scale_min, self.scale_max, self.domain_name)


def domain_totals(
    relationships: QuerySet, *, starts_on: datetime.date, ends_on: datetime.date
) -> list[DomainTotal]:
    """The domains' scores in `relationships` (a queryset of them, or of their pks), observed
    from `starts_on` to `ends_on`, summed by domain and relationship (one query). Only scores:
    no note, no name. Callers apply the small-cell rule."""
    rows = (
        ObservationScore.objects.filter(
            observation__relationship__in=relationships,
            observation__observed_on__gte=starts_on,
            observation__observed_on__lte=ends_on,
            score__isnull=False,
        )
        .order_by()
        .values(
            "domain_id",
            "domain__tool__name",
            "domain__tool__kind",
            "domain__tool__scale_min",
            "domain__tool__scale_max",
            "domain__name",
            "domain__order",
            "observation__relationship_id",
            "observation__relationship__protege_id",
            "observation__relationship__team_id",
        )
        .annotate(total=Sum("score"), n=Count("pk"))
    )
    return [
        DomainTotal(
            domain_id=row["domain_id"],
            tool_name=row["domain__tool__name"],
            kind=row["domain__tool__kind"],
            scale_min=row["domain__tool__scale_min"],
            scale_max=row["domain__tool__scale_max"],
            domain_name=row["domain__name"],
            domain_order=row["domain__order"],
            relationship_id=row["observation__relationship_id"],
            protege_id=row["observation__relationship__protege_id"],
            team_id=row["observation__relationship__team_id"],
            total=row["total"],
            count=row["n"],
        )
        for row in rows
    ]
