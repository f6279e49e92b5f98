"""Rolling-origin splits coded once, as a small frozen value object (ViEWS' design, without its copies)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Origin:
    """One forecast origin: train on years before ``test_year``, predict ``test_year``.

    ``tuning_year`` is the origin whose inner cross-validation chose the hyperparameters used here; it is
    never after ``test_year``, so the choice saw only training years.
    """

    test_year: int
    train_start: int
    tuning_year: int

    @property
    def train_end(self) -> int:
        return self.test_year - 1


@dataclass(frozen=True)
class RollingOrigin:
    """For each test year t from ``first_test_year`` to ``last_test_year``: train on years < t, predict t.

    Hyperparameters are re-chosen every ``retune_every`` origins by inner time-series cross-validation on the
    training years only: ``inner_folds`` folds, each training on years before a validation block of
    ``inner_block_years`` years and predicting that block, the blocks ending at the year before the origin.
    The first training year is a hyperparameter too, chosen from ``train_start_grid`` the same way (older
    coups may teach less about recent ones); ``train_start`` is the earliest year any model may see.
    """

    first_test_year: int = 2000
    last_test_year: int = 2025
    train_start: int = 1960
    train_start_grid: tuple[int, ...] = (1960, 1975)
    retune_every: int = 5
    inner_folds: int = 3
    inner_block_years: int = 2

    def __post_init__(self) -> None:
        if self.last_test_year < self.first_test_year:
            raise ValueError(
                f"last_test_year {self.last_test_year} is before first_test_year {self.first_test_year}"
            )
        latest_start = max((self.train_start, *self.train_start_grid))
        if latest_start + self.inner_folds * self.inner_block_years + 5 > self.first_test_year:
            raise ValueError(
                f"a training start of {latest_start} leaves too few training years before {self.first_test_year} "
                f"for {self.inner_folds} inner folds of {self.inner_block_years} years"
            )
        if any(start < self.train_start for start in self.train_start_grid):
            raise ValueError(f"train_start_grid {self.train_start_grid} starts before train_start {self.train_start}")
        if self.retune_every < 1 or self.inner_folds < 1 or self.inner_block_years < 1:
            raise ValueError("retune_every, inner_folds and inner_block_years must be at least 1")

    def origins(self) -> Iterator[Origin]:
        for offset, year in enumerate(range(self.first_test_year, self.last_test_year + 1)):
            tuning = self.first_test_year + (offset // self.retune_every) * self.retune_every
            yield Origin(test_year=year, train_start=self.train_start, tuning_year=tuning)

    def tuning_years(self) -> list[int]:
        return sorted({o.tuning_year for o in self.origins()})

    def inner_blocks(self, origin_year: int) -> list[tuple[int, int]]:
        """Validation blocks (first, last year) for the inner CV at ``origin_year``, oldest first."""
        blocks = []
        for fold in range(self.inner_folds, 0, -1):
            last = origin_year - 1 - (fold - 1) * self.inner_block_years
            blocks.append((last - self.inner_block_years + 1, last))
        return blocks

    @staticmethod
    def train_mask(years: pd.Series | np.ndarray, start: int, before: int) -> np.ndarray:
        values = np.asarray(years)
        return (values >= start) & (values < before)
