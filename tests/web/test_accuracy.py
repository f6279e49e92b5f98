"""The accuracy page and GET /api/accuracy: the saved backtest's scores, cases and (when run) the ablation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from coupwatch.web.models import Accuracy


def test_api_accuracy_reports_the_saved_backtest(client, analysis_home: Path) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/accuracy")
    assert response.status_code == 200, response.text
    body = Accuracy.model_validate(response.json())
    metrics = json.loads((analysis_home / "backtest" / "metrics.json").read_text())
    assert (body.first_test_year, body.last_test_year) == (2016, 2025)
    # The headline is the standard sample (the benchmark's country-years) over the test years it shares.
    assert body.main_model == "ensemble" and body.headline_period == "2016-2019"
    assert body.headline_sample == "standard"
    assert [t.metric for t in body.targets] == ["auc_roc", "auc_pr", "brier_skill", "recall_top20"]
    saved = {(r["sample"], r["period"], r["model"]): r["auc_roc"] for r in metrics["pooled"]
             if r["outcome"] == "attempt"}
    assert {(r.sample, r.period, r.model): r.auc_roc for r in body.pooled} == saved
    assert ("standard", "2016-2019", "ensemble") in saved and ("all", "2016-2019", "ensemble") in saved
    assert {r.year for r in body.per_year} == set(range(2016, 2026))
    # Every Powell & Thyne attempt of the test years, with the main model's rank among that year's states.
    predictions = pd.read_parquet(analysis_home / "backtest" / "predictions.parquet")
    attempts = predictions[(predictions["model"] == "ensemble") & (predictions["outcome"] == "attempt")
                           & (predictions["observed"] == 1)]
    assert len(body.cases) == len(attempts)
    mali_2020 = next(c for c in body.cases if c.iso3 == "MLI" and c.year == 2020)
    year = predictions[(predictions["model"] == "ensemble") & (predictions["outcome"] == "attempt")
                       & (predictions["year"] == 2020)]
    assert mali_2020.rank == int(year["p"].rank(ascending=False, method="min")[year["iso3"] == "MLI"].iloc[0])
    assert mali_2020.states == len(year)
    assert body.ablation is None


def test_accuracy_page_shows_targets_tables_charts_and_cases(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/accuracy")
    assert page.status_code == 200
    html = page.text
    for needle in ('id="targets"', "AUC-ROC &gt;= 0.82", 'id="period-2016-2019-standard-sample"',
                   'id="period-2016-2019"', 'id="period-2020-2025"',
                   'data-chart="roc"', 'data-chart="pr"', 'data-chart="per_year"', 'id="case-table"',
                   'href="/countries/MLI"', 'id="ablation-missing"'):
        assert needle in html, needle
    assert 'href="/accuracy"' in client.get("/").text


@pytest.fixture()
def home_with_ablation(analysis_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from coupwatch.app.backtest import run_and_save_ablation
    from coupwatch.core.evaluate.rolling import RollingOrigin

    home = tmp_path / "home"
    home.mkdir()
    (home / "warehouse.duckdb").symlink_to((analysis_home / "warehouse.duckdb").resolve())
    shutil.copytree(analysis_home / "backtest", home / "backtest")
    monkeypatch.setenv("COUPWATCH_HOME", str(home))
    rolling = RollingOrigin(first_test_year=2021, last_test_year=2021, train_start_grid=(1960,))
    run_and_save_ablation(model="logit", rolling=rolling, groups=["aid", "military"], draws=50)
    return home


def test_accuracy_shows_the_saved_ablation(home_with_ablation: Path) -> None:
    from coupwatch.web import create_app

    with TestClient(create_app(home_with_ablation, warm=False)) as local:
        body = Accuracy.model_validate(local.get("/api/accuracy").json())
        assert body.ablation is not None
        assert (body.ablation.model, body.ablation.first_test_year) == ("logit", 2021)
        assert [r.variant for r in body.ablation.rows] == ["all features", "without aid", "without military"]
        saved = pd.read_csv(home_with_ablation / "ablation" / "ablation.csv")
        assert [r.auc_roc for r in body.ablation.rows] == pytest.approx(saved["auc_roc"].tolist())
        html = local.get("/accuracy").text
        assert 'id="ablation-table"' in html and "without military" in html and 'data-chart="ablation"' in html


def test_accuracy_without_a_backtest_says_how_to_make_one(tmp_path: Path) -> None:
    from coupwatch.web import create_app

    with TestClient(create_app(tmp_path, warm=False)) as local:
        response = local.get("/api/accuracy")
        assert response.status_code == 503 and "coupwatch backtest" in response.json()["detail"]
        assert local.get("/accuracy").status_code == 503
