"""Files of named scenarios: the packaged ``coupwatch/data/scenarios.toml`` and a user's ``--scenarios`` file.

Reading stays here; turning the TOML text into scenarios is the core's
(:func:`coupwatch.core.scenarios.options.scenarios_from_toml`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from coupwatch.core.scenarios.options import Scenario, scenarios_from_toml
from coupwatch.errors import CoupwatchError

PACKAGED_NAME = "scenarios.toml"


def packaged_scenarios_text() -> str:
    """The TOML text of the packaged named scenarios (the ones the briefs run)."""
    return resources.files("coupwatch.data").joinpath(PACKAGED_NAME).read_text(encoding="utf-8")


def packaged_scenarios() -> list[Scenario]:
    """The packaged named scenarios, in file order."""
    return scenarios_from_toml(packaged_scenarios_text(), PACKAGED_NAME)


def read_scenarios(path: Path, option: str = "--scenarios") -> list[Scenario]:
    """The named scenarios of a user's TOML file; a missing file is an error naming ``option`` and the fix."""
    if not path.is_file():
        raise CoupwatchError(f"{option} {path}: no such file. Fix: give a TOML file of named scenarios")
    return scenarios_from_toml(path.read_text(encoding="utf-8"), str(path))
