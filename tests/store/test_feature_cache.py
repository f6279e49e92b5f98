"""Built features saved next to the warehouse, per the warehouse file's version."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from coupwatch.store.feature_cache import cached_features


def test_features_are_saved_per_warehouse_version(built_home: Path, features: pd.DataFrame, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    warehouse.write_bytes((built_home / "warehouse.duckdb").read_bytes())
    builds: list[int] = []

    def build() -> pd.DataFrame:
        builds.append(1)
        return features

    first = cached_features(warehouse, build)
    second = cached_features(warehouse, build)
    assert len(builds) == 1, "the second call reads the saved features"
    # Every value and type as built: the refits' keys hash the features, so a saved copy must hash the same.
    pd.testing.assert_frame_equal(second, features, check_exact=True)
    assert int(pd.util.hash_pandas_object(second, index=False).sum()) == int(
        pd.util.hash_pandas_object(first, index=False).sum())
    saved = list((tmp_path / "cache" / "features").glob("*.pkl"))
    assert len(saved) == 1

    # A rebuilt warehouse (a new file version) is never answered from the old entry, which is removed.
    stat = warehouse.stat()
    os.utime(warehouse, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    cached_features(warehouse, build)
    assert len(builds) == 2
    assert [p.name for p in (tmp_path / "cache" / "features").glob("*.pkl")] != [saved[0].name]
    assert len(list((tmp_path / "cache" / "features").glob("*.pkl"))) == 1


def test_a_missing_warehouse_is_left_to_the_loader(tmp_path: Path) -> None:
    frame = pd.DataFrame({"year": [2020]})
    assert cached_features(tmp_path / "warehouse.duckdb", lambda: frame) is frame
    assert not (tmp_path / "cache").exists()
