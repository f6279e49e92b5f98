"""Metrics for rare-event probability forecasts, registered once and used everywhere.

Every metric takes outcomes ``y`` (0/1) and probabilities ``p`` and returns a float, or NaN with a reason
recorded when it cannot be computed (no event, one class): empty or degenerate inputs never crash a report.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score


@dataclass(frozen=True)
class Metric:
    name: str
    description: str
    function: Callable[[np.ndarray, np.ndarray], float]
    higher_is_better: bool


def _two_classes(y: np.ndarray) -> bool:
    return len(y) > 0 and 0 < y.sum() < len(y)


def auc_roc(y: np.ndarray, p: np.ndarray) -> float:
    return float(roc_auc_score(y, p)) if _two_classes(y) else float("nan")


def auc_pr(y: np.ndarray, p: np.ndarray) -> float:
    return float(average_precision_score(y, p)) if _two_classes(y) else float("nan")


def brier(y: np.ndarray, p: np.ndarray) -> float:
    return float(brier_score_loss(y, p)) if len(y) else float("nan")


def logloss(y: np.ndarray, p: np.ndarray) -> float:
    if not len(y):
        return float("nan")
    return float(log_loss(y, np.clip(p, 1e-6, 1 - 1e-6), labels=[0, 1]))


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("auc_roc", "Area under the ROC curve", auc_roc, True),
        Metric("auc_pr", "Area under the precision-recall curve (average precision)", auc_pr, True),
        Metric("brier", "Brier score (mean squared error of the probabilities)", brier, False),
        Metric("log_loss", "Log loss", logloss, False),
    )
}


def brier_skill(y: np.ndarray, p: np.ndarray, reference: np.ndarray) -> float:
    """1 - Brier(p) / Brier(reference): above 0 beats the reference forecast."""
    ref = brier(y, reference)
    return float(1 - brier(y, p) / ref) if ref and not np.isnan(ref) else float("nan")


def recall_at_k(frame: pd.DataFrame, k: int, outcome: str = "observed", score_column: str = "p") -> float:
    """Share of events inside each year's top ``k`` countries by predicted probability."""
    events = frame[outcome].sum()
    if not events:
        return float("nan")
    ranked = frame.assign(_rank=frame.groupby("year")[score_column].rank(ascending=False, method="first"))
    return float(ranked.loc[ranked["_rank"] <= k, outcome].sum() / events)


def score(frame: pd.DataFrame, reference: str | None = "p_reference", ks: tuple[int, ...] = (10, 20, 30)
          ) -> dict[str, float]:
    """All metrics for one model's predictions (columns year, observed, p and optionally the reference p)."""
    y = frame["observed"].to_numpy(dtype=float)
    p = frame["p"].to_numpy(dtype=float)
    out = {name: metric.function(y, p) for name, metric in METRICS.items()}
    if reference is not None and reference in frame:
        out["brier_skill"] = brier_skill(y, p, frame[reference].to_numpy(dtype=float))
    for k in ks:
        out[f"recall_top{k}"] = recall_at_k(frame, k)
    out["events"] = float(y.sum())
    out["rows"] = float(len(y))
    out["event_rate"] = float(y.mean()) if len(y) else float("nan")
    return out


def calibration_table(y: np.ndarray, p: np.ndarray, bins: tuple[float, ...] = (0, 0.01, 0.02, 0.05, 0.1, 0.2, 1.0)
                      ) -> pd.DataFrame:
    """Observed rate against mean predicted probability in fixed probability bins (rare events: fixed bins)."""
    frame = pd.DataFrame({"y": y, "p": p})
    frame["bin"] = pd.cut(frame["p"], bins=list(bins), include_lowest=True)
    table = frame.groupby("bin", observed=False).agg(rows=("y", "size"), events=("y", "sum"),
                                                     mean_predicted=("p", "mean"), observed_rate=("y", "mean"))
    table = table.reset_index()
    table["bin"] = table["bin"].astype(str)
    return table


# Weightings scored per pass: each row is independent, and a block of 64 rows of a few thousand country-years keeps
# the temporaries in cache (the whole 1,000 x 5,000 matrix at once is about ten times slower, same numbers).
_WEIGHT_ROWS_PER_PASS = 64


def weighted_auc_ap(y: np.ndarray, p: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """AUC-ROC and average precision for each row of ``weights`` (case weights, e.g. bootstrap counts).

    One sort serves every weighting: ties in ``p`` are grouped into one threshold, as scikit-learn does, so
    with unit weights the results equal ``roc_auc_score`` and ``average_precision_score``.
    """
    order = np.argsort(-p, kind="mergesort")
    p_sorted, y_sorted = p[order], y[order]
    starts = np.r_[0, np.flatnonzero(np.diff(p_sorted)) + 1]
    weights = np.atleast_2d(weights)
    parts = [_sorted_auc_ap(y_sorted, weights[first:first + _WEIGHT_ROWS_PER_PASS][:, order], starts)
             for first in range(0, len(weights), _WEIGHT_ROWS_PER_PASS)]
    return np.concatenate([auc for auc, _ in parts]), np.concatenate([ap for _, ap in parts])


def _sorted_auc_ap(y_sorted: np.ndarray, w_sorted: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`weighted_auc_ap` on rows already sorted by descending score, ``starts`` opening each tied group."""
    tp = np.add.reduceat(w_sorted * y_sorted, starts, axis=1).cumsum(axis=1)
    fp = np.add.reduceat(w_sorted * (1 - y_sorted), starts, axis=1).cumsum(axis=1)
    positives, negatives = tp[:, -1:], fp[:, -1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        tpr = np.hstack([np.zeros_like(positives), tp / positives])
        fpr = np.hstack([np.zeros_like(negatives), fp / negatives])
        auc = np.trapezoid(tpr, fpr, axis=1)
        precision = tp / (tp + fp)
        recall_steps = np.diff(np.hstack([np.zeros_like(positives), tp]), axis=1) / positives
        ap = np.nansum(recall_steps * precision, axis=1)
    degenerate = (positives[:, 0] == 0) | (negatives[:, 0] == 0)
    auc[degenerate] = np.nan
    ap[degenerate] = np.nan
    return auc, ap


@functools.lru_cache(maxsize=8)
def _resample_weights(rows: int, draws: int, seed: int) -> np.ndarray:
    """Bootstrap resamples of ``rows`` rows drawn with replacement, as multinomial case weights (draws x rows).

    Kept for reuse (read-only): every model scored on the same rows is resampled the same way, and drawing
    1,000 resamples of 5,000 rows takes half a second.
    """
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(rows, np.full(rows, 1 / rows), size=draws).astype(float)
    weights.flags.writeable = False
    return weights


def bootstrap_intervals(
    frame: pd.DataFrame,
    *,
    draws: int = 1000,
    level: float = 0.95,
    seed: int = 2024,
) -> dict[str, tuple[float, float]]:
    """Percentile intervals of AUC-ROC and AUC-PR over the same bootstrap resamples of country-years.

    All draws are scored in one pass. Resamples without an event give NaN and are skipped; an interval is NaN
    when fewer than half could be scored.
    """
    nan2 = (float("nan"), float("nan"))
    y = frame["observed"].to_numpy(dtype=float)
    p = frame["p"].to_numpy(dtype=float)
    if not _two_classes(y):
        return {"auc_roc": nan2, "auc_pr": nan2}
    auc, ap = weighted_auc_ap(y, p, _resample_weights(len(y), draws, seed))
    tail = (1 - level) / 2 * 100
    out: dict[str, tuple[float, float]] = {}
    for metric, values in (("auc_roc", auc), ("auc_pr", ap)):
        values = values[~np.isnan(values)]
        if len(values) < draws / 2:
            out[metric] = nan2
            continue
        low, high = np.percentile(values, [tail, 100 - tail])
        out[metric] = (float(low), float(high))
    return out


def score_with_intervals(frame: pd.DataFrame, *, draws: int = 1000) -> dict[str, float]:
    """:func:`score` plus the 95% bootstrap interval of AUC-ROC and AUC-PR (``auc_roc_low`` ... ``auc_pr_high``)."""
    metrics = score(frame)
    for metric, (low, high) in bootstrap_intervals(frame, draws=draws).items():
        metrics[f"{metric}_low"], metrics[f"{metric}_high"] = low, high
    return metrics


def paired_bootstrap_change(
    y: np.ndarray,
    p_base: np.ndarray,
    p_other: np.ndarray,
    *,
    draws: int = 1000,
    level: float = 0.95,
    seed: int = 2024,
) -> dict[str, tuple[float, float, float]]:
    """Change in AUC-ROC and AUC-PR from ``p_base`` to ``p_other`` on the same rows, with a percentile interval.

    Both forecasts are scored on the same resamples of rows, so the interval is that of the difference (much
    narrower than comparing two separate intervals). Returns metric -> (change, low, high).
    """
    y = np.asarray(y, dtype=float)
    p_base = np.asarray(p_base, dtype=float)
    p_other = np.asarray(p_other, dtype=float)
    if not (len(y) == len(p_base) == len(p_other)):
        raise ValueError(f"outcomes and both forecasts need the same rows, got {len(y)}, {len(p_base)}, "
                         f"{len(p_other)}")
    nan3 = (float("nan"), float("nan"), float("nan"))
    if not _two_classes(y):
        return {"auc_roc": nan3, "auc_pr": nan3}
    weights = _resample_weights(len(y), draws, seed)
    unit = np.ones((1, len(y)))
    base_auc, base_ap = weighted_auc_ap(y, p_base, np.vstack([unit, weights]))
    other_auc, other_ap = weighted_auc_ap(y, p_other, np.vstack([unit, weights]))
    tail = (1 - level) / 2 * 100
    out: dict[str, tuple[float, float, float]] = {}
    for metric, base, other in (("auc_roc", base_auc, other_auc), ("auc_pr", base_ap, other_ap)):
        change = other - base
        resampled = change[1:][~np.isnan(change[1:])]
        if len(resampled) < draws / 2:
            out[metric] = (float(change[0]), float("nan"), float("nan"))
            continue
        low, high = np.percentile(resampled, [tail, 100 - tail])
        out[metric] = (float(change[0]), float(low), float(high))
    return out
