"""The only layer that touches DuckDB or saved files: build, read, saved outputs."""
