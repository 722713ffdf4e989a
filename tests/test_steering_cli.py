"""``catalogus stuurinformatie``: the page's figures as CSV or JSON, suppressed the same way."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from click.testing import CliRunner

from catalogus.casework.db import open_database
from catalogus.cli import main
from catalogus.settings import Settings
from catalogus.steering.counters import Tally
from tests.conftest import ROOT


def _env(tmp_path):
    return {"CATALOGUS_DATA_DIR": str(tmp_path / "data"), "CATALOGUS_CONTENT_DIR": str(ROOT),
            "CATALOGUS_TODAY": "2026-11-26", "CATALOGUS_DATABASE_URL": ""}


def _counted(tmp_path):
    db = open_database(Settings(data_dir=tmp_path / "data", content_dir=ROOT))
    tally = Tally()
    tally.record(dt.date(2026, 11, 20), "voorbeeldstad", [("started", "online", 14), ("results", "online", 12)])
    tally.record(dt.date(2026, 11, 20), "buurdorp", [("started", "online", 3)])
    tally.record(dt.date(2026, 10, 1), "voorbeeldstad", [("started", "online", 50)])
    tally.flush(db)
    db.close()


def test_the_figures_of_one_municipality_as_csv_with_small_numbers_hidden(tmp_path):
    _counted(tmp_path)
    result = CliRunner().invoke(main, ["stuurinformatie", "--van", "2026-11-01", "--tot", "2026-11-26",
                                       "--gemeente", "buurdorp"], env=_env(tmp_path))
    assert result.exit_code == 0, result.output
    rows = {(r["onderdeel"], r["sleutel"]): r["waarde"] for r in csv.DictReader(io.StringIO(result.output))}
    assert rows[("checks_begonnen", "online")] == "< 10"


def test_the_region_as_json(tmp_path):
    _counted(tmp_path)
    result = CliRunner().invoke(main, ["stuurinformatie", "--van", "2026-11-01", "--format", "json"],
                                env=_env(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    figures = {(r["onderdeel"], r["sleutel"]): r["waarde"] for r in data["cijfers"]}
    assert (data["gemeente"], data["van"], data["tot"]) == ("regio", "2026-11-01", "2026-11-26")
    assert figures[("checks_begonnen", "online")] == 17 and figures[("checks_uitkomst", "online")] == 12
    assert figures[("checks_per_week", "2026-11-16")] == 17


def test_an_unknown_municipality_is_named_and_refused(tmp_path):
    result = CliRunner().invoke(main, ["stuurinformatie", "--gemeente", "nergens"], env=_env(tmp_path))
    assert result.exit_code == 2 and "onbekende gemeente 'nergens'" in result.output
