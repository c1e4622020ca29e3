"""The main-text scoring script, on a small evaluation folder written for the test."""

import json
import shutil
from pathlib import Path

import pytest

from articles.html_eval import main, score_folder

DATA = Path(__file__).parent / "data"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "pages").mkdir()
    shutil.copy(DATA / "feature_page.html", tmp_path / "pages" / "feature.html")
    (tmp_path / "pages" / "broken.html").write_bytes(b"<html><body></body></html>")
    cases = {
        "feature": {
            "file": "feature.html",
            "with": ["What comes next", "Habitation module 10 tonnes", "a sentence the page lacks"],
            "without": ["spacefan42", "All rights reserved", "The crossing takes about"],
            "author": "Carla Ruiz", "date": "2023-04-11",
        },
        "broken": {"file": "broken.html", "with": ["anything"], "without": ["nothing"]},
    }
    (tmp_path / "evaldata.json").write_text(json.dumps(cases), encoding="utf-8")
    return tmp_path


def test_snippets_are_counted_as_trafilatura_counts_them(folder):
    score = score_folder(folder)
    # feature: 2 of 3 found, 1 of 3 unwanted kept; broken: refused, so its snippet is missed
    assert (score.true_positives, score.false_negatives) == (2, 2)
    assert (score.false_positives, score.true_negatives) == (1, 3)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert (score.authors_right, score.authors_expected) == (1, 1)
    assert (score.dates_right, score.dates_expected) == (1, 1)
    assert score.raising == [] and len(score.refused) == 1


def test_command_prints_the_figures(folder, capsys):
    assert main([str(folder)]) == 0
    out = capsys.readouterr().out
    assert "F1                   0.571" in out
    assert "pages raising        0" in out
    assert main([str(folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 2


def test_a_folder_without_evaldata_is_refused(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "no evaldata.json" in capsys.readouterr().err
