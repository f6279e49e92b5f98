"""Project conventions the test suite keeps itself: floats are compared with a tolerance, never with ``==``."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# A float literal or a computed float (np.log(3), math.sqrt(2), round(x, 2)) on the right of == or !=.
EXACT_FLOAT = re.compile(r"[!=]=\s*(-?\d+\.\d+\b|(np|math)\.\w+\()|\bround\([^)]*\)\s*[!=]=")


def test_no_exact_float_comparisons_in_tests() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        if path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if EXACT_FLOAT.search(code) and "approx" not in code:
                offenders.append(f"{path.relative_to(TESTS.parent)}:{number}: {line.strip()}")
    assert not offenders, "compare floats with pytest.approx:\n" + "\n".join(offenders)
