"""What a brief is made of (sections, charts, tables, references) and who it is about; the state and the evidence
it reads come from :mod:`coupwatch.app.briefs`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import altair as alt

from coupwatch.app.briefs import State


@dataclass
class ChartItem:
    """A chart, the marks it must draw, the warehouse tables it shows and its caption (set at numbering)."""

    name: str
    chart: alt.TopLevelMixin
    marks: tuple[str, ...]
    tables: tuple[str, ...]
    note: str = ""
    caption: str = ""


@dataclass
class TableItem:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]


@dataclass
class Section:
    key: str
    title: str
    reading: str
    charts: list[ChartItem] = field(default_factory=list)
    tables: list[TableItem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    tables_used: list[str] = field(default_factory=list)


@dataclass
class Reference:
    number: int
    source: str
    title: str
    publisher: str
    version: str
    licence: str
    citations: list[str]
    tables: list[dict[str, Any]]


@dataclass
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass
class Brief:
    kind: str
    title: str
    subtitle: str
    year: int
    key_figures: list[KeyFigure]
    sections: list[Section]
    references: list[Reference]
    generated_at: str
    states: list[State]


@dataclass(frozen=True)
class Scope:
    """The states of a brief in display order; ``focus`` is the country a country brief is about."""

    states: tuple[State, ...]
    focus: State | None
    groups: Mapping[int, str]
    dashed_groups: frozenset[str] = frozenset()

    @property
    def others(self) -> list[State]:
        return [s for s in self.states if self.focus is None or s.gwcode != self.focus.gwcode]

    def dashed(self) -> list[str]:
        return [s.name for s in self.states if self.groups.get(s.gwcode) in self.dashed_groups]

    def group_of(self, state: State) -> str:
        return self.groups.get(state.gwcode, "")
