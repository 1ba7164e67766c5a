"""Fail when the Spanish catalogue is not complete (`make messages-check`, run by CI).

It runs `makemessages` exactly as docs/translation.md says, then compares: a string the code or
a template has that the catalogue lacks (someone marked a string and did not translate it), a
string the catalogue has that nothing uses any more, an entry with no Spanish (or an empty plural
form), and an entry marked fuzzy all fail the check, each named. The catalogue is put back as it
was, so the check changes nothing in the working tree.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES = [
    sys.executable,
    "manage.py",
    "makemessages",
    "-l",
    "es",
    "--no-location",
    "--no-obsolete",
    "--no-wrap",
    "-i",
    ".venv",
    "-i",
    "wt-*",
    "-i",
    "bench",
    "-i",
    "tests",
    "-i",
    "node_modules",
]
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


class Entry:
    def __init__(self) -> None:
        self.context: str | None = None
        self.msgid = ""
        self.plural: str | None = None
        self.strings: dict[int, str] = {}
        self.flags: set[str] = set()

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid

    def name(self) -> str:
        text = self.msgid if len(self.msgid) < 90 else self.msgid[:87] + "..."
        return f"[{self.context}] {text}" if self.context else text


def entries(path: Path) -> list[Entry]:
    """The catalogue's entries (the header, whose msgid is empty, left out)."""
    found: list[Entry] = []
    current = Entry()
    field: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current
        if current.msgid:
            found.append(current)
        current = Entry()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
            field = None
        elif line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        else:
            keyword, _, rest = line.partition(" ")
            if line.startswith('"'):
                text, keyword = line, ""
            else:
                text = rest
            value = "".join(STRING.findall(text))
            if keyword == "msgctxt":
                if current.msgid:
                    finish()
                field = ("context", 0)
                current.context = value
            elif keyword == "msgid":
                field = ("msgid", 0)
                current.msgid = value
            elif keyword == "msgid_plural":
                field = ("plural", 0)
                current.plural = value
            elif keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                field = ("msgstr", index)
                current.strings[index] = value
            elif field is not None:  # a continuation line
                name, index = field
                if name == "context":
                    current.context = (current.context or "") + value
                elif name == "msgid":
                    current.msgid += value
                elif name == "plural":
                    current.plural = (current.plural or "") + value
                else:
                    current.strings[index] += value
    finish()
    return found


def compare(committed: list[Entry], regenerated: list[Entry]) -> list[str]:
    """What is wrong with the committed catalogue, against what makemessages writes now."""
    committed_keys = {entry.key for entry in committed}
    regenerated_keys = {entry.key for entry in regenerated}
    problems = [
        f"not in the catalogue (run makemessages, then translate): {entry.name()}"
        for entry in regenerated
        if entry.key not in committed_keys
    ]
    problems += [
        f"no longer used (run makemessages): {entry.name()}"
        for entry in committed
        if entry.key not in regenerated_keys
    ]
    for entry in committed:
        if "fuzzy" in entry.flags:
            problems.append(
                f"marked fuzzy (check the Spanish, then remove the mark): {entry.name()}"
            )
        elif not entry.strings or any(not text for text in entry.strings.values()):
            problems.append(f"no Spanish: {entry.name()}")
    return problems


def main() -> int:
    if not CATALOGUE.exists():
        print(f"error: {CATALOGUE.relative_to(ROOT)} is missing.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        kept = Path(scratch) / "django.po"
        shutil.copyfile(CATALOGUE, kept)
        try:
            env = {**os.environ, "DJANGO_DEBUG": "true"}
            subprocess.run(MAKEMESSAGES, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            regenerated = entries(CATALOGUE)
        finally:
            shutil.copyfile(kept, CATALOGUE)
    problems = compare(entries(CATALOGUE), regenerated)
    if problems:
        print(f"The Spanish catalogue is not complete ({len(problems)}):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print("See docs/translation.md.", file=sys.stderr)
        return 1
    print(f"The Spanish catalogue is complete: {len(regenerated)} strings, all translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
