"""Every string the interface shows has a Vietnamese translation, and the catalog is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
VI = ROOT / "portal" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_vietnamese_message_is_translated() -> None:
    catalog = _catalog(VI)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []
    assert not catalog.fuzzy
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_catalog_has_every_string_in_the_code(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    in_code = {m.id for m in _catalog(pot) if m.id}
    translated = {m.id for m in _catalog(VI) if m.id}
    assert sorted(in_code - translated) == [], "run the catalog update and translate"
