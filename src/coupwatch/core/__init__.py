"""Frames in, frames out: panel adders, features, models, evaluation, assistance, scenarios. No I/O."""
