from __future__ import annotations

from pathlib import Path

from coupwatch.sources import all_sources

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quick_start_and_source_table() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
    for spec in all_sources():
        assert f"| `{spec.name}` |" in text, f"README's source table lacks {spec.name}"
        assert spec.version in text
