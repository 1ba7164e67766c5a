"""Matrix rows for the program leaders' pages: the roll-up and its downloads
(reports/views/leaders.py), only for a leader; and the leaders of an organization
(programs/views/organizations.py), for an administrator or a leader of an organization above
it. Everyone else gets a 404, whatever else they are (a coordinator, a supervisor)."""

from programs.models import Organization
from seed.demo_story import ELEMENTARY
from tests.matrix.world import Row


def school_code(demo) -> str:
    """A school of the district the demo leader leads."""
    return str(Organization.objects.get(name=ELEMENTARY).code)


ROWS = {
    "leaders:rollup": lambda demo: Row("/leaders/", expect={"leader": 200}),
    "leaders:export_csv": lambda demo: Row("/leaders/programs.csv", expect={"leader": 200}),
    "leaders:export_xlsx": lambda demo: Row("/leaders/months.xlsx", expect={"leader": 200}),
    # Asks for the roll-up as a PDF, then shows its status page (tests/matrix/reports.py).
    "leaders:pdf": lambda demo: Row("/leaders/pdf/", method="post", expect={"leader": 302}),
    # The district's own leaders are named by an administrator; a school's, by the district's
    # leader too.
    "organizations:leaders": lambda demo: Row(
        f"/organizations/{school_code(demo)}/leaders/", expect={"admin": 200, "leader": 200}
    ),
}
