"""One file's version, for the keys of anything computed from a saved file (memos, disk caches, checks).

A file rewritten in place gets a new modification time and usually size; one replaced by an atomic rename (as the
warehouse build and every saved output do) gets a new inode too. A key holding all four changes whenever the file
does, so a result computed from an older version is never served for a newer one.
"""

from __future__ import annotations

from pathlib import Path

FileVersion = tuple[str, int, int, int]


def file_version(path: Path) -> FileVersion | None:
    """The file's resolved path, inode, size and modification time (ns); None when it is not there (or cannot be
    looked at, which its reader then reports)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns
