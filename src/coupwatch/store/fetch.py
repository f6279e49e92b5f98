"""Get a publisher's file: from the local mirror, from an HTTP mirror, or from the publisher.

Every file is checked against the sha256 its source pins. Downloads go through pooch, which writes to a
temporary file and moves it into the cache only after the hash matched, so a failed or tampered download
leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import pooch

from coupwatch import config
from coupwatch.errors import CoupwatchError, HashMismatchError
from coupwatch.sources.base import RemoteFile

_CHUNK = 1 << 20
# Progress is shown by the build; pooch's own line per download would drown it.
pooch.get_logger().setLevel(logging.WARNING)


@dataclass(frozen=True)
class FetchedFile:
    """A local copy of a publisher's file and where it came from."""

    path: Path
    url: str
    sha256: str
    origin: str  # "mirror", "cache" or "download"
    pinned: bool  # False when the hash differs from the pin and new versions were allowed


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _accept_or_raise(name: str, remote: RemoteFile, actual: str) -> bool:
    if actual == remote.sha256:
        return True
    if config.allow_new_versions():
        logging.getLogger(__name__).warning(
            "%s: sha256 %s differs from the pinned %s; accepted because %s is set",
            name, actual, remote.sha256, config.ALLOW_NEW_VERSIONS_ENV,
        )
        return False
    raise HashMismatchError(
        name,
        remote.sha256,
        actual,
        fix=(
            "the file is damaged or is another release than the one coupwatch pins: restore the publisher's "
            f"file, or set {config.ALLOW_NEW_VERSIONS_ENV}=1 to accept a newer release (the warehouse "
            "provenance then records the new hash)"
        ),
    )


def fetch(remote: RemoteFile, folder: str, *, mirror: str | None = None) -> FetchedFile:
    """Return a verified local copy of ``remote``.

    ``mirror`` (default: ``COUPWATCH_MIRROR``) is a folder laid out like the publishers' mirror
    (``<mirror>/<folder>/<filename>``) or an http(s) base URL with the same layout. Without a mirror the
    file comes from the publisher's official URL into the cache under ``COUPWATCH_HOME``.
    """
    location = mirror if mirror is not None else config.mirror()
    if location and not _is_url(location):
        path = Path(location).expanduser() / folder / remote.filename
        if not path.is_file():
            raise CoupwatchError(
                f"{path}: not found in the mirror {location}. Fix: copy the publisher's file there "
                f"(from {remote.url}) or unset {config.MIRROR_ENV} to download it"
            )
        try:
            actual = sha256_of(path)
        except OSError as exc:
            raise CoupwatchError(
                f"{path}: cannot be read ({exc.strerror or exc}). Fix: give the user running coupwatch read access "
                f"(chmod a+r {path}) or copy the publisher's file there again"
            ) from exc
        pinned = _accept_or_raise(f"{folder}/{remote.filename}", remote, actual)
        return FetchedFile(path, str(path), actual, "mirror", pinned)

    url = f"{location.rstrip('/')}/{folder}/{remote.filename}" if location else remote.url
    target_dir = config.cache_dir() / folder
    target = target_dir / remote.filename
    if target.is_file():
        actual = sha256_of(target)
        if actual == remote.sha256:
            return FetchedFile(target, url, actual, "cache", True)
    known_hash = None if config.allow_new_versions() else f"sha256:{remote.sha256}"
    try:
        path = Path(
            pooch.retrieve(
                url, known_hash=known_hash, fname=remote.filename, path=target_dir, progressbar=False
            )
        )
    except ValueError as exc:
        if "hash" not in str(exc).lower():
            raise
        actual = _hash_from_pooch_message(str(exc))
        raise HashMismatchError(
            url,
            remote.sha256,
            actual,
            fix=(
                "the download was damaged or the publisher released a new version; nothing was kept. "
                f"Retry, or set {config.ALLOW_NEW_VERSIONS_ENV}=1 to accept the new release"
            ),
        ) from None
    except Exception as exc:
        raise CoupwatchError(
            f"{url}: download failed ({type(exc).__name__}: {exc}). Fix: check the network, or set "
            f"{config.MIRROR_ENV} to a folder holding the publishers' files"
        ) from None
    actual = sha256_of(path)
    return FetchedFile(path, url, actual, "download", actual == remote.sha256)


def _hash_from_pooch_message(message: str) -> str:
    # pooch says: "SHA256 hash of downloaded file (...) does not match the known hash: expected ... ".
    for token in message.replace("(", " ").replace(")", " ").split():
        if len(token) == 64 and all(c in "0123456789abcdef" for c in token.lower()):
            return token
    return "unknown"
