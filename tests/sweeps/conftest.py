"""The page sweeps share one planted demo world (tests/sweeps/world.py): built once for the
package in a transaction rolled back after it, each test in a savepoint inside it."""

import pytest
from django.db import transaction

from tests.sweeps.world import Pages, PlantedDemo


@pytest.fixture(scope="package")
def planted_demo(django_db_setup, django_db_blocker) -> PlantedDemo:
    with django_db_blocker.unblock(), transaction.atomic():
        yield PlantedDemo.build()
        transaction.set_rollback(True)


@pytest.fixture
def world(db, planted_demo) -> PlantedDemo:
    return planted_demo


@pytest.fixture
def pages(world) -> Pages:
    return Pages(world)
