"""Bad input: every error class of the record stage, reported as FILE:LINE: kind 'id': field: message.

Each case also checks the exit code and that an existing output folder is left exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from atfgraph.cli import main
from tests.conftest import SOURCES_YAML, WriteData

GOOD_EVENT = """
- kind: event
  id: workshop
  title: Workshop
  sources: [page]
"""

CASES = [
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: [unclosed\n"},
                 "events.yaml:4:", "YAML syntax error", id="yaml-syntax"),
    pytest.param({"events.json": '[\n  {"kind": "event",\n   "id": "w" "title": "x"}\n]\n'},
                 "events.json:3:", "JSON syntax error", id="json-syntax"),
    pytest.param({"events.csv": "kind,id,title\nevent,w,Workshop\nevent,v\n"},
                 "events.csv:3:", "row has 2 cells but the header has 3 columns", id="csv-shape"),
    pytest.param({"events.yaml": "- kind: evnt\n  id: w\n  title: W\n"},
                 "events.yaml:1: evnt 'w': kind:", "unknown kind 'evnt'; did you mean 'event'?", id="unknown-kind"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  titel: W\n  title: W\n  sources: [page]\n"},
                 "events.yaml:3: event 'w': titel:", "unknown field for a event; did you mean 'title'?",
                 id="unknown-field"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: W\n  number: many\n  sources: [page]\n"},
                 "events.yaml:4: event 'w': number:", "expected a whole number, got 'many'", id="wrong-type"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: [a, b]\n  sources: [page]\n"},
                 "events.yaml:3: event 'w': title:", "takes one value, not a list", id="list-for-one-value"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  type: meeting\n  sources: [page]\n"},
                 "events.yaml:1: event 'w': title:", "required field is missing", id="missing-required"),
    pytest.param({"events.yaml": GOOD_EVENT + "- kind: document\n  id: workshop\n  title: D\n"},
                 "events.yaml:6: document 'workshop': id:", "duplicate id 'workshop', first used at events.yaml:1",
                 id="duplicate-id"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: W\n  sources: [pgae]\n"},
                 "events.yaml:4: event 'w': sources[0]:", "unknown source id 'pgae'; did you mean 'page'?",
                 id="unknown-reference"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: W\n  series: page\n  sources: [page]\n"},
                 "events.yaml:4: event 'w': series:", "'page' is a source, expected a organisation",
                 id="wrong-kind-reference"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: W\n  location:\n    country: Tukey\n"
                                 "  sources: [page]\n"},
                 "events.yaml:5: event 'w': location.country:", "Türkiye (TR)", id="unknown-country"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: W\n  date: \"2013-02-30\"\n  sources: [page]\n"},
                 "events.yaml:4: event 'w': date:", "2013-02-30", id="invalid-date"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: W\n  date: \"2013-11-05/2013-11-04\"\n"
                                 "  sources: [page]\n"},
                 "events.yaml:4: event 'w': date:", "before", id="end-before-start"),
    pytest.param({"events.yaml": "- kind: event\n  id: W-1\n  title: W\n"},
                 "events.yaml:2: event 'W-1': id:", "not a lowercase slug", id="bad-id"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: W\n  type: seminar\n  sources: [page]\n"},
                 "events.yaml:4: event 'w': type:", "unknown event type 'seminar'", id="unknown-type"),
    pytest.param({"events.yaml": "- kind: event\n  id: w\n  title: W\n  topics: [finance of terror]\n"
                                 "  sources: [page]\n"},
                 "events.yaml:4: event 'w': topics[0]:", "unknown topic 'finance of terror'", id="unknown-topic"),
    # IRIs shaped like IRIs that no RDF parser accepts: the build must say where, not fail while loading.
    pytest.param({"links.yaml": "- kind: source\n  id: broken\n  title: B\n  url: 'http://example.org/%zz'\n"},
                 "links.yaml:4: source 'broken': url:", "not a valid IRI", id="bad-percent-encoding"),
    pytest.param({"links.yaml": "- kind: organisation\n  id: o\n  name: O\n  same_as:\n    - 'http://[broken/'\n"},
                 "links.yaml:5: organisation 'o': same_as[0]:", "not a valid IRI", id="bad-iri-host"),
]


@pytest.mark.parametrize(("files", "where", "message"), CASES)
def test_bad_input_is_located_and_leaves_out_alone(
    write_data: WriteData, tmp_path: Path, files: dict[str, str], where: str, message: str
) -> None:
    folder = write_data({"sources.yaml": SOURCES_YAML, **files})
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("last good build\n", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out)])

    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert lines, f"no line starting {where!r} in:\n{result.stderr}"
    assert any(message in line for line in lines), f"{message!r} not in {lines}"
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_every_problem_is_reported_in_one_run(write_data: WriteData) -> None:
    folder = write_data({
        "sources.yaml": SOURCES_YAML,
        "a.yaml": "- kind: event\n  id: a\n  title: A\n  date: \"2013-02-30\"\n  sources: [nope]\n",
        "b.yaml": "- kind: event\n  id: b\n  titel: B\n",
    })
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    for expected in ("a.yaml:4: event 'a': date:", "a.yaml:5: event 'a': sources[0]:", "b.yaml:3: event 'b': titel:",
                     "b.yaml:1: event 'b': title:"):
        assert expected in result.output, result.output


def test_missing_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "data folder not found" in result.stderr


def test_unknown_output_format_is_a_usage_error(write_data: WriteData, tmp_path: Path) -> None:
    folder = write_data({"sources.yaml": SOURCES_YAML})
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "o"), "--format", "ttl,xml"])
    assert result.exit_code == 2
    assert "unknown format 'xml'" in result.output


@pytest.mark.parametrize("base", ["http://[x/", "relative/path/"])
def test_a_base_that_is_no_iri_is_a_usage_error(write_data: WriteData, tmp_path: Path, base: str) -> None:
    folder = write_data({"sources.yaml": SOURCES_YAML})
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out"), "--base", base])
    assert result.exit_code == 2, result.output
    assert "--base" in result.stderr and "not an absolute IRI" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_an_output_folder_that_cannot_be_made_is_a_clear_error(write_data: WriteData, tmp_path: Path,
                                                               store: str) -> None:
    folder = write_data({"sources.yaml": SOURCES_YAML})
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(blocker / "out"), "--store", store])
    assert result.exit_code == 1
    assert f"cannot write {blocker / 'out'}" in result.stderr and "Traceback" not in result.output
    assert sorted(tmp_path.rglob("*")) == before  # no work file or staged output left anywhere
