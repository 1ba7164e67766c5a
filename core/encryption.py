"""Private text encrypted at rest: a model field that stores Fernet tokens.

Fernet (from `cryptography`: AES-128 in CBC mode with an HMAC-SHA256 signature) with the keys
in `DJANGO_FIELD_ENCRYPTION_KEY` (settings.FIELD_ENCRYPTION_KEYS). The first key encrypts; every
key decrypts, so a key is rotated by putting a new one first and re-saving the rows.

A database dump holds tokens, never the words. Empty text stays empty (that a note exists is
not secret: admins see it, with its length). Each token is different even for the same words,
so the column cannot be searched or compared: only `=""` and `isnull` lookups mean anything.
"""

from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token; raises `cryptography.fernet.InvalidToken` when no key opens it
    (a wrong key, or a value that was never encrypted), rather than show it as it is."""
    return fernet().decrypt(token.encode("ascii")).decode()


class EncryptedTextField(models.TextField):
    """A TextField whose non-empty values are stored encrypted."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)
