"""The warehouse build is all-or-nothing: every kind of bad input fails clearly and leaves the old one."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from coupwatch.errors import HashMismatchError, SourceFileError, UnmappedCountryError
from coupwatch.store import build as warehouse
from tests.httpmirror import serve_folder

EVENTS = "powell_thyne/powell_thyne_coups_final.txt"


def _mirror_with(mirror: Path, tmp: Path, relative: str, change: Callable[[str], str]) -> Path:
    """A mirror whose folders link to the real one, except for one changed file."""
    root = tmp / "mirror"
    root.mkdir()
    changed_folder = relative.split("/")[0]
    for folder in mirror.iterdir():
        if folder.is_dir() and folder.name != changed_folder:
            (root / folder.name).symlink_to(folder)
    (root / changed_folder).mkdir()
    for file in (mirror / changed_folder).iterdir():
        (root / changed_folder / file.name).symlink_to(file)
    target = root / relative
    text = target.read_text(encoding="latin-1")
    target.unlink()
    target.write_text(change(text), encoding="latin-1")
    return root


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def previous(built_home: Path, tmp_path: Path) -> Path:
    """A copy of a good warehouse that a failing build must leave untouched."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(built_home / "warehouse.duckdb", home / "warehouse.duckdb")
    return home / "warehouse.duckdb"


def _replace_line(text: str, prefix: str, new: str) -> str:
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith(prefix):
            lines[number] = new
            return "".join(lines)
    raise AssertionError(f"no line starts with {prefix!r}")


CASES = {
    "truncated file": (
        lambda t: t[: t.index('"Mali"\t432\t\t\t2020')] + '"Mali"\t432\t\t\t2020\t8',
        SourceFileError,
        ["powell_thyne_coups_final.txt", "row"],
    ),
    "renamed column": (
        lambda t: t.replace("\tcoup\tversion", "\tcoup_type\tversion", 1),
        SourceFileError,
        ["powell_thyne_coups_final.txt", "'coup'", "coup_type"],
    ),
    "non-numeric value": (
        lambda t: _replace_line(t, '"Mali"\t432\t\t\t2020', '"Mali"\t432\t\t\t2020\tAug\t18\t2\t"V2023.09.08"\n'),
        SourceFileError,
        ["powell_thyne_coups_final.txt", "'month'", "'Aug'"],
    ),
    "unknown country": (
        lambda t: t + '"Atlantis"\t999\t\t\t2020\t1\t1\t2\t"V2023.09.08"\n',
        UnmappedCountryError,
        ["pt_events", "'999'", "ignore.csv"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_clearly_and_keeps_previous_warehouse(
    case: str, mirror: Path, tmp_path: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, error, fragments = CASES[case]
    bad_mirror = _mirror_with(mirror, tmp_path, EVENTS, change)
    monkeypatch.setenv("COUPWATCH_ALLOW_NEW_VERSIONS", "1")  # get past the hash check to the parser
    before = _digest(previous)
    with pytest.raises(error) as info:
        warehouse.build(previous, mirror=str(bad_mirror))
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert _digest(previous) == before
    assert [p.name for p in previous.parent.iterdir()] == ["warehouse.duckdb"]


def test_duplicate_key_fails_clearly(mirror: Path, tmp_path: Path, previous: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def duplicate(text: str) -> str:
        line = next(x for x in text.splitlines(keepends=True) if x.startswith('432\t"MLI"\t"Mali"\t2012'))
        return text + line

    bad_mirror = _mirror_with(mirror, tmp_path, "powell_thyne/powell_thyne_ccode_year.txt", duplicate)
    monkeypatch.setenv("COUPWATCH_ALLOW_NEW_VERSIONS", "1")
    before = _digest(previous)
    with pytest.raises(SourceFileError, match=r"powell_thyne_ccode_year.txt row \d+.*duplicate key.*432"):
        warehouse.build(previous, mirror=str(bad_mirror))
    assert _digest(previous) == before


def test_wrong_hash_fails_and_keeps_previous_warehouse(mirror: Path, tmp_path: Path, previous: Path) -> None:
    bad_mirror = _mirror_with(mirror, tmp_path, EVENTS, lambda t: t.replace("Fiji", "Fidji"))
    before = _digest(previous)
    with pytest.raises(HashMismatchError, match=r"powell_thyne_coups_final.txt.*expected 6d0698"):
        warehouse.build(previous, mirror=str(bad_mirror))
    assert _digest(previous) == before


@pytest.mark.slow
def test_build_downloads_over_real_http(mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUPWATCH_HOME", str(tmp_path / "home"))
    with serve_folder(mirror) as base:
        result = warehouse.build(mirror=base)
    assert result.path == tmp_path / "home" / "warehouse.duckdb"
    origins = result.provenance.groupby("file")["origin"].agg(set)
    assert all("download" in o or o == {"cache"} for o in origins)
    first_use = result.provenance.drop_duplicates("file")["origin"]
    assert set(first_use) == {"download"}  # each file came over HTTP once, later tables reuse the cache
    assert result.provenance["fetched_from"].str.startswith(base).all()
    cached = list((tmp_path / "home" / "cache").rglob("*"))
    assert any(p.name == "powell_thyne_coups_final.txt" for p in cached)


def test_errors_keep_their_fields_across_processes() -> None:
    import pickle

    error = SourceFileError("sipri.xlsx", "expected a number", row=214, field="Mali 2013", value=". .", fix="x")
    again = pickle.loads(pickle.dumps(error))
    assert (again.file, again.row, again.field, again.value) == ("sipri.xlsx", 214, "Mali 2013", ". .")
    assert str(again) == str(error)
    mismatch = pickle.loads(pickle.dumps(HashMismatchError("a.csv", "e" * 64, "f" * 64, "restore it")))
    assert mismatch.expected == "e" * 64 and "restore it" in str(mismatch)
