"""Counts read right in English: scripts/translations_en.py fills both plural forms (it once left the singular
msgstr, which is not compiled for a plural entry, and the rosters read "n households" for people)."""

import gettext

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext


@pytest.mark.parametrize(
    "msgid,n,expected",
    [
        ("共 %(n)s 人", 1, "1 person in all"),
        ("共 %(n)s 人", 3, "3 people in all"),
        ("%(n)s 人", 2, "2 people"),
    ],
)
def test_people_are_counted_as_people(msgid, n, expected):
    with translation.override("en"):
        assert ngettext(msgid, msgid, n) % {"n": n} == expected


def test_every_plural_entry_has_both_forms_translated():
    with open(settings.BASE_DIR / "locale/en/LC_MESSAGES/django.mo", "rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # plural forms are keyed (msgid, index)
    forms: dict[str, list[str]] = {}
    for key, text in catalog.items():
        if isinstance(key, tuple):
            forms.setdefault(key[0], []).append(text)
    assert forms
    for msgid, texts in forms.items():
        assert len(texts) == 2 and all(t.strip() for t in texts), msgid
        assert "households" not in "".join(texts) or "户" in msgid, msgid
