"""Rolling-origin evaluation: the splitter, the metric registry, calibration and bootstrap intervals."""

from coupwatch.evaluate.metrics import METRICS, bootstrap_intervals, calibration_table, score, score_with_intervals
from coupwatch.evaluate.rolling import Origin, RollingOrigin

__all__ = ["METRICS", "Origin", "RollingOrigin", "bootstrap_intervals", "calibration_table", "score",
           "score_with_intervals"]
