"""A file's version changes whenever the file does, rewritten in place or replaced by a rename."""

from __future__ import annotations

import os
from pathlib import Path

from coupwatch.store.file_versions import file_version


def test_a_file_rewritten_or_replaced_gets_a_new_version_and_a_missing_one_none(tmp_path: Path) -> None:
    path = tmp_path / "metrics.json"
    assert file_version(path) is None
    path.write_text("{}", encoding="utf-8")
    first = file_version(path)
    assert first is not None and first[0] == str(path.resolve()) and first[2] == 2
    assert file_version(path) == first  # unchanged: the same key
    # Rewritten in place with the same size: the modification time tells them apart.
    os.utime(path, ns=(first[3] + 1_000_000, first[3] + 1_000_000))
    rewritten = file_version(path)
    assert rewritten is not None and rewritten != first
    # Replaced by an atomic rename, as saved outputs are: a new inode even with the same size and time.
    staged = tmp_path / "staged.json"
    staged.write_text("[]", encoding="utf-8")
    os.utime(staged, ns=(rewritten[3], rewritten[3]))
    keep_alive = tmp_path / "old.json"
    os.link(path, keep_alive)  # the old inode stays in use, so the new file cannot reuse its number
    os.replace(staged, path)
    replaced = file_version(path)
    assert replaced is not None and replaced[1] != rewritten[1] and replaced != rewritten
