"""A mail backend for the tests that refuses the first messages it is given, as a mail server
that is down would, then takes the rest into Django's test outbox."""

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

refusals = {"left": 0}


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        if refusals["left"] > 0:
            refusals["left"] -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


def refuse(times: int) -> None:
    refusals["left"] = times
    mail.outbox = getattr(mail, "outbox", [])
