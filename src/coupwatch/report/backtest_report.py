"""The backtest's HTML reports: tables from the metrics document, ROC, precision-recall, calibration and
per-year charts as inline SVG, and the same charts as PNG files beside it; and the feature-group ablation page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader

from coupwatch.core.evaluate.samples import saved_rows
from coupwatch.report.charts import backtest as backtest_charts
from coupwatch.report.charts.render import to_png, to_svg
from coupwatch.store.schemas import AblationSummary, BacktestMetrics, nan_records

CASE_MODELS = ("ensemble", "lightgbm", "logit", "history")


def _environment() -> Environment:
    return Environment(loader=PackageLoader("coupwatch.report", "templates"), autoescape=True)


def build_charts(document: BacktestMetrics, predictions: pd.DataFrame) -> dict[str, list[tuple[str, Any]]]:
    attempts = predictions[(predictions["outcome"] == "attempt") & predictions["observed"].notna()]
    first, last = document.headline.years
    headline = saved_rows(attempts[attempts["year"].between(first, last)], document.headline.sample)
    everything = attempts[attempts["model"] != "constant"]
    per_year = pd.DataFrame(nan_records(document.per_year))
    per_year = per_year[(per_year["outcome"] == "attempt") & (per_year["model"] != "constant")
                        & (per_year["sample"] == "all")]
    calibration = pd.DataFrame(nan_records(document.calibration))
    calibration = calibration[(calibration["outcome"] == "attempt") & (calibration["model"] != "constant")]
    period = f"{document.headline.period}, {document.headline.sample_label}"
    settings = document.settings
    whole = f"{settings.first_test_year}-{settings.last_test_year}"
    return {
        "headline": [
            ("roc_headline", backtest_charts.roc_chart(headline, f"ROC, coup attempts {period}")),
            ("pr_headline", backtest_charts.pr_chart(headline, f"Precision-recall, coup attempts {period}")),
            ("roc_all", backtest_charts.roc_chart(everything, f"ROC, coup attempts {whole}")),
            ("pr_all", backtest_charts.pr_chart(everything, f"Precision-recall, coup attempts {whole}")),
        ],
        "per_year": [
            ("auc_per_year", backtest_charts.per_year_chart(per_year, "auc_roc", "AUC-ROC by test year (attempts)")),
        ],
        "calibration": [
            ("calibration", backtest_charts.calibration_chart(calibration, f"Calibration, coup attempts {whole}")),
        ],
    }


def write_report(document: BacktestMetrics, predictions: pd.DataFrame, out: Path) -> Path:
    """Write report.html (charts inline as SVG) and charts/*.png into ``out``."""
    built = build_charts(document, predictions)
    chart_dir = out / "charts"
    chart_dir.mkdir(parents=True, exist_ok=True)
    inline: dict[str, list[str]] = {}
    for section, items in built.items():
        inline[section] = []
        for name, chart in items:
            inline[section].append(to_svg(chart))
            (chart_dir / f"{name}.png").write_bytes(to_png(chart))
    pooled = sorted(document.pooled, key=lambda r: (r.outcome, r.sample, r.period, r.model))
    case_models = [m for m in CASE_MODELS if any(m in row.p for row in document.cases.rows)]
    headline = document.headline
    headline_rows = sorted(headline.rows, key=lambda r: r.model)
    html = _environment().get_template("backtest.html.j2").render(
        settings=document.settings,
        built_at=document.built_at,
        draws=document.bootstrap_draws,
        headline={**headline.model_dump(), "rows": nan_records(headline_rows),
                  "all_states_rows": nan_records(headline.all_states_rows)},
        targets=headline.targets,
        pooled=nan_records(pooled),
        frozen={"freeze_after": document.frozen.freeze_after, "last_year": document.settings.last_test_year,
                "rows": nan_records(document.frozen.rows)},
        calibration=nan_records([r for r in document.calibration
                                 if r.outcome == "attempt" and r.model != "constant"]),
        cases=nan_records(document.cases.rows),
        cases_first=document.cases.first,
        cases_last=document.cases.last,
        case_models=case_models,
        tuning=nan_records(document.tuning),
        fixed=[spec for spec in document.models.values() if spec.train_start is not None],
        missing=document.missing,
        charts=inline,
    )
    path = out / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def write_ablation_report(document: AblationSummary, table: pd.DataFrame, out: Path) -> Path:
    """Write ablation.html and charts/ablation_auc_roc.png, charts/ablation_auc_pr.png into ``out``."""
    chart_dir = out / "charts"
    chart_dir.mkdir(parents=True, exist_ok=True)
    inline = []
    for metric, label in (("auc_roc", "AUC-ROC"), ("auc_pr", "AUC-PR")):
        chart = backtest_charts.ablation_chart(table, metric,
                                               f"{label} without each feature group ({document.model})")
        inline.append(to_svg(chart))
        (chart_dir / f"ablation_{metric}.png").write_bytes(to_png(chart))
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    html = _environment().get_template("ablation.html.j2").render(
        model=document.model, outcome=document.outcome, settings=document.settings,
        rows=int(table["rows"].iloc[0]), events=int(table["events"].iloc[0]), draws=document.bootstrap_draws,
        built_at=document.built_at, table=rows, charts=inline,
    )
    path = out / "ablation.html"
    path.write_text(html, encoding="utf-8")
    return path
