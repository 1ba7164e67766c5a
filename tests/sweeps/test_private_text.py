"""The private tier, proven over every page: a unique string planted in every private note and
every private reflection shows up for its author and for nobody else, on any page.

The pages are every GET row of every permission-matrix module (tests/matrix/*.py), plus the
page of every relationship, visit (and its edit form) and goal in the demo world, plus every
person's calendar feed (tests/sweeps/world.py), read as every demo person, the outsider and an
anonymous visitor.
"""

import pytest

from tests.sweeps.world import ANONYMOUS, PEOPLE


def test_every_private_text_has_an_author_among_the_people_swept(world):
    """So that each note below is looked for on its author's pages."""
    notes = {m: author for m, author in world.markers.items() if m.startswith("PRIVATE-NOTE-")}
    assert notes
    assert set(notes.values()) <= set(world.people.values())


@pytest.mark.parametrize("person", PEOPLE)
def test_private_texts_reach_their_author_only(world, pages, person):
    me = world.people[person]
    leaks, seen_by_author = [], set()
    for url, page in pages.each(person, world.private_sweep):
        for marker, author_id in world.markers.items():
            if marker not in page.body:
                continue
            if author_id == me:
                seen_by_author.add(marker)
            else:
                leaks.append(f"{person} read {marker[:20]}… on {url}")
    assert not leaks, "\n".join(leaks[:20])
    # The check above means something only if the authors do see their own notes.
    mine = {m for m, a in world.markers.items() if a == me and m.startswith("PRIVATE-NOTE-")}
    assert mine <= seen_by_author, f"{person} does not see their own notes on any page"


def test_anonymous_visitors_read_no_private_text(world, pages):
    for url, page in pages.each(ANONYMOUS, world.private_sweep):
        assert not [marker for marker in world.markers if marker in page.body], url
