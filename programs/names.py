"""How a person is named on pages and in exports."""


def display_name(first_name: str, last_name: str, username: str) -> str:
    """ "First Last", or the username when both are blank: `User.get_full_name() or username`
    for rows read with `values()`."""
    return f"{first_name} {last_name}".strip() or username
