"""Rolling-origin evaluation: the splitter, the metric registry, calibration and bootstrap intervals, the backtest,
its tuning choices and the ablation (import the modules; the package imports nothing, so reading saved results
does not load scikit-learn)."""
