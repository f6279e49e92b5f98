from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coupwatch.errors import CoupwatchError, HashMismatchError
from coupwatch.sources import powell_thyne
from coupwatch.store.fetch import fetch, sha256_of
from tests.httpmirror import serve_folder

EVENTS = powell_thyne.EVENTS_SOURCE_V2023.files[0]


def test_local_mirror_is_hash_checked(mirror: Path) -> None:
    got = fetch(EVENTS, "powell_thyne", mirror=str(mirror))
    assert got.origin == "mirror" and got.pinned
    assert got.sha256 == EVENTS.sha256 == sha256_of(got.path)


def test_tampered_mirror_file_is_rejected(tmp_path: Path, mirror: Path) -> None:
    folder = tmp_path / "powell_thyne"
    folder.mkdir()
    shutil.copy(mirror / "powell_thyne" / EVENTS.filename, folder / EVENTS.filename)
    with (folder / EVENTS.filename).open("a", encoding="latin-1") as handle:
        handle.write('"Atlantis"\t999\t\t\t2024\t1\t1\t2\t"X"\n')
    with pytest.raises(HashMismatchError) as info:
        fetch(EVENTS, "powell_thyne", mirror=str(tmp_path))
    message = str(info.value)
    assert EVENTS.sha256 in message and "COUPWATCH_ALLOW_NEW_VERSIONS" in message


def test_missing_mirror_file_names_the_path_and_url(tmp_path: Path) -> None:
    with pytest.raises(CoupwatchError, match=r"powell_thyne_coups_final.txt.*uky.edu"):
        fetch(EVENTS, "powell_thyne", mirror=str(tmp_path))


def test_download_over_http_is_verified_and_cached(
    tmp_path: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUPWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COUPWATCH_MIRROR", raising=False)
    with serve_folder(mirror) as base:
        got = fetch(EVENTS, "powell_thyne", mirror=base)
        assert got.origin == "download" and got.pinned
        assert got.path == tmp_path / "home" / "cache" / "powell_thyne" / EVENTS.filename
        again = fetch(EVENTS, "powell_thyne", mirror=base)
        assert again.origin == "cache"


def test_publisher_url_download_rejects_wrong_hash_and_keeps_nothing(
    tmp_path: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUPWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COUPWATCH_MIRROR", raising=False)
    served = tmp_path / "served"
    served.mkdir()
    (served / EVENTS.filename).write_bytes((mirror / "powell_thyne" / EVENTS.filename).read_bytes()[:-200])
    with serve_folder(served) as base:
        wrong = EVENTS.__class__(EVENTS.filename, f"{base}/{EVENTS.filename}", EVENTS.sha256)
        with pytest.raises(HashMismatchError):
            fetch(wrong, "powell_thyne", mirror="")
    cache = tmp_path / "home" / "cache" / "powell_thyne"
    assert not cache.exists() or not any(cache.iterdir())


def test_new_release_accepted_only_when_allowed(
    tmp_path: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "powell_thyne"
    folder.mkdir()
    (folder / EVENTS.filename).write_bytes((mirror / "powell_thyne" / EVENTS.filename).read_bytes() + b"\n")
    monkeypatch.setenv("COUPWATCH_ALLOW_NEW_VERSIONS", "1")
    got = fetch(EVENTS, "powell_thyne", mirror=str(tmp_path))
    assert not got.pinned and got.sha256 != EVENTS.sha256
