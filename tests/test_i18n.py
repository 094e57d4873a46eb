"""The English catalogue is complete, compiled, and actually used when a user switches language."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
LOGIN_URL = "/accounts/login/"
SIGN_IN = "Sign in"  # the English msgstr chosen for 登录

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$')
_CONTINUATION = re.compile(r'^"(.*)"$')
# a named placeholder with its conversion flags and width: %(name)s, %(month)02d, %(share).1f
_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]")


def _unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def parse_po(path):
    """Return a list of entries: dicts of keyword -> text, plus 'flags' (set of strings)."""
    entries, entry, key = [], None, None

    def flush():
        if entry and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if m := _KEYWORD.match(line):
            key = m.group(1)
            entry[key] = _unescape(m.group(2))
        elif (m := _CONTINUATION.match(line)) and key:
            entry[key] += _unescape(m.group(1))
        else:
            raise AssertionError(f"unparseable line in {path.name}: {raw!r}")
    flush()
    return entries


def _h1(response):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "login page has no <h1>"
    return match.group(1).strip()


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert _h1(response) == "登录"
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.django_db
def test_switching_to_english_translates_the_login_page(client):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN_URL})
    assert switched.status_code == 302
    assert switched["Location"] == LOGIN_URL

    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    h1 = _h1(response)
    assert h1 == SIGN_IN
    assert "登录" not in h1
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Username" in html and "Password" in html


@pytest.mark.django_db
def test_switching_back_to_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN_URL})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": LOGIN_URL})
    assert _h1(client.get(LOGIN_URL)) == "登录"


def test_po_has_no_empty_or_fuzzy_translations():
    entries = [e for e in parse_po(PO) if e["msgid"]]  # skip the header entry
    assert len(entries) > 100
    empty = [
        e["msgid"]
        for e in entries
        if any(not v for k, v in e.items() if k.startswith("msgstr"))
        or ("msgid_plural" in e and not {"msgstr[0]", "msgstr[1]"} <= e.keys())
    ]
    assert not empty, f"untranslated msgids: {empty}"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"


def test_translations_keep_every_placeholder():
    for e in parse_po(PO):
        if not e["msgid"]:
            continue
        singular = set(_PLACEHOLDER.findall(e["msgid"]))
        # a plural form answers to msgid_plural ("every year" / "every %(n)s years"); the singular to msgid
        plural = set(_PLACEHOLDER.findall(e.get("msgid_plural", e["msgid"])))
        for key, value in e.items():
            if key.startswith("msgstr"):
                expected = plural if key not in ("msgstr", "msgstr[0]") else singular
                assert set(_PLACEHOLDER.findall(value)) == expected, (e["msgid"], value)


def test_mo_is_compiled_from_the_current_po():
    assert MO.exists(), "run `dangjian compilemessages` and commit django.mo"
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    for e in parse_po(PO):
        if not e["msgid"]:
            continue
        if "msgid_plural" in e:
            assert catalog.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr[0]"]
            assert catalog.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr[1]"]
        elif "msgctxt" in e:
            assert catalog.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"], e["msgid"]
        else:
            assert catalog.gettext(e["msgid"]) == e["msgstr"], e["msgid"]
