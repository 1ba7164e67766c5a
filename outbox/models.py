"""What the site has sent, or tried to send, and what people asked not to be sent.

A `Delivery` is one email to one person. It is written in the request (or the scheduled job)
that causes it, and sent by the task worker after the write commits. It keeps the ids the
message is written from (`params`), never the message itself: an invitation's set-your-password
link must not sit in a table administrators can read. Its `key`, when set, makes it happen once:
a scheduled job that runs twice on one day finds the key taken and sends nothing the second time.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be delivered")
        DROPPED = "dropped", _("Not sent (no longer needed)")

    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        null=True,
        blank=True,
    )
    # The address when there is no account behind it (a password reset for an unknown address
    # never gets this far); otherwise the recipient's address at the time of sending.
    address = models.EmailField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)
    # When the next attempt is due (a retry waits), or when the one under way started.
    due_at = models.DateTimeField(default=clock.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["recipient", "kind", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.address or self.recipient_id} ({self.status})"


class Optout(models.Model):
    """One person turned one kind of email off (settings page or the link in the email)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_optouts"
    )
    kind = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_optout_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} turned off {self.kind}"
