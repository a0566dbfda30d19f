"""The German catalogue is complete and the committed .mo files are up to date.

`make messages-extract` runs on a copy of the code, so the check sees every
string in the code as it is now, and finds none new, untranslated or fuzzy;
msgfmt --check also proves each translation keeps its %(name)s placeholders.
The compiled .mo files are committed (so `make run` needs no gettext): they
must say what the .po files say.
"""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "de" / "LC_MESSAGES"
SOURCES = ["community", "ideas", "cms", "search", "realtime", "templates", "locale"]
DOMAINS = ["django", "djangojs"]

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="needs GNU gettext (scripts/system-deps.sh)"
)


def statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("messages")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    for name in ["manage.py", "Makefile"]:
        shutil.copy(ROOT / name, copy / name)
    subprocess.run(
        ["make", "-s", "messages-extract", f"PY={sys.executable}"],
        cwd=copy,
        check=True,
        capture_output=True,
        text=True,
    )
    return copy / "locale" / "de" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_in_the_code_has_a_german_translation(extracted, domain):
    stats = statistics(extracted / f"{domain}.po")
    assert re.fullmatch(r"\d+ translated messages?\.", stats), (
        f"{domain}: {stats}. Run `make messages`, translate what is new in "
        f"locale/de/LC_MESSAGES/{domain}.po, and run `make messages` again."
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_po_file_has_no_strings_the_code_no_longer_uses(extracted, domain):
    def msgids(po: Path) -> set[str]:
        """Each entry's msgid, its wrapped lines joined."""
        found, current = set(), None
        for line in po.read_text().splitlines():
            if line.startswith('msgid "'):
                current = [line[7:-1]]
            elif current is not None and line.startswith('"'):
                current.append(line[1:-1])
            elif current is not None:
                found.add("".join(current))
                current = None
        return found

    assert msgids(LOCALE / f"{domain}.po") == msgids(extracted / f"{domain}.po")


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_file_matches_its_po_file(tmp_path, domain):
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(LOCALE / f"{domain}.po")], check=True)
    with open(LOCALE / f"{domain}.mo", "rb") as committed, open(compiled, "rb") as fresh:
        ours = gettext.GNUTranslations(committed)._catalog
        theirs = gettext.GNUTranslations(fresh)._catalog
    assert ours == theirs, "run `make messages` and commit the .mo files"
