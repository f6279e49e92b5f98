"""What-if scenarios: change a country's inputs, rebuild its features, and compare modelled coup risk.

A scenario for forecast year Y changes panel inputs of year Y-1 (what the forecast for Y sees): military
spending, V-Dem and WGI governance indices, U.S. assistance (including moving money between categories),
conflict deaths, the economy. The features are then rebuilt with :func:`coupwatch.core.features.build_features`, so
derived features follow their inputs (the 1-, 3- and 5-year changes in the military burden, real spending
growth, spending per person, ``capacity_without_governance``, aid per person). Values a source stopped
reporting are changed where the forecast carries them forward from (at most ``CARRY_FORWARD_YEARS`` earlier).

Risk comes from the model the forecast uses (fitted on every labelled year before Y with the backtest's tuning).
The 90% interval of the difference comes from refits on bootstrap resamples of countries; each refit scores the
baseline and the scenario rows, so the interval is of paired differences (their 5th to 95th percentiles, widened
to include the full-data estimate); the shares of refits in which the scenario lowers or raises the risk are
reported too. The intervals of the two risks are the watchlist's (:func:`coupwatch.core.forecast.centred_interval`).
Changed features outside the range of the training data are flagged as extrapolation. Contributions (log-odds)
before and after say which features moved the risk.

These are modelled associations, not proven effects (see :data:`coupwatch.core.scenarios.score.CAVEAT`).

Pure core: frames in, frames out. The country x scenario feature builds and the bootstrap refits are mapped
through an executor (serial, or Dask via :mod:`coupwatch.scale`) with identical results.

The modules, in the order a scenario passes through them: ``levers`` (the inputs a scenario may change),
``options`` (a scenario from ``--set``/``--shift-assistance`` or TOML text), ``apply`` (a country's panel rows
changed and its features rebuilt), ``score`` (:func:`~coupwatch.core.scenarios.score.run_scenarios`: the risks,
their intervals and what moved them). Reading a TOML file of scenarios belongs to
:mod:`coupwatch.store.scenario_files`.
"""
