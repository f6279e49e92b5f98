"""How current a forecast's data are: per feature group, the last year with data and the years carried forward."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupwatch.core.currency import currency_records, data_as_of_summary, data_currency


def _panel() -> pd.DataFrame:
    years = np.arange(2018, 2026, dtype=float)  # a float year column, as some readers give it
    return pd.DataFrame({
        "gwcode": 432, "year": years,
        "pt_attempts": [0, 0, 1, 1, 0, 0, 0, 0],
        "v2x_polyarchy": [0.4, 0.4, 0.3, 0.2, np.nan, np.nan, np.nan, np.nan],  # ends 2021
        "gdp_pc": [800.0] * 6 + [np.nan] * 2,  # ends 2023
    })


def test_each_group_says_its_last_data_year_and_the_years_carried() -> None:
    currency = data_currency(_panel(), 2026, groups=["coup history", "regime and governance", "economy", "aid"])
    by_group = currency.set_index("group")
    assert by_group.loc["coup history", "data_through"] == 2025 and by_group.loc["coup history", "carried_years"] == 0
    assert by_group.loc["regime and governance", "carried_years"] == 4
    assert not by_group.loc["regime and governance", "within_limit"]  # past the 3-year carry-forward
    assert by_group.loc["economy", "data_through"] == 2023 and by_group.loc["economy", "within_limit"]
    assert by_group["data_through"].isna()["aid"]  # no aid column in this panel: shown, not hidden
    records = currency_records(currency)
    assert records.loc[0, "data_as_of_text"] == ("coup history 2025; regime and governance 2021 (+4 carried); "
                                                 "economy 2023 (+2 carried); aid none")
    assert data_as_of_summary(list(records["data_as_of"])) == "coup history 2025; regime and governance 2021; " \
                                                               "economy 2023; aid none"


def test_a_forecast_two_years_ahead_carries_the_coup_history_one_year() -> None:
    currency = data_currency(_panel(), 2027, groups=["coup history"])
    assert currency[["data_through", "carried_years"]].iloc[0].tolist() == [2025, 1]
