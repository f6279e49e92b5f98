"""Country-year and country-month panels of Gleditsch-Ward states, peacesciencer's shape.

``country_years(1990, 2023, data)`` gives every state-year that existed; each ``add_*(panel, data)`` adds
documented columns from one source family and never changes the number of rows. ``data`` is where the source
tables come from (any object with ``table(name)`` and ``states``: the warehouse reader, or :class:`FrameSource`);
the functions do no I/O of their own. One module per source family; :mod:`.columns` documents every column.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from coupwatch.core.panel.aid import add_assistance
from coupwatch.core.panel.columns import ADDERS, COLUMNS, describe_columns
from coupwatch.core.panel.conflict import add_conflict
from coupwatch.core.panel.coups import add_coups, add_timing
from coupwatch.core.panel.economy import add_economy
from coupwatch.core.panel.governance import add_governance
from coupwatch.core.panel.leaders import add_elections, add_leaders
from coupwatch.core.panel.military import add_coup_proofing, add_milex
from coupwatch.core.panel.protest import add_mobilisation, add_protest
from coupwatch.core.panel.regimes import add_episodes, add_regime, add_vdem
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, FrameSource, country_months, country_years
from coupwatch.core.panel.support import add_arms_imports, add_oda_by_donor, add_peace_operations

# Every adder, in the order the warehouse build applies them (the order of the panel's columns).
ADD_FUNCTIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "add_coups": add_coups,
    "add_vdem": add_vdem,
    "add_regime": add_regime,
    "add_leaders": add_leaders,
    "add_elections": add_elections,
    "add_milex": add_milex,
    "add_conflict": add_conflict,
    "add_governance": add_governance,
    "add_economy": add_economy,
    "add_assistance": add_assistance,
    "add_mobilisation": add_mobilisation,
    "add_episodes": add_episodes,
    "add_protest": add_protest,
    "add_coup_proofing": add_coup_proofing,
    "add_timing": add_timing,
    "add_arms_imports": add_arms_imports,
    "add_oda_by_donor": add_oda_by_donor,
    "add_peace_operations": add_peace_operations,
}

__all__ = [
    "ADDERS",
    "ADD_FUNCTIONS",
    "COLUMNS",
    "ColumnDoc",
    "DataSource",
    "FrameSource",
    "add_arms_imports",
    "add_assistance",
    "add_conflict",
    "add_coup_proofing",
    "add_coups",
    "add_economy",
    "add_elections",
    "add_episodes",
    "add_governance",
    "add_leaders",
    "add_milex",
    "add_mobilisation",
    "add_oda_by_donor",
    "add_peace_operations",
    "add_protest",
    "add_regime",
    "add_timing",
    "add_vdem",
    "country_months",
    "country_years",
    "describe_columns",
]
