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


def test_make_test_installs_what_ci_installs() -> None:
    """The README's test command alone must work on a fresh machine: CI may only call it, never install more."""
    root = README.parent
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == "make test"
    assert not any(word in ci for word in ("apt-get", "pip install", "npm install")), ".ci/run installs on its own"
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    test_rule = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "system-deps" in test_rule.split(":", 1)[1]
    script = (root / "scripts" / "system-deps").read_text(encoding="utf-8")
    for package in ("chromium", "chromium-driver", "poppler-utils", "fonts-liberation"):
        assert package in script, f"scripts/system-deps does not install {package}"
