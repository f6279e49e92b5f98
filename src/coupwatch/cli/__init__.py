"""The ``coupwatch`` command line: the Typer app, its shared --home option and every command, by topic.

The commands live in modules by topic (``data``, ``panel``, ``analysis``, ``models``, ``serve``, ``scenario``,
``brief``); they print through :mod:`coupwatch.cli.tables`. They are registered here, in the order ``--help``
lists them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coupwatch import config
from coupwatch.cli import analysis, brief, data, models, panel, scenario, serve

app = typer.Typer(
    name="coupwatch",
    help="Coup risk, security assistance and governance from the publishers' own data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(data.data_app, name="data")
app.command("panel")(panel.panel_export)
app.command("assistance")(analysis.assistance_command)
app.command("donors")(analysis.donors_command)
app.command("claims")(analysis.claims_command)
app.command("mechanism")(analysis.mechanism_command)
app.command("features")(analysis.features_command)
app.command("backtest")(models.backtest_command)
app.command("ablation")(models.ablation_command)
app.command("forecast")(models.forecast_command)
app.command("serve")(serve.serve_command)
app.command("scenario")(scenario.scenario_command)
app.command("brief")(brief.brief_command)


@app.callback()
def main(
    home: Annotated[
        Path | None, typer.Option("--home", help="Folder for the warehouse (default $COUPWATCH_HOME)")
    ] = None,
) -> None:
    if home is not None:
        import os

        os.environ[config.HOME_ENV] = str(home)
