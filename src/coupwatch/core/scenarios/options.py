"""Scenario definitions and their parsing: ``--set NAME=CHANGE``, ``--shift-assistance FROM->TO:PERCENT`` and the
TOML text of named scenarios (reading a file is the store's job: :mod:`coupwatch.store.scenario_files`)."""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coupwatch.core.scenarios.levers import ASSISTANCE_CATEGORIES, ScenarioError, check_value, resolve_lever

Mode = Literal["relative", "add", "value"]


@dataclass(frozen=True)
class SetChange:
    """Change one input: by a share of its value (``relative``, -0.3 = -30%), by an amount, or to a value."""

    lever: str
    mode: Mode
    amount: float
    text: str


@dataclass(frozen=True)
class AssistanceShift:
    """Move ``share`` (0-1) of the ``source`` category's obligations to ``target``; the total stays the same."""

    source: str
    target: str
    share: float
    text: str


Change = SetChange | AssistanceShift


@dataclass(frozen=True)
class Scenario:
    name: str
    changes: tuple[Change, ...]
    description: str = ""

    def text(self) -> str:
        return "; ".join(change.text for change in self.changes) or "no change"


_NUMBER = r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?"


def _number(text: str, where: str, example: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError(f"{where}: expected a number, got {text!r}. Example: {example}") from None
    if not math.isfinite(value):
        raise ScenarioError(f"{where}: expected a finite number, got {text!r}. Example: {example}")
    return value


def parse_set(text: str, where: str = "--set") -> SetChange:
    """``name=-30%`` (relative), ``name=+0.1`` / ``name=-0.1`` (add), ``name=0.5`` (set to a value)."""
    example = "--set milex_gdp=-30% or --set vdem_jucon=+0.1 or --set v2x_jucon=0.6"
    if "=" not in text:
        raise ScenarioError(f"{where} {text!r}: expected NAME=CHANGE. Examples: {example}")
    name, raw = (part.strip() for part in text.split("=", 1))
    lever = resolve_lever(name, f"{where} {text!r}")
    value = raw.replace(" ", "").replace("\u2212", "-")
    if value.endswith("%"):
        if not value.startswith(("+", "-")):
            raise ScenarioError(
                f"{where} {text!r}: a percentage must be signed, +30% or -30% (a relative change); to set a value, "
                f"give the number alone, e.g. {lever.name}=2.5"
            )
        share = _number(value[:-1], f"{where} {text!r}", example) / 100
        if lever.low is not None and lever.low >= 0 and share < -1:
            raise ScenarioError(
                f"{where} {text!r}: a cut of more than 100% makes {lever.name} negative; allowed range "
                f"{lever.allowed_text()} ({lever.unit})", allowed=["-100% or more"]
            )
        return SetChange(lever.name, "relative", share, f"{lever.name}={value}")
    amount = _number(value, f"{where} {text!r}", example)
    if value.startswith(("+", "-")):
        return SetChange(lever.name, "add", amount, f"{lever.name}={value}")
    check_value(lever, lever.name, amount, f"{where} {text!r}")
    return SetChange(lever.name, "value", amount, f"{lever.name}={value}")


def parse_shift(text: str, where: str = "--shift-assistance") -> AssistanceShift:
    """``capacity->governance:25%``: move 25% of capacity obligations to governance."""
    categories = ", ".join(ASSISTANCE_CATEGORIES)
    match = re.fullmatch(rf"\s*(\w+)\s*->\s*(\w+)\s*:\s*({_NUMBER})\s*%\s*", text)
    if not match:
        raise ScenarioError(
            f"{where}: expected FROM->TO:PERCENT such as capacity->governance:25%, got {text!r} "
            f"(categories: {categories})"
        )
    source, target, share = match.group(1).lower(), match.group(2).lower(), float(match.group(3))
    for category in (source, target):
        if category not in ASSISTANCE_CATEGORIES:
            raise ScenarioError(f"{where} {text!r}: unknown assistance category {category!r}; valid: {categories}",
                                allowed=list(ASSISTANCE_CATEGORIES))
    if source == target:
        raise ScenarioError(f"{where} {text!r}: FROM and TO are the same category")
    if not 0 <= share <= 100:
        raise ScenarioError(f"{where} {text!r}: the share moved must be 0% to 100%, got {share:g}%",
                            allowed=["0-100"])
    return AssistanceShift(source, target, share / 100, f"{source}->{target}:{share:g}%")


def scenario_from_options(sets: Sequence[str] = (), shifts: Sequence[str] = (), name: str | None = None
                          ) -> Scenario:
    """One scenario from command-line style changes (applied in the order given)."""
    changes: list[Change] = [parse_set(text) for text in sets]
    changes += [parse_shift(text) for text in shifts]
    scenario = Scenario(name or "", tuple(changes))
    return scenario if name else Scenario(scenario.text(), scenario.changes)


def scenarios_from_toml(text: str, file: str = "scenarios.toml") -> list[Scenario]:
    """Named scenarios from TOML: one table per scenario with ``set``, ``shift_assistance``, ``description``.

    ``set`` is a list of ``"NAME=CHANGE"`` strings or a table ``{NAME = "CHANGE" or number}`` (a bare number
    sets the value); ``shift_assistance`` is a string or a list of ``"FROM->TO:PERCENT"``.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{file}: not valid TOML ({exc}). Fix the file's syntax") from None
    if not document:
        raise ScenarioError(f"{file}: no scenarios. Add a table per scenario, e.g. [rebalance] with "
                            "shift_assistance = [\"capacity->governance:25%\"]")
    scenarios = []
    for name, body in document.items():
        where = f"{file} [{name}]"
        if not isinstance(body, dict):
            raise ScenarioError(f"{where}: expected a table with set/shift_assistance/description, got {body!r}")
        unknown = set(body) - {"set", "shift_assistance", "description"}
        if unknown:
            raise ScenarioError(f"{where}: unknown keys {sorted(unknown)}; allowed: set, shift_assistance, "
                                "description")
        changes: list[Change] = []
        sets = body.get("set", [])
        if isinstance(sets, dict):
            sets = [f"{key}={value}" if isinstance(value, str) else f"{key}={float(value)!r}"
                    for key, value in sets.items()]
        if isinstance(sets, str):
            sets = [sets]
        changes += [parse_set(str(item), f"{where} set") for item in sets]
        shifts = body.get("shift_assistance", [])
        shifts = [shifts] if isinstance(shifts, str) else shifts
        changes += [parse_shift(str(item), f"{where} shift_assistance") for item in shifts]
        if not changes:
            raise ScenarioError(f"{where}: no changes; give set = [...] or shift_assistance = [...]")
        scenarios.append(Scenario(str(name), tuple(changes), str(body.get("description", ""))))
    return scenarios

