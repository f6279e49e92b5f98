"""The claims section: what the packaged claims about the state say, and the verdict on each."""

from __future__ import annotations

import pandas as pd

from coupwatch.app.briefs import Evidence
from coupwatch.report.charts import brief as charts
from coupwatch.report.content.formatting import plural, words
from coupwatch.report.content.model import ChartItem, Scope, Section, TableItem


def claims_section(evidence: Evidence, scope: Scope) -> Section:
    focus = scope.focus
    name = focus.name if focus else "these states"
    section = Section("claims", f"Claims about {name} checked against the data", "")
    claims = evidence.claims
    if claims is None or claims.empty:
        section.reading = (f"No published claim about {name} is in the claims file(s) used here, so there is "
                           f"nothing to check. {evidence.claims_note}".strip())
        section.missing.append(f"No claims recorded for {name}. Add claims in a file shaped like the packaged "
                               "claims.toml and pass it with `coupwatch claims --claims FILE`.")
        return section
    verdicts = claims["verdict"].value_counts()
    frame = pd.DataFrame({"verdict": verdicts.index, "claims": verdicts.to_numpy()})
    section.charts.append(ChartItem("verdicts", charts.verdicts(frame, f"{len(claims)} claims by verdict"),
                                    ("rect", "text"), (), note="Claims from the claims file(s), each checked "
                                    "against the tables named in the table's Sources column."))
    described = [f"{plural(int(n), 'claim')} {v}" for v, n in verdicts.items()]
    parts = [f"{plural(len(claims), 'claim')} about {name} were checked against the warehouse: {words(described)}."]
    for row in claims[claims["verdict"] != "supported"].itertuples():
        parts.append(f"“{row.quote}”: {row.verdict} ({row.our_figure}).")
    section.reading = " ".join(parts)
    section.tables.append(TableItem("Claims, our figures and verdicts", ["Claim", "Our figure", "Verdict",
                                                                           "Why", "Sources"],
                                    [[str(r.quote), str(r.our_figure), str(r.verdict), str(r.explanation),
                                      str(r.sources)] for r in claims.itertuples()],
                                    [False, False, False, False, False]))
    tables: set[str] = set()
    for text in claims["sources"].astype(str):
        tables.update(part.rsplit("(", 1)[-1].rstrip(")") for part in text.split("; ") if "(" in part)
    section.tables_used = sorted(tables)
    return section
