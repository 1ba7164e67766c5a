"""Running the scheduled jobs in a test as the scheduler would, with the emails they queue sent
at once (the immediate task backend, once the job's writes commit)."""

import pytest

from nudges import services


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """`run("visit-reminders", ...)` runs those jobs (all of them, without names) and sends
    what they queue; what each job said, by name."""

    def run(*only: str) -> dict[str, str]:
        with django_capture_on_commit_callbacks(execute=True):
            outcomes = services.scheduled_jobs_run(only=only or None)
        assert not [outcome for outcome in outcomes if outcome.failed]
        return {outcome.name: outcome.text for outcome in outcomes}

    return run


@pytest.fixture
def coordinator(db):
    """Someone to list as a program's coordinator."""
    from tests import factories

    return factories.UserFactory(first_name="Cora", last_name="Ordway")
