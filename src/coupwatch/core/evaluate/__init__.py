"""Rolling-origin evaluation: the splitter, the metric registry, calibration and bootstrap intervals."""

from coupwatch.core.evaluate.metrics import METRICS, bootstrap_intervals, calibration_table, score, score_with_intervals
from coupwatch.core.evaluate.rolling import Origin, RollingOrigin

__all__ = ["METRICS", "Origin", "RollingOrigin", "bootstrap_intervals", "calibration_table", "score",
           "score_with_intervals"]
