"""The first page of a country brief and the training evidence: what a director reads in two minutes.

The first page states the risk and rank with its interval, what sets the state apart (the concept drivers), the
balance of U.S. security assistance between capacity and governance, in three sentences written from the numbers,
with one chart. "Who trained the officers" sets the Greenbook's IMET obligations beside the State Department's
budget allocations (CBJ, FY2008-FY2017) for the state and its peers.

Pure core: the brief's evidence in, sections out.
"""

from __future__ import annotations

import pandas as pd

from coupwatch.app.briefs import Evidence, State
from coupwatch.cells import is_missing
from coupwatch.report.content.formatting import NOT_AVAILABLE, ordinal, probability, usd, words
from coupwatch.report.content.frames import series, watch_row
from coupwatch.report.content.model import Scope, Section, TableItem
from coupwatch.report.content.risk import headline_section

# Security-assistance accounts of the CBJ tables: IMET trains officers; the others fund equipment and operations.
TRAINING_ACCOUNT = "IMET"
SECURITY_ACCOUNTS = ("IMET", "FMF", "PKO", "NADR", "INCLE")


def _risk_sentence(evidence: Evidence, focus: State, row: pd.Series) -> str:
    target = evidence.year + 1
    total = 0 if evidence.watchlist is None else len(evidence.watchlist)
    p, low, high = float(row["p"]), float(row["p_low"]), float(row["p_high"])
    interval = "" if is_missing(low) else f" (90% interval {probability(low)} to {probability(high)})"
    text = (f"{focus.name} has a {probability(p)} modelled risk of a coup attempt in {target}{interval}, "
            f"{ordinal(int(row['rank']))} highest of {total} states")
    change = float(row["change"])
    if not is_missing(change) and abs(change) >= 0.0005:
        text += f", {'up' if change > 0 else 'down'} {abs(change) * 100:.1f} points from {target - 1}"
    return text + "."


def _drivers_sentence(focus: State, row: pd.Series) -> str:
    drivers = row.get("drivers")
    if not isinstance(drivers, list | tuple) or not drivers:
        return f"The saved forecast gives no drivers for {focus.name}."
    raising = [d for d in drivers if d["direction"] == "raises"]
    lowering = [d for d in drivers if d["direction"] == "lowers"]

    def told(items: list[dict[str, object]]) -> str:
        return words([f"{d.get('concept', d['description'])} ({d.get('label', 'value')} "
                      f"{d.get('shown') or 'not known'}, {d.get('standing', '')})".replace(", )", ")")
                      for d in items])

    parts = []
    if raising:
        parts.append(f"Compared with other states, the risk is raised by {told(raising)}")
    if lowering:
        parts.append(("and lowered by " if raising else "Compared with other states, the risk is lowered by ")
                     + told(lowering))
    return " ".join(parts) + "."


def assistance_balance(evidence: Evidence, focus: State) -> tuple[float, float, int, int] | None:
    """U.S. security capacity and governance aid to ``focus`` (Greenbook obligations, classified) from the base
    year to the brief's year, and the first and last fiscal year with figures; None when there are none."""
    capacity = series(evidence.values, focus.gwcode, "aid_security_capacity_usd", evidence.base_year, evidence.year)
    governance = series(evidence.values, focus.gwcode, "aid_security_governance_usd", evidence.base_year,
                        evidence.year)
    years = sorted(set(capacity.index) | set(governance.index))
    if not years:
        return None
    return float(capacity.fillna(0).sum()), float(governance.fillna(0).sum()), int(years[0]), int(years[-1])


def _assistance_sentence(evidence: Evidence, focus: State) -> str:
    balance = assistance_balance(evidence, focus)
    if balance is None:
        return (f"The Greenbook has no U.S. security assistance figures for {focus.name} since FY{evidence.base_year}, "
                "so the balance between capacity and governance cannot be stated.")
    capacity, governance, first, last = balance
    if capacity + governance <= 0:
        return f"The Greenbook records no net U.S. security assistance to {focus.name} in FY{first}–{last}."
    share = governance / (capacity + governance)
    imet = series(evidence.values, focus.gwcode, "gb_imet_usd", evidence.base_year, evidence.year).fillna(0).sum()
    return (f"From FY{first} to FY{last} the United States obligated {usd(capacity)} to build {focus.name}'s security "
            f"forces and {usd(governance)} to govern them: {share:.1%} went to governance"
            + (f", and {usd(float(imet))} to train its officers (IMET)." if imet > 0 else "."))


def summary_section(evidence: Evidence, scope: Scope) -> Section:
    """The first page: three sentences from the numbers, the forecast chart and the drivers, before the evidence.

    Built from the headline section, whose chart and tables it keeps, with the long reading cut to three
    sentences (risk and rank, what sets the state apart, the assistance balance)."""
    section = headline_section(evidence, scope)
    focus = scope.focus
    if focus is None:
        return section
    section.title = f"In brief: {focus.name}, {evidence.year + 1}"
    row = watch_row(evidence, focus)
    if row is None:
        section.reading = f"{section.reading} {_assistance_sentence(evidence, focus)}"
        return section
    section.reading = " ".join([_risk_sentence(evidence, focus, row), _drivers_sentence(focus, row),
                                _assistance_sentence(evidence, focus)])
    # The peers' forecast table repeats the chart; the first page keeps the drivers table only.
    section.tables = [t for t in section.tables if t.header and t.header[0] == "Concept"] or section.tables[:1]
    return section


def _cbj_training(evidence: Evidence, states: list[State]) -> pd.DataFrame:
    accounts = evidence.cbj_accounts
    if accounts is None or accounts.empty:
        return pd.DataFrame(columns=["gwcode", "fiscal_year", "account", "amount_usd"])
    codes = {s.gwcode for s in states}
    rows = accounts[accounts["gwcode"].isin(codes) & accounts["account"].isin(SECURITY_ACCOUNTS)]
    return rows.assign(amount_usd=rows["amount_thousands_usd"] * 1000.0)


def training_section(evidence: Evidence, scope: Scope) -> Section:
    """Who trained the officers: IMET obligations (Greenbook) and CBJ allocations, focus and peers."""
    section = Section("training", "Who trained the officers: U.S. military education and training (IMET)", "",
                      tables_used=["greenbook_obligations", "us_cbj_accounts"])
    base_year, year = evidence.base_year, evidence.year
    cbj = _cbj_training(evidence, list(scope.states))
    rows = []
    totals: dict[str, float] = {}
    for state in scope.states:
        imet = series(evidence.values, state.gwcode, "gb_imet_usd", base_year, year).dropna()
        own = cbj[(cbj["gwcode"] == state.gwcode) & (cbj["account"] == TRAINING_ACCOUNT)]
        if imet.empty and own.empty:
            continue
        totals[state.name] = float(imet.sum())
        peak = ((int(imet.index.to_numpy()[int(imet.to_numpy().argmax())]), float(imet.max()))
                if imet.max() > 0 else None)
        cbj_span = (f"{usd(float(own['amount_usd'].sum()))} (FY{int(own['fiscal_year'].min())}–"
                    f"{int(own['fiscal_year'].max())})") if len(own) else "n/a"
        rows.append([state.name,
                     f"{usd(float(imet.sum()))} (FY{int(imet.index.min())}–{int(imet.index.max())})"
                     if len(imet) else "n/a",
                     f"{usd(peak[1])} (FY{peak[0]})" if peak else "none", cbj_span])
    if rows:
        section.tables.append(TableItem(
            f"U.S. officer training (IMET) since FY{base_year}: obligations and budget allocations",
            ["State", "IMET obligations (Greenbook)", "Largest year", "IMET allocations (CBJ)"], rows,
            [False, True, True, True]))
    focus = scope.focus
    parts = []
    if focus is not None and focus.name in totals:
        imet = series(evidence.values, focus.gwcode, "gb_imet_usd", base_year, year).dropna()
        parts.append(f"The United States obligated {usd(totals[focus.name])} for the International Military Education "
                     f"and Training of {focus.name}'s officers in FY{int(imet.index.min())}–{int(imet.index.max())}.")
        zero_years = [int(y) for y in imet.index[imet.to_numpy() <= 0]]
        events = series(evidence.values, focus.gwcode, "pt_successes", base_year, year)
        coups = [int(y) for y in events.index[events.fillna(0).to_numpy() > 0]]
        if coups:
            parts.append(f"Successful coups in {words([str(y) for y in coups])}; section 7008 of the annual "
                         "appropriations acts restricts assistance to a government that took power by a coup. Years "
                         f"with no IMET obligations: {words([f'FY{y}' for y in zero_years]) or 'none'}.")
        own = cbj[(cbj["gwcode"] == focus.gwcode)]
        if len(own):
            by_account = own.groupby("account")["amount_usd"].sum()
            parts.append(f"The State Department's budget tables (FY{int(own['fiscal_year'].min())}–"
                         f"{int(own['fiscal_year'].max())}, allocations and requests, not obligations) give "
                         + words([f"{account} {usd(float(by_account.get(account, 0.0)))}"
                                  for account in SECURITY_ACCOUNTS if float(by_account.get(account, 0.0)) > 0])
                         + ".")
        others = {n: v for n, v in totals.items() if n != focus.name}
        if others:
            parts.append("Peers over the same years: " + ", ".join(f"{n} {usd(v)}" for n, v in others.items()) + ".")
    elif focus is not None:
        parts.append(f"No IMET figures for {focus.name} since FY{base_year} in the data at hand.")
    else:
        parts.append("IMET obligations (Greenbook) and allocations (CBJ) since "
                     f"FY{base_year}: " + ", ".join(f"{n} {usd(v)}" for n, v in totals.items()) + ".")
    section.reading = " ".join(parts)
    section.missing.append(f"{NOT_AVAILABLE}: who trained the officers other than the United States (France, Russia, "
                           "China, the EU training missions), Department of Defense Title 10 training and student "
                           "counts; the CBJ tables end in FY2017.")
    return section


# A year of security aid this many times the state's median year is explained where it appears.
OUTLIER_RATIO = 4.0


def aid_outliers(evidence: Evidence, state: State) -> list[str]:
    """Notes on the years whose U.S. security capacity aid dwarfs the state's usual year, naming the Greenbook
    program that carries most of it (Mali FY2012: Peace Keeping Operations)."""
    capacity = series(evidence.values, state.gwcode, "aid_security_capacity_usd", evidence.base_year - 2,
                      evidence.year).dropna()
    positive = capacity[capacity > 0]
    if len(positive) < 4:
        return []
    notes = []
    for fiscal_year, value in zip(capacity.index.astype(int), capacity.to_numpy(dtype=float), strict=True):
        typical = float(positive.drop(index=fiscal_year, errors="ignore").median())
        if typical <= 0 or value < OUTLIER_RATIO * typical:
            continue
        text = f"FY{fiscal_year}, {usd(float(value))} ({value / typical:.0f} times the median year"
        programs = evidence.greenbook_military
        if programs is not None and len(programs):
            year_rows = programs[(programs["gwcode"] == state.gwcode) & (programs["fiscal_year"] == fiscal_year)]
            if len(year_rows) and year_rows["obligations_usd"].sum() > 0:
                top = year_rows.sort_values("obligations_usd", ascending=False).iloc[0]
                text += f"; {usd(float(top['obligations_usd']))} of it {top['program']}"
        notes.append(text + ")")
    if not notes:
        return []
    return [f"Outliers in U.S. security capacity aid to {state.name}: {words(notes)}, against a median year of "
            f"{usd(float(positive.median()))}. Obligations record commitments, which can be spent over several "
            "years; shares and ratios in those years reflect them."]


def explain_outliers(sections: list[Section], evidence: Evidence, scope: Scope) -> None:
    """Add the outlier notes to the security-assistance section, where the chart shows the spike."""
    states = [scope.focus] if scope.focus is not None else list(scope.states)
    notes = [note for state in states for note in aid_outliers(evidence, state)]
    for section in sections:
        if section.key == "security-assistance" and notes:
            section.reading = f"{section.reading} {' '.join(notes)}".strip()
