"""Matrix rows for privacy/ (privacy/views.py).

Each person's data download is their own: everyone signed in gets a file, of their own records
only (tests/privacy/test_my_data.py checks the content, the supervisor's included). The
anonymize page is for administrators only; for anyone else it does not exist. The row is a GET
of the page with a person found, so nothing changes between roles.
"""

from tests.matrix.world import Row

ROWS = {
    "privacy:my_data_json": lambda demo: Row("/privacy/my-data.json", others=200),
    "privacy:my_data_csv": lambda demo: Row("/privacy/my-data.zip", others=200),
    "privacy:anonymize": lambda demo: Row(
        "/privacy/anonymize/", data={"person": "resident"}, expect={"admin": 200}
    ),
}
