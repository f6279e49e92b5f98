"""Orchestration: runs a backtest, a forecast or gathers evidence, from the store and the core."""
