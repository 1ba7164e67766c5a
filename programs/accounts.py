"""People's accounts, as the coordinator's pages meet them: finding someone by username or
email address, and creating the account of someone new, who sets a password through their
invitation (programs/invitations.py). Enrolling them is programs/services.py."""

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext


@dataclass
class NewPerson:
    """Someone who has no account yet."""

    first_name: str
    last_name: str
    email: str
    username: str = ""


def find_person(identifier: str) -> User | None:
    """A person by username or email address (case-insensitive); None when nobody matches."""
    identifier = identifier.strip()
    if not identifier:
        return None
    person = User.objects.filter(username__iexact=identifier).first()
    if person is None and "@" in identifier:
        person = User.objects.filter(email__iexact=identifier).order_by("pk").first()
    return person


def _username_base(new: NewPerson) -> str:
    base = new.username.strip() or new.email.split("@")[0]
    return re.sub(r"[^\w.@+-]", "", base.lower())[:140] or "person"


def _username_for(new: NewPerson) -> str:
    base = _username_base(new)
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def usernames_for(news: list[NewPerson]) -> list[str]:
    """Free usernames for many new people at once (a roster), one each, in at most two
    queries: the names as `_username_for` makes them."""
    bases = [_username_base(new) for new in news]
    taken = set(
        User.objects.annotate(lower_username=Lower("username"))
        .filter(lower_username__in=set(bases))
        .values_list("lower_username", flat=True)
    )
    if taken:
        numbered = reduce(or_, (Q(username__istartswith=base) for base in taken))
        taken |= {
            name.lower()
            for name in User.objects.filter(numbered).values_list("username", flat=True)
        }
    names = []
    for base in bases:
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate)
        names.append(candidate)
    return names


def check_new_person(new: NewPerson) -> None:
    """Refuse what cannot become a new account (a ValidationError by field)."""
    errors = {}
    if not new.first_name.strip():
        errors["first_name"] = gettext("Enter the person's first name.")
    if not new.last_name.strip():
        errors["last_name"] = gettext("Enter the person's last name.")
    try:
        validate_email(new.email.strip())
    except ValidationError:
        errors["email"] = gettext("Enter a valid email address.")
    else:
        if User.objects.filter(email__iexact=new.email.strip()).exists():
            errors["email"] = gettext(
                "Someone with this email address already has an account: enroll them as "
                "an existing person."
            )
    if new.username.strip() and User.objects.filter(username__iexact=new.username).exists():
        errors["username"] = gettext("This username is taken.")
    if errors:
        raise ValidationError(errors)


def person_create(new: NewPerson) -> User:
    """The account of someone new, with no password: they choose one through the invitation
    (programs/invitations.py)."""
    check_new_person(new)
    person = User(
        username=_username_for(new),
        first_name=new.first_name.strip(),
        last_name=new.last_name.strip(),
        email=new.email.strip().lower(),
    )
    person.set_unusable_password()  # they set one through a password reset
    person.full_clean()
    person.save()
    return person
