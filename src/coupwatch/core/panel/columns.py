"""The documentation of every panel column: which adder adds it, what it means, its source and unit.

The registry is built here from the adders' modules, in the order the warehouse's ``panel_columns`` table lists
them (WDI's armed forces columns of ``add_milex`` come after the economy's, as they always have).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from coupwatch.core.panel.aid import ASSISTANCE_DOCS
from coupwatch.core.panel.conflict import CONFLICT_DOCS
from coupwatch.core.panel.coups import COUPS_DOCS, TIMING_DOCS
from coupwatch.core.panel.economy import ECONOMY_DOCS
from coupwatch.core.panel.governance import GOVERNANCE_DOCS
from coupwatch.core.panel.leaders import ELECTIONS_DOCS, LEADERS_DOCS
from coupwatch.core.panel.military import COUP_PROOFING_DOCS, MILEX_DOCS, WDI_MILITARY_DOCS
from coupwatch.core.panel.protest import MOBILISATION_DOCS, PROTEST_DOCS
from coupwatch.core.panel.regimes import EPISODES_DOCS, REGIME_DOCS, VDEM_DOCS
from coupwatch.core.panel.skeleton import ColumnDoc
from coupwatch.core.panel.support import ARMS_IMPORTS_DOCS, ODA_BY_DONOR_DOCS, PEACE_OPERATIONS_DOCS

DOCUMENTED: tuple[tuple[str, Sequence[ColumnDoc]], ...] = (
    ("add_coups", COUPS_DOCS),
    ("add_vdem", VDEM_DOCS),
    ("add_regime", REGIME_DOCS),
    ("add_leaders", LEADERS_DOCS),
    ("add_elections", ELECTIONS_DOCS),
    ("add_milex", MILEX_DOCS),
    ("add_conflict", CONFLICT_DOCS),
    ("add_governance", GOVERNANCE_DOCS),
    ("add_economy", ECONOMY_DOCS),
    ("add_milex", WDI_MILITARY_DOCS),
    ("add_assistance", ASSISTANCE_DOCS),
    ("add_mobilisation", MOBILISATION_DOCS),
    ("add_episodes", EPISODES_DOCS),
    ("add_protest", PROTEST_DOCS),
    ("add_coup_proofing", COUP_PROOFING_DOCS),
    ("add_timing", TIMING_DOCS),
    ("add_arms_imports", ARMS_IMPORTS_DOCS),
    ("add_oda_by_donor", ODA_BY_DONOR_DOCS),
    ("add_peace_operations", PEACE_OPERATIONS_DOCS),
)


def _columns_of_adders() -> dict[str, list[str]]:
    adders: dict[str, list[str]] = {}
    for adder, docs in DOCUMENTED:
        adders.setdefault(adder, []).extend(doc.name for doc in docs)
    return adders


COLUMNS: dict[str, ColumnDoc] = {doc.name: doc for _, docs in DOCUMENTED for doc in docs}
ADDERS: dict[str, list[str]] = _columns_of_adders()


def describe_columns(panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """The documentation of every panel column (or of the columns of ``panel``)."""
    docs = pd.DataFrame([d.__dict__ for d in COLUMNS.values()])
    adder_of = {col: adder for adder, cols in ADDERS.items() for col in cols}
    docs["added_by"] = docs["name"].map(adder_of)
    if panel is not None:
        docs = docs[docs["name"].isin(panel.columns)]
    return docs.reset_index(drop=True)
