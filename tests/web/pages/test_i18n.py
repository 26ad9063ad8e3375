"""The interface in Korean: every message translated, compiled, and chosen by the user."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import polib
import pytest
from django.test import Client
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[3] / "src" / "refuge" / "web" / "locale"
PO = LOCALE / "ko" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "ko" / "LC_MESSAGES" / "django.mo"


def test_every_message_has_a_korean_translation() -> None:
    po = polib.pofile(str(PO))
    assert len(po) > 100
    untranslated = [
        e.msgid
        for e in po
        if "fuzzy" in e.flags or (not e.msgstr and not all(e.msgstr_plural.values() or [""]))
    ]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_translations() -> None:
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    stale = [
        e.msgid
        for e in polib.pofile(str(PO))
        if (e.msgid_plural and catalogue.ngettext(e.msgid, e.msgid_plural, 1) != e.msgstr_plural[0])
        or (not e.msgid_plural and catalogue.gettext(e.msgid) != e.msgstr)
    ]
    assert stale == [], "run `refuge manage compilemessages` after editing the .po file"


@pytest.mark.django_db
def test_a_user_switches_the_interface_to_korean(client: Client, alice: Any) -> None:
    client.force_login(alice)
    english = client.get(reverse("incidents:list")).content.decode()
    assert "Incidents" in english
    response = client.post(
        reverse("set_language"), {"language": "ko", "next": reverse("incidents:list")}
    )
    assert response.status_code == 302
    korean = client.get(reverse("incidents:list")).content.decode()
    assert '<html lang="ko">' in korean
    assert "사건" in korean and "로그아웃" in korean
