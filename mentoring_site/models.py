"""The site's own records: a person's two-step verification (mentoring_site/two_step.py)."""

from django.conf import settings
from django.db import models

from core.encryption import EncryptedTextField


class TwoStep(models.Model):
    """A person's authenticator app (TOTP, RFC 6238) and their recovery codes.

    The shared secret is encrypted at rest (core/encryption.py); recovery codes are kept as
    SHA-256 digests (each is about 49 random bits, shown once), and each works once. A row is
    written when the person confirms the set-up with a first code from their app (the key of a
    set-up in progress stays in their session)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="two_step",
        verbose_name="person",
    )
    secret = EncryptedTextField("shared secret")
    confirmed_at = models.DateTimeField("turned on", null=True, blank=True)
    # The time step of the last code accepted: a code works once (RFC 6238, section 5.2).
    last_step = models.BigIntegerField("last time step used", default=0)
    recovery_codes = models.JSONField("recovery codes (digests)", default=list, blank=True)

    class Meta:
        verbose_name = "two-step verification"
        verbose_name_plural = "two-step verifications"

    def __str__(self) -> str:
        state = "on" if self.confirmed_at else "being set up"
        return f"Two-step verification of {self.user} ({state})"

    @property
    def is_on(self) -> bool:
        return self.confirmed_at is not None
