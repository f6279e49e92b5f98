"""A country brief and the regional comparison, assembled from the sections in reading order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from coupwatch.app.briefs import Evidence, State
from coupwatch.cells import is_missing
from coupwatch.report.content.assistance import assistance_section
from coupwatch.report.content.burden import burden_section
from coupwatch.report.content.claims import claims_section
from coupwatch.report.content.conflict import conflict_section
from coupwatch.report.content.donors import donors_section
from coupwatch.report.content.formatting import change_points, count, percent, points, probability, usd, words
from coupwatch.report.content.frames import change_row, series, watch_row
from coupwatch.report.content.governance import governance_section
from coupwatch.report.content.model import Brief, KeyFigure, Reference, Scope, Section
from coupwatch.report.content.risk import headline_section, risk_history_section
from coupwatch.report.content.sources import finish_sources, number_references, sources_section
from coupwatch.report.content.summary import assistance_balance, explain_outliers, summary_section, training_section
from coupwatch.report.content.timeline import timeline_section
from coupwatch.report.content.whatif import whatif_section


def _key_figures(evidence: Evidence, focus: State) -> list[KeyFigure]:
    figures = []
    row = watch_row(evidence, focus)
    target = evidence.year + 1
    if row is not None:
        figures.append(KeyFigure(f"Coup-attempt risk {target}", probability(float(row["p"])),
                                 f"90% interval {probability(float(row['p_low']))}–{probability(float(row['p_high']))}"
                                 if not is_missing(row["p_low"]) else ""))
        total = 0 if evidence.watchlist is None else len(evidence.watchlist)
        figures.append(KeyFigure("Global rank", f"{int(row['rank'])} of {total}",
                                 "1 = highest risk"))
        figures.append(KeyFigure(f"Change since {evidence.year}", change_points(float(row["change"])),
                                 f"from {probability(float(row['p_last_year']))}"))
    else:
        figures.append(KeyFigure(f"Coup-attempt risk {target}", "n/a", "no forecast available"))
    values = series(evidence.values, focus.gwcode, "milex_gdp", last=evidence.year)
    _, now, change, _ = change_row(values, evidence.base_year, evidence.year)
    figures.append(KeyFigure("Military burden", f"{percent(now[1])} of GDP" if now else "n/a",
                             f"{points(change)} since {evidence.base_year}" if now and not is_missing(change)
                             else "SIPRI has no figure"))
    attempts = series(evidence.values, focus.gwcode, "pt_attempts", evidence.base_year, evidence.year)
    figures.append(KeyFigure(f"Coup attempts {evidence.base_year}–{evidence.year}",
                             count(attempts.sum()) if len(attempts) else "n/a", "Powell & Thyne"))
    balance = assistance_balance(evidence, focus)
    if balance is not None and balance[0] + balance[1] > 0:
        capacity, governance, first, last = balance
        figures.append(KeyFigure("U.S. security aid to governance", f"{governance / (capacity + governance):.1%}",
                                 f"of {usd(capacity + governance)}, FY{first}–{last}"))
    return figures


def _sections(evidence: Evidence, scope: Scope, with_claims: bool) -> tuple[list[Section], list[Reference]]:
    """Every section of a brief in reading order, sources numbered by first use and listed in the last one."""
    # A country brief opens with its first page (summary_section), a regional one with the headline.
    first = summary_section if scope.focus is not None else headline_section
    builders = [first, *([whatif_section] if scope.focus is not None else []), risk_history_section,
                timeline_section, burden_section, assistance_section, donors_section, training_section,
                governance_section, conflict_section, *([claims_section] if with_claims else []), sources_section]
    sections = [build(evidence, scope) for build in builders]
    explain_outliers(sections, evidence, scope)
    refs, used = number_references(sections, evidence.provenance, evidence.sources)
    finish_sources(sections[-1], evidence, used, refs)
    return sections, refs


def build_country_brief(evidence: Evidence, focus: State, peers: Sequence[State], peers_basis: str) -> Brief:
    """The country brief: headline, risk history, coups and leaders, military burden, security assistance,
    governance, conflict, claims and sources."""
    scope = Scope(tuple([focus, *peers]), focus, {focus.gwcode: focus.name, **{p.gwcode: "Peers" for p in peers}})
    sections, refs = _sections(evidence, scope, with_claims=True)
    peer_names = words([p.name for p in peers]) if peers else "none"
    subtitle = (f"Data to the end of {evidence.year}; forecast for {evidence.year + 1}. Peers: {peer_names} "
                f"({peers_basis}). Base year {evidence.base_year}.")
    return Brief("country", f"{focus.name}: coup risk, military burden and security assistance", subtitle,
                 evidence.year, _key_figures(evidence, focus), sections, refs, evidence.generated_at,
                 list(scope.states))


def build_region_brief(evidence: Evidence, title: str, groups: Mapping[str, Sequence[State]],
                       dashed_groups: Iterable[str] = ()) -> Brief:
    """The regional comparison: the same sections across the states of one or more groups."""
    states = [s for members in groups.values() for s in members]
    scope = Scope(tuple(states), None, {s.gwcode: group for group, members in groups.items() for s in members},
                  frozenset(dashed_groups))
    sections, refs = _sections(evidence, scope, with_claims=False)
    membership = "; ".join(f"{group}: {words([s.name for s in members])}" for group, members in groups.items())
    subtitle = (f"Data to the end of {evidence.year}; forecast for {evidence.year + 1}. {membership}. "
                f"Base year {evidence.base_year}.")
    figures = []
    risks = [(float(row["p"]), s) for s in states if (row := watch_row(evidence, s)) is not None]
    if risks:
        # The first state with the highest risk, as max over the states in order would pick.
        top_p, top = max(risks, key=lambda pair: pair[0])
        figures.append(KeyFigure(f"Highest risk {evidence.year + 1}", top.name, probability(top_p)))
    attempts = sum(float(series(evidence.values, s.gwcode, "pt_attempts", evidence.base_year, evidence.year).sum())
                   for s in states)
    figures.append(KeyFigure(f"Coup attempts {evidence.base_year}–{evidence.year}", count(attempts), "Powell & Thyne"))
    figures.append(KeyFigure("States compared", str(len(states)), ", ".join(groups)))
    return Brief("region", title, subtitle, evidence.year, figures, sections, refs, evidence.generated_at, states)
