"""Rolling-origin evaluation: the splitter, the metric registry, calibration and bootstrap intervals."""

from coupwatch.evaluate.metrics import METRICS, bootstrap_interval, calibration_table, score
from coupwatch.evaluate.rolling import Origin, RollingOrigin

__all__ = ["METRICS", "Origin", "RollingOrigin", "bootstrap_interval", "calibration_table", "score"]
