"""No edit is lost: an edit carries the version of the record it started from.

A record's version is a fingerprint of the values its form edits, taken when the form is shown
and sent back in a hidden field (`templates/includes/edit_version.html`). The service that saves
the edit locks the record's row, reads it as saved now and compares (`start_edit`, `check`):
when the fingerprints differ, someone saved in between, and it raises `EditConflict` instead of
writing over their work. The view then shows the form again as the person filled it in, with
what is saved now beside what they typed and the new version in the hidden field
(`show_conflict`): saving again puts theirs in place, on purpose; leaving keeps the other.

A save that changes none of the values writes nothing, so it leaves no history row. A save
that carries no version (Django admin, commands, the demo seed) is not checked.

docs/development.md ("How an edit carries its version") says how to use this in a new form.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms import BaseForm
from django.forms.utils import pretty_name
from django.http import HttpRequest
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext

VERSION_FIELD = "version"  # the name of the hidden input


@dataclass(frozen=True)
class Change:
    """One value that differs between the record as saved now and what the person typed."""

    name: str
    saved: str
    typed: str
    label: str = ""


class EditConflict(Exception):
    """A save over a newer version than the edit started from. Nothing was written."""

    def __init__(
        self, *, version: str, changes: list[Change], saved_by: str = "", saved_at=None
    ) -> None:
        super().__init__("Someone else saved this record after you opened it.")
        self.version = version  # the version saved now: carried, it lets theirs be saved
        self.changes = changes
        self.saved_by = saved_by  # who saved last, when history says so
        self.saved_at = saved_at
        self.keep_url = ""


# Values and their fingerprint ------------------------------------------------------------------


def _canonical(value):
    """A value as compared and fingerprinted: records by primary key, lists as sets (of
    choices, or of records by key), numbers without trailing zeros (a form's 30 and the
    database's 30.00 are equal)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet):
        return sorted(value.values_list("pk", flat=True))
    if isinstance(value, list | tuple | set):
        items = [item.pk if isinstance(item, models.Model) else item for item in value]
        return sorted(items, key=str)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def values_of(instance: models.Model, names: Iterable[str]) -> dict[str, object]:
    """The values of these fields of a record (related records by key)."""
    values: dict[str, object] = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            manager = getattr(instance, name) if instance.pk else None
            values[name] = sorted(manager.values_list("pk", flat=True)) if manager else []
        elif isinstance(field, models.Field):
            values[name] = getattr(instance, field.attname)
        else:  # a reverse relation: the record holds no value of it
            raise TypeError(f"{name} is not a field of {type(instance).__name__}")
    return values


def fingerprint(values: Mapping[str, object]) -> str:
    """The version of a set of values."""
    canonical = {name: _canonical(value) for name, value in values.items()}
    payload = json.dumps(canonical, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def unchanged(saved: Mapping[str, object], typed: Mapping[str, object]) -> bool:
    """Whether every typed value is the one saved already."""
    return all(_canonical(value) == _canonical(saved[name]) for name, value in typed.items())


# In the service: check, under the row's lock ---------------------------------------------------


def check(
    version: str | None,
    *,
    saved: Mapping[str, object],
    typed: Mapping[str, object],
    model: type[models.Model] | None = None,
    record: models.Model | None = None,
) -> None:
    """Raise EditConflict when the values saved now are not the version the edit started from.

    `saved` holds every value the version covers; `typed`, what the edit would write."""
    if not version:
        return
    current = fingerprint(saved)
    if current == version or unchanged(saved, typed):  # nothing of theirs would be lost
        return
    saved_by, saved_at = _last_save(record)
    raise EditConflict(
        version=current,
        changes=_changes(saved, typed, model),
        saved_by=saved_by,
        saved_at=saved_at,
    )


def locked[M: models.Model](instance: M, **lookup: object) -> M | None:
    """The record's row as saved now, locked until the transaction ends (None if there is none).
    By primary key, or by `lookup` (a profile that may have been created meanwhile)."""
    if not lookup:
        if instance.pk is None:
            return None
        lookup = {"pk": instance.pk}
    rows = type(instance)._default_manager.select_for_update().filter(**lookup)
    return rows.order_by("pk").first()  # not the model's ordering, which may join other tables


def start_edit[M: models.Model](
    instance: M,
    names: Iterable[str],
    *,
    version: str | None,
    typed: Mapping[str, object],
    **lookup: object,
) -> tuple[M | None, bool]:
    """Lock the record's row and check the version the edit started from (EditConflict).

    Returns the record as saved now (None when it has no row yet) and whether `typed`
    changes any of its values. Call it inside the service's transaction."""
    names = tuple(names)
    row = locked(instance, **lookup)
    saved = values_of(row if row is not None else type(instance)(), names)
    check(version, saved=saved, typed=typed, model=type(instance), record=row)
    return row, row is None or not unchanged(saved, typed)


def _last_save(record: models.Model | None) -> tuple[str, object]:
    history = getattr(record, "history", None)
    if record is None or history is None:
        return "", None
    last = history.select_related("history_user").order_by("-history_date").first()
    if last is None:
        return "", None
    user = last.history_user
    name = (user.get_full_name() or user.get_username()) if user is not None else ""
    return name, last.history_date


# Showing both versions -------------------------------------------------------------------------


def _changes(saved: Mapping, typed: Mapping, model: type[models.Model] | None) -> list[Change]:
    names = [name for name in typed if _canonical(typed[name]) != _canonical(saved.get(name))]
    return [
        Change(
            name=name,
            saved=_display(model, name, _canonical(saved.get(name))),
            typed=_display(model, name, _canonical(typed[name])),
        )
        for name in names
    ]


def _field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a value that is not one of the model's fields (a derived text)
        return None


def _person_or_str(obj) -> str:
    full_name = getattr(obj, "get_full_name", None)
    return (full_name() if full_name else "") or str(obj)


def _display(model: type[models.Model] | None, name: str, value) -> str:
    """A value as a person reads it: labels for choices, names for records."""
    if value in (None, "", []):
        return ""
    field = _field(model, name)
    if field is not None and field.is_relation:
        keys = value if isinstance(value, list) else [value]
        found = field.related_model._default_manager.in_bulk(keys)
        return ", ".join(_person_or_str(found[key]) for key in keys if key in found)
    if field is not None and hasattr(field, "labels"):  # a list of choices (ChoiceListField)
        return ", ".join(field.labels(value))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(formats.localize(value))


# In the view -----------------------------------------------------------------------------------


class VersionedForm(BaseForm):
    """A form whose edit carries a version: put it first among the bases of the form class
    (`class GoalForm(VersionedForm, forms.ModelForm)`). `carry` and `show_conflict` set these;
    templates/includes/edit_version.html shows them."""

    edit_version: str = ""
    edit_conflict: EditConflict | None = None


def carry(
    form: VersionedForm, request: HttpRequest, values: Callable[[], Mapping[str, object]]
) -> str:
    """Give the form the version its edit started from, and return it: the one the POST
    carries, or, when the form is shown, the record's version now (`values()` is what the
    form edits, as the service reads it)."""
    if request.method == "POST" and VERSION_FIELD in request.POST:
        version = request.POST[VERSION_FIELD][:64]
    else:
        version = fingerprint(values())
    form.edit_version = version
    form.edit_conflict = None
    return version


def show_conflict(form: VersionedForm, conflict: EditConflict, *, keep_url: str) -> None:
    """Show the form again with both versions side by side; it now carries the version saved,
    so that saving again puts what the person typed in its place."""
    labelled = []
    for change in conflict.changes:
        field = form.fields.get(change.name)
        label = (field.label if field is not None else "") or capfirst(pretty_name(change.name))
        labelled.append(
            Change(name=change.name, saved=change.saved, typed=change.typed, label=str(label))
        )
    conflict.changes = labelled
    conflict.keep_url = keep_url
    form.edit_version = conflict.version
    form.edit_conflict = conflict
