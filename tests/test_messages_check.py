"""`make messages-check` (bin/messages_check.py): what makes the Spanish catalogue incomplete."""

import importlib.util
from pathlib import Path

from django.conf import settings

_spec = importlib.util.spec_from_file_location(
    "messages_check", Path(settings.BASE_DIR) / "bin" / "messages_check.py"
)
assert _spec is not None and _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)

HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'


def catalogue(tmp_path: Path, text: str):
    path = tmp_path / "django.po"
    path.write_text(HEADER + text, encoding="utf-8")
    return check.entries(path)


def test_a_complete_catalogue_passes(tmp_path):
    entries = catalogue(
        tmp_path,
        'msgid "Save"\nmsgstr "Guardar"\n\n'
        'msgctxt "page"\nmsgid "Next"\nmsgstr "Siguiente"\n\n'
        'msgid "%(count)s visit"\nmsgid_plural "%(count)s visits"\n'
        'msgstr[0] "%(count)s visita"\nmsgstr[1] "%(count)s visitas"\n'
        'msgstr[2] "%(count)s visitas"\n',
    )

    assert [entry.key for entry in entries] == [
        (None, "Save"),
        ("page", "Next"),
        (None, "%(count)s visit"),
    ]
    assert check.compare(entries, entries) == []


def test_new_dropped_untranslated_and_fuzzy_strings_each_fail(tmp_path):
    committed = catalogue(
        tmp_path,
        'msgid "Save"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hola, %(name)s"\n\n'
        'msgid "Gone"\nmsgstr "Ya no"\n\n'
        'msgid "%(count)s visit"\nmsgid_plural "%(count)s visits"\n'
        'msgstr[0] "%(count)s visita"\nmsgstr[1] ""\nmsgstr[2] ""\n',
    )
    regenerated = catalogue(
        tmp_path,
        'msgid "Save"\nmsgstr ""\n\n'
        'msgid "Hello %(name)s"\nmsgstr ""\n\n'
        'msgid "%(count)s visit"\nmsgid_plural "%(count)s visits"\n'
        'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n\n'
        'msgid ""\n"A long string, "\n"on two lines"\nmsgstr ""\n',
    )

    assert check.compare(committed, regenerated) == [
        "not in the catalogue (run makemessages, then translate): A long string, on two lines",
        "no longer used (run makemessages): Gone",
        "no Spanish: Save",
        "marked fuzzy (check the Spanish, then remove the mark): Hello %(name)s",
        "no Spanish: %(count)s visit",
    ]
