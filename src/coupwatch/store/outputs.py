"""Saved outputs written whole or not at all, and checked against their manifest whenever they are read.

A run writes its outputs into a staging folder beside the target (``.<name>.staging-<pid>``), adds
``manifest.json`` (every file with its size and sha256, the schema version, when and by what command it was
made) and then swaps the staging folder for the target in one step (``renameat2(RENAME_EXCHANGE)`` on Linux,
two renames elsewhere). A run that is killed or fails (a full disk included) leaves the previous folder as it
was; the next run removes what a dead process left behind. Single files (``--out``, briefs) are written to a
temporary file in the same folder and moved over the target with :func:`os.replace`.

Readers take each file's bytes through :class:`SavedFolder`, which compares them with the manifest, so they
never parse a file cut short or a mixture of two runs: they get an :class:`OutputError` naming the output,
the problem and the command that writes it again.

Typed documents (:class:`SavedDocument`, see :mod:`coupwatch.store.schemas`) are written with
:func:`write_document`; the manifest records each one's schema version, and :meth:`SavedFolder.document`
refuses a newer version, or a file that does not fit its model, with the field, the value and the fix.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import hashlib
import json
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from coupwatch.errors import CoupwatchError
from coupwatch.store.file_versions import FileVersion, file_version

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<tag>tmp|staging|previous|building)-(?P<pid>\d+)(?P<suffix>\.[^/]*)?$")


class OutputError(CoupwatchError):
    """A saved output cannot be written, or cannot be read back whole."""


class OutputMissingError(OutputError):
    """The output has not been written yet."""


class OutputCorruptError(OutputError):
    """The output is there but unreadable, cut short, or does not match its manifest."""


class SavedDocument(BaseModel):
    """A saved JSON document with a schema version (recorded in its folder's manifest, checked on reading).

    Raise ``SCHEMA_VERSION`` when a change of the model would make older files read wrongly; a file written
    before versions were recorded is version 1.
    """

    SCHEMA_VERSION: ClassVar[int] = 1
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


Document = TypeVar("Document", bound=SavedDocument)


def document_json(document: SavedDocument) -> str:
    """A document as its file holds it: its keys in field order (by their saved names), one space indents."""
    return json.dumps(document.model_dump(by_alias=True), indent=1)


def write_document(path: Path, document: SavedDocument) -> Path:
    """Write ``document`` into a staging folder (its kind's manifest records the schema version)."""
    path.write_text(document_json(document), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------------
# Processes and temporaries
# ---------------------------------------------------------------------------------------------------------

def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a temporary of a live run must be left alone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def temporary_name(target: Path, tag: str) -> Path:
    """``.<name>.<tag>-<pid>`` beside ``target``: the pid lets the next run tell a dead run's leftovers."""
    return target.with_name(f".{target.name}.{tag}-{os.getpid()}")


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove what dead processes left beside ``target`` (temporary files, staging folders, DuckDB files and
    their WAL); a ``previous`` folder is moved back when the target itself is missing. Returns what was removed."""
    folder = target.parent
    if not folder.is_dir():
        return []
    removed: list[Path] = []
    for entry in sorted(folder.iterdir()):
        match = _TEMPORARY.match(entry.name)
        if match is None or match["name"] != target.name or pid_alive(int(match["pid"])):
            continue
        if match["tag"] == "previous" and not match["suffix"] and not target.exists():
            entry.rename(target)  # killed between the two renames of the fallback swap: put the old one back
            continue
        with contextlib.suppress(FileNotFoundError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        removed.append(entry)
    return removed


def write_failure(path: Path, exc: OSError, rerun: str) -> OutputError:
    """An OSError while writing ``path`` as an error that says what happened and how to fix it."""
    problem, fix = problem_and_fix(exc, rerun)
    return OutputError(f"{path}: {problem}; the previous output is unchanged. Fix: {fix}")


def problem_and_fix(exc: OSError, rerun: str) -> tuple[str, str]:
    """What an OSError means for the user and what to do about it."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full", f"free space on that disk, then rerun {rerun}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "no permission to write there", f"choose a folder you can write to, or fix its permissions, " \
                                               f"then rerun {rerun}"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "the folder does not exist", "create the folder first or give an existing one"
    return f"writing failed ({exc.strerror or exc})", f"rerun {rerun}"


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_file(path: Path, write: Callable[[Path], object], *, rerun: str) -> Path:
    """Write one file whole or not at all: ``write`` fills a temporary beside ``path``, which then replaces it.

    Any OSError (full disk, no permission, missing folder) becomes an :class:`OutputError` with the fix; the
    previous file stays as it was.
    """
    if not path.parent.is_dir():
        raise OutputError(f"{path}: the folder {path.parent} does not exist. Fix: create it first or give an "
                          "existing folder")
    temporary = temporary_name(path, "tmp")
    try:
        remove_stale_temporaries(path)
        write(temporary)
        _fsync(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise write_failure(path, exc, rerun) from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return path


def write_text(path: Path, text: str, *, rerun: str) -> Path:
    return write_file(path, lambda p: p.write_text(text, encoding="utf-8"), rerun=rerun)


def write_bytes(path: Path, data: bytes, *, rerun: str) -> Path:
    return write_file(path, lambda p: p.write_bytes(data), rerun=rerun)


# ---------------------------------------------------------------------------------------------------------
# Folders with a manifest
# ---------------------------------------------------------------------------------------------------------

def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Producer(BaseModel):
    """What made an output: the command, its arguments, the coupwatch version and the process."""

    command: str
    argv: list[str]
    coupwatch_version: str
    pid: int


class ManifestEntry(BaseModel):
    """One file of a saved folder: its size and sha256, when and by what it was made, and for a typed document
    its schema version (absent for other files, and for documents written before versions were recorded)."""

    size: int
    sha256: str
    created: str
    producer: Producer
    schema_version: int | None = None


class Manifest(BaseModel):
    """``manifest.json``: the folder's layout version, its kind, when and by what it was made, and its files."""

    schema_version: int
    kind: str
    created: str
    producer: Producer
    files: dict[str, ManifestEntry]

    def json_text(self) -> str:
        return json.dumps(self.model_dump(exclude_none=True), indent=1)


def producer(command: str) -> Producer:
    """What made an output, now: ``command`` and this process."""
    from coupwatch import __version__

    return Producer(command=command, argv=[os.path.basename(sys.argv[0]), *sys.argv[1:]] if sys.argv else [],
                    coupwatch_version=__version__, pid=os.getpid())


def _files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is, in one step where the system allows; the old folder is removed."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous output
        return
    previous = temporary_name(target, "previous")
    os.rename(target, previous)
    os.rename(staging, target)
    shutil.rmtree(previous, ignore_errors=True)


@dataclass(frozen=True)
class OutputKind:
    """One kind of saved folder: its name in messages, the command that writes it, and the files it owns."""

    name: str
    rerun: str
    owns: Callable[[str], bool]
    # The typed document a file name holds (None for other files): its version goes into the manifest.
    document: Callable[[str], type[SavedDocument] | None] = lambda _: None

    def foreign(self, folder: Path) -> list[str]:
        """Entries of ``folder`` this kind does not own (a folder given by mistake, e.g. the current one)."""
        if not folder.is_dir():
            return []
        return sorted(e.name for e in folder.iterdir()
                      if e.name != MANIFEST and not self.owns(e.name) and not _TEMPORARY.match(e.name))


def check_target(target: Path, kind: OutputKind) -> None:
    """Refuse a target that is a file or holds files this kind does not own (called before a long run, too)."""
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: is a file, not a folder. Fix: give a folder for the {kind.name} outputs")
    foreign = kind.foreign(target)
    if foreign:
        raise OutputError(
            f"{target}: holds files that are not {kind.name} outputs ({', '.join(foreign[:5])}"
            f"{' ...' if len(foreign) > 5 else ''}); writing would replace them. Fix: give a new or empty folder")


@contextlib.contextmanager
def replace_folder(target: Path, kind: OutputKind, *, keep: Callable[[str], bool] = lambda _: False
                   ) -> Iterator[Path]:
    """A staging folder for a new ``target``; on a clean exit it gets its manifest and replaces ``target``.

    ``keep`` names files of the current folder to carry over (hard links, with their manifest entries), e.g.
    the other years' forecasts. Leftovers of dead runs are removed first; a folder holding files this kind does
    not own is refused before anything is written.
    """
    check_target(target, kind)
    staging = temporary_name(target, "staging")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise write_failure(target, exc, kind.rerun) from exc
    try:
        entries = _carry_over(target, staging, keep)
        yield staging
        for name in _files_under(staging):
            if name not in entries:
                file = staging / name
                document = kind.document(name)
                entries[name] = ManifestEntry(size=file.stat().st_size, sha256=_sha256_file(file), created=_now(),
                                              producer=producer(kind.rerun),
                                              schema_version=None if document is None else document.SCHEMA_VERSION)
        manifest = Manifest(schema_version=SCHEMA_VERSION, kind=kind.name, created=_now(),
                            producer=producer(kind.rerun), files=dict(sorted(entries.items())))
        (staging / MANIFEST).write_text(manifest.json_text(), encoding="utf-8")
        for name in [*entries, MANIFEST]:
            _fsync(staging / name)
        _swap_in(staging, target)
    except OSError as exc:
        raise write_failure(target, exc, kind.rerun) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _carry_over(target: Path, staging: Path, keep: Callable[[str], bool]) -> dict[str, ManifestEntry]:
    """Hard-link the kept files of ``target`` into ``staging``; their manifest entries (checked again)."""
    if not target.is_dir():
        return {}
    try:
        old = SavedFolder.open(target, OutputKind("", "", lambda _: True)).files
    except OutputError:
        old = {}
    entries: dict[str, ManifestEntry] = {}
    for name in _files_under(target):
        if not keep(name):
            continue
        source = target / name
        entry = old.get(name)
        if entry is None or entry.size != source.stat().st_size or entry.sha256 != _sha256_file(source):
            continue  # not whole (or never recorded): dropped rather than passed on as good
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(source, staging / name)
        entries[name] = entry
    return entries


_verified: dict[FileVersion, str] = {}
_verified_lock = threading.Lock()


@dataclass(frozen=True)
class SavedFolder:
    """A saved folder's manifest; :meth:`read` returns a file's bytes only when they match it."""

    folder: Path
    kind: OutputKind
    manifest: Manifest

    @property
    def files(self) -> dict[str, ManifestEntry]:
        return self.manifest.files

    @classmethod
    def open(cls, folder: Path, kind: OutputKind) -> SavedFolder:
        path = folder / MANIFEST
        rerun = f"Fix: rerun {kind.rerun}" if kind.rerun else ""
        if not folder.is_dir():
            raise OutputMissingError(f"{folder}: no saved {kind.name}. {rerun}")
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if not any(folder.iterdir()):
                raise OutputMissingError(f"{folder}: no saved {kind.name}. {rerun}") from None
            raise OutputCorruptError(
                f"{folder}: no {MANIFEST}, so the files cannot be checked (written by an older coupwatch or by a "
                f"run that was stopped). {rerun}") from None
        except OSError as exc:
            raise OutputCorruptError(f"{path}: cannot be read ({exc.strerror or exc}). Fix: check its "
                                     f"permissions, or {rerun.removeprefix('Fix: ')}") from exc
        try:
            raw = json.loads(text)
            version = raw["schema_version"]
        except (ValueError, KeyError, TypeError) as exc:
            raise OutputCorruptError(f"{path}: not a coupwatch manifest ({exc}). {rerun}") from exc
        if version != SCHEMA_VERSION:
            raise OutputCorruptError(f"{path}: schema version {version}, this coupwatch reads {SCHEMA_VERSION}. "
                                     f"{rerun}")
        try:
            manifest = Manifest.model_validate(raw)
        except ValidationError as exc:
            raise OutputCorruptError(f"{path}: not a coupwatch manifest ({validation_problem(exc)}). {rerun}"
                                     ) from exc
        return cls(folder, kind, manifest)

    def has(self, name: str) -> bool:
        return name in self.files

    def read(self, name: str) -> bytes:
        """The bytes of ``name``, checked against the manifest's size and sha256."""
        path = self.folder / name
        rerun = f"Fix: rerun {self.kind.rerun}"
        entry = self.files.get(name)
        if entry is None:
            raise OutputCorruptError(f"{path}: not listed in {self.folder / MANIFEST}. {rerun}")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise OutputCorruptError(f"{path}: missing, though {MANIFEST} lists it. {rerun}") from None
        except OSError as exc:
            raise OutputCorruptError(f"{path}: cannot be read ({exc.strerror or exc}). Fix: check its "
                                     f"permissions, or rerun {self.kind.rerun}") from exc
        if len(data) != entry.size:
            raise OutputCorruptError(f"{path}: {len(data):,} bytes, {MANIFEST} says {entry.size:,} (cut "
                                     f"short or from another run). {rerun}")
        if sha256_bytes(data) != entry.sha256:
            raise OutputCorruptError(f"{path}: contents differ from {MANIFEST} (damaged or from another run). "
                                     f"{rerun}")
        return data

    def document(self, name: str, model: type[Document]) -> Document:
        """A typed document, its bytes checked as :meth:`read` does, its schema version and its fields too."""
        path = self.folder / name
        data = self.read(name)
        version = self.files[name].schema_version or 1
        if version > model.SCHEMA_VERSION:
            raise OutputCorruptError(
                f"{path}: schema version {version} (written by a newer coupwatch); this one reads version "
                f"{model.SCHEMA_VERSION}. Fix: upgrade coupwatch, or rerun {self.kind.rerun} to write it again")
        if version < model.SCHEMA_VERSION:
            raise OutputCorruptError(
                f"{path}: schema version {version} (written by an older coupwatch); this one reads version "
                f"{model.SCHEMA_VERSION}. Fix: rerun {self.kind.rerun}")
        try:
            return model.model_validate_json(data)
        except ValidationError as exc:
            raise OutputCorruptError(f"{path}: not a {model.__name__} document ({validation_problem(exc)}). "
                                     f"Fix: rerun {self.kind.rerun}") from exc

    def check(self, name: str) -> None:
        """Like :meth:`read` without keeping the bytes; a file checked before is not hashed again."""
        path = self.folder / name
        key = file_version(path)
        if key is None:
            self.read(name)  # raises the reader's message
            return
        entry = self.files.get(name)
        if entry is None:
            self.read(name)  # raises the reader's message
            return
        with _verified_lock:
            if _verified.get(key) == entry.sha256:
                return
        self.read(name)
        with _verified_lock:
            _verified[key] = entry.sha256

    def check_all(self) -> None:
        for name in self.files:
            self.check(name)


def validation_problem(exc: ValidationError) -> str:
    """The first problem pydantic found, as "field a.b.0.c: message (value ...)"."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the document"
    value = first.get("input")
    shown = "" if isinstance(value, dict | list) else f" (value {value!r})"
    more = exc.error_count() - 1
    return f"field {where}: {first['msg']}{shown}" + (f"; {more} more problem(s)" if more else "")


def read_checked(folder: Path, kind: OutputKind, name: str) -> bytes:
    """One file's bytes from a saved folder, checked against its manifest (see :meth:`SavedFolder.read`)."""
    return SavedFolder.open(folder, kind).read(name)
