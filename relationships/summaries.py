"""Monthly summary rows: what each relationship logged in each calendar month, kept so that a
roll-up across hundreds of programs and a program's dashboard read a few thousand small rows
instead of every visit. Imported by relationships/models.py, which is where the rest of the code
imports them from; relationships/summary_refresh.py keeps them up to date.

Everything here is logistics (counts, minutes, activities): no text of any visit.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from relationships.models import SupportRelationship
from relationships.visits import Activity


class SupportMonth(models.Model):
    """One relationship's logged visits in one calendar month.

    There is a row for every month from the one the relationship started in to the one it
    ended in (or the current month), whether or not anything was logged, and for any other
    month with a logged visit: a month with no visits is a month, and counts against dosage.
    `program` is the relationship's, copied here so that a roll-up by program reads this table
    alone (None for an informal relationship).
    """

    # Derived rows, rewritten in bulk (summary_refresh.rebuild): their foreign keys are
    # Django's (deleting a relationship or a program deletes its rows), not the database's, so
    # that a rebuild pays no constraint trigger per row; the unique (relationship, month) is
    # the relationship's index.
    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.CASCADE,
        related_name="months",
        verbose_name=_("relationship"),
        db_constraint=False,
        db_index=False,
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
        db_constraint=False,
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    visits = models.PositiveIntegerField(_("visits logged"), default=0)
    minutes = models.PositiveIntegerField(_("minutes logged"), default=0)
    cancelled = models.PositiveIntegerField(_("visits cancelled"), default=0)
    # The dosage owed for the month (relationships/pace.py, `month_owed`), and whether what
    # was logged met it. None while the month is not over, or when nothing was owed.
    visits_owed = models.PositiveIntegerField(_("visits owed"), default=0)
    minutes_owed = models.PositiveIntegerField(_("minutes owed"), default=0)
    on_pace = models.BooleanField(_("on pace"), null=True, blank=True)
    complete = models.BooleanField(
        _("month over"), default=False, help_text=_("Counted after the month ended.")
    )

    class Meta:
        ordering = ["relationship", "month"]
        verbose_name = _("monthly summary")
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "month"], name="relationships_supportmonth_once"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="relationships_supportmonth_first_day"
            ),
        ]
        indexes = [
            # A roll-up over many programs for a year: the months first, then the programs.
            models.Index(fields=["month", "program"], name="rel_supportmonth_month_prog"),
            # The stale rows (summary_refresh.refresh_stale): months counted before they ended.
            models.Index(
                fields=["month"],
                condition=Q(complete=False),
                name="rel_supportmonth_incomplete",
            ),
        ]

    def __str__(self):
        return f"{self.relationship_id} in {self.month:%Y-%m}: {self.visits} visits"


class SupportMonthActivity(models.Model):
    """The time one relationship spent on one activity in one month: each logged visit's
    minutes shared evenly between the activities it lists (so that the activities' minutes
    add up to the month's), and how many visits listed it."""

    summary = models.ForeignKey(
        SupportMonth,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("monthly summary"),
        db_constraint=False,  # as SupportMonth's; the unique (summary, activity) is its index
        db_index=False,
    )
    activity = models.CharField(_("activity"), max_length=32, choices=Activity.choices)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)

    class Meta:
        ordering = ["summary", "activity"]
        verbose_name = _("monthly summary activity")
        verbose_name_plural = _("monthly summary activities")
        constraints = [
            models.UniqueConstraint(
                fields=["summary", "activity"], name="relationships_supportmonthactivity_once"
            ),
        ]

    def __str__(self):
        return f"{self.activity}: {self.minutes} min"
