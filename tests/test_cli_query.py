"""The ``atfgraph queries`` and ``atfgraph query`` commands: output, sources, parameters, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from atfgraph.cli import main
from atfgraph.queries import list_saved
from tests.conftest import WriteData

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DOCS = ROOT / "docs" / "queries.md"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def query(*args: str) -> Result:
    """``atfgraph query`` on the shipped data folder."""
    return invoke("query", *args, "--data", str(DATA))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with data/ and the build of it in out/, made once."""
    folder = tmp_path_factory.mktemp("project")
    shutil.copytree(DATA, folder / "data")
    result = CliRunner().invoke(main, ["build", str(folder / "data"), "-o", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder


# --- atfgraph queries


def test_queries_lists_every_saved_query_with_title_and_parameters() -> None:
    result = invoke("queries")
    assert result.exit_code == 0, result.output
    for saved in list_saved():
        assert re.search(rf"^{re.escape(saved.name)}\s+{re.escape(saved.title)}$", result.stdout, re.MULTILINE)
        for parameter in saved.parameters:
            assert str(parameter) in result.stdout


def test_queries_shows_one_in_full() -> None:
    result = invoke("queries", "events-in-country")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("events-in-country: Events in a country\n")
    assert "country (country) — the country, by ISO code" in result.stdout
    assert "(required)" in result.stdout
    assert "PREFIX atf: <https://w3id.org/atfgraph/ontology#>" in result.stdout


def test_queries_unknown_name() -> None:
    result = invoke("queries", "timelin")
    assert result.exit_code == 2
    assert "did you mean 'timeline'" in result.stderr


# --- atfgraph query: output


def test_timeline_prints_a_table_in_date_order() -> None:
    result = query("timeline")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["date", "title", "type", "place", "earliest", "latest", "event"]
    ids = [line.split()[-1] for line in lines[2:]]
    assert ids[:3] == ["event:attacks-2001-09-11", "event:attacks-2003-11-istanbul",
                       "event:post-blast-investigation-istanbul-2003"]
    assert ids[11] == "event:attf-meeting-9"  # the last dated event
    assert ids[12] == "event:attf-meeting-4"  # year unknown: after every dated one, not at year 0
    assert len(ids) == 19
    assert result.stderr == "19 row(s)\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "md", "table"])
def test_every_row_format_parses(fmt: str) -> None:
    result = query("events-in-country", "--param", "country=Turkey", "--format", fmt)
    assert result.exit_code == 0, result.output
    text = result.stdout
    # The six events held in Turkey (see test_queries.test_events_in_country_by_code_or_name).
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == ["event", "title", "date", "earliest", "latest", "place"] and len(rows) == 7
    elif fmt == "json":
        assert len(json.loads(text)["results"]["bindings"]) == 6
        assert len(list(ox.parse_query_results(text, ox.QueryResultsFormat.JSON))) == 6  # type: ignore[arg-type]
    elif fmt == "tsv":
        assert len(list(ox.parse_query_results(text, ox.QueryResultsFormat.TSV))) == 6  # type: ignore[arg-type]
    else:
        assert len(text.splitlines()) == 8


def test_construct_prints_turtle_or_json_ld() -> None:
    turtle = query("cooperation-network", "-p", "minimum=2")
    assert turtle.exit_code == 0, turtle.output
    triples = list(ox.parse(turtle.stdout, ox.RdfFormat.TURTLE))
    jsonld = query("cooperation-network", "-p", "minimum=2", "--format", "jsonld")
    assert jsonld.exit_code == 0, jsonld.output
    assert set(ox.parse(jsonld.stdout, ox.RdfFormat.JSON_LD)) == set(triples)
    # Four links of weight 2 (see test_queries.test_cooperation_network_minimum).
    links = [t for t in triples if t.predicate.value.endswith("#sharedEvents")]
    assert [t.object.value for t in links] == ["2", "2", "2", "2"]  # type: ignore[union-attr]


def test_sparql_text_and_ask() -> None:
    result = query("--sparql", "ASK { ?meeting a atf:Meeting ; atf:number 4 }", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}
    select = query("--sparql", "SELECT ?n WHERE { ?m atf:number ?n } ORDER BY ?n", "--format", "csv")
    assert select.stdout.split() == ["n", "4", "5", "6", "7", "8", "9"]


def test_a_query_file(tmp_path: Path) -> None:
    path = tmp_path / "titled.rq"
    path.write_text("# title: Titled\n# param: title (string) — exact title\n"
                    "SELECT ?event WHERE { ?event <http://www.w3.org/2000/01/rdf-schema#label> ?title }\n",
                    encoding="utf-8")
    found = query(str(path), "-p", "title=Anti-Terrorism Workshop", "--format", "csv")
    assert found.exit_code == 0, found.output
    assert found.stdout.split() == ["event", "https://w3id.org/atfgraph/id/event/workshop-anti-terrorism"]
    # A value full of SPARQL syntax is one literal: it matches nothing and breaks nothing.
    odd = query(str(path), "-p", 'title="} ; DROP ALL ; #', "--format", "csv")
    assert odd.exit_code == 0, odd.output
    assert odd.stdout_bytes == b"event\r\n"


def test_output_is_the_same_bytes_whatever_the_hash_seed(built: Path) -> None:
    # This process runs under pytest's random hash seed; the other under a fixed one.
    args = ["query", "cooperation-network", "--graph", str(built / "out" / "graph.nq")]
    here = invoke(*args)
    assert here.exit_code == 0, here.output
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    there = subprocess.run([sys.executable, "-m", "atfgraph", *args], env=environment, capture_output=True,
                           check=True)
    assert there.stdout == here.stdout_bytes


# --- what is queried


def test_by_default_the_last_build(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built)
    result = invoke("query", "provenance", "-p", "entity=attf-meeting-4", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "reading out/graph.nq (the last build)" in result.stderr
    # N-Quads keep each input file's graph, which provenance reports.
    assert "https://w3id.org/atfgraph/id/graph/events/activities.yaml" in result.stdout


def test_a_turtle_graph_has_no_named_graphs(built: Path) -> None:
    result = invoke("query", "provenance", "-p", "entity=attf-meeting-4", "--format", "csv",
                    "--graph", str(built / "out" / "graph.ttl"))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 16 and all(row[4] == "" for row in rows[1:])


def test_without_a_build_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = invoke("query", "coordination", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 7


def test_with_nothing_to_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("query", "coordination")
    assert result.exit_code == 2
    assert "nothing to read" in result.stderr


def test_data_with_errors_exits_1_with_them(write_data: WriteData) -> None:
    folder = write_data({"events.yaml": "- kind: event\n  id: w\n  title: W\n  sources: [missing]\n"})
    result = invoke("query", "timeline", "--data", str(folder))
    assert result.exit_code == 1
    assert "events.yaml:4: event 'w': sources[0]:" in result.stderr


def test_graph_and_data_together_are_refused(built: Path) -> None:
    result = query("timeline", "--graph", str(built / "out" / "graph.nq"))
    assert result.exit_code == 2
    assert "not both" in result.stderr


# --- errors


def test_syntax_error_shows_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# title: Broken\nSELECT ?s WHERE {\n  ?s ?p ?o\n  FILTER(\n}\n", encoding="utf-8")
    result = query(str(path))
    assert result.exit_code == 2
    assert re.search(r"broken\.rq: SPARQL syntax error at line \d+, column \d+", result.stderr)
    inline = query("--sparql", "SELECT ?s WHERE { ?s ?p }")
    assert inline.exit_code == 2
    assert re.search(r"SPARQL syntax error at line 1, column \d+", inline.stderr)


def test_unknown_parameter_lists_the_declared_ones() -> None:
    result = query("events-by-topic", "-p", "subject=terrorism")
    assert result.exit_code == 2
    assert "unknown parameter 'subject'; events-by-topic declares: topic (topic) = counter-terrorism" in result.stderr


def test_missing_parameter_lists_the_declared_ones() -> None:
    result = query("events-in-country")
    assert result.exit_code == 2
    assert "missing parameter 'country'; events-in-country declares: country (country)" in result.stderr


def test_bad_values_are_usage_errors() -> None:
    unknown_topic = query("events-by-topic", "-p", 'topic="} ; DROP ALL ; #')
    assert unknown_topic.exit_code == 2 and "unknown topic" in unknown_topic.stderr
    not_a_number = query("cooperation-network", "-p", "minimum=many")
    assert not_a_number.exit_code == 2 and "not a whole number" in not_a_number.stderr
    malformed = query("events-in-country", "-p", "country")
    assert malformed.exit_code == 2 and "write NAME=VALUE" in malformed.stderr


def test_unknown_query_and_no_query() -> None:
    unknown = query("timelin")
    assert unknown.exit_code == 2 and "did you mean 'timeline'" in unknown.stderr
    neither = query()
    assert neither.exit_code == 2 and "saved: cooperation-network" in neither.stderr


def test_unsuitable_format() -> None:
    result = query("cooperation-network", "--format", "csv")
    assert result.exit_code == 2
    assert "CONSTRUCT answer cannot be written as csv" in result.stderr


def test_commands_have_help() -> None:
    for command in ("queries", "query"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout


# --- the documentation's examples run


def _examples() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.startswith("atfgraph ")]


@pytest.mark.parametrize("line", _examples())
def test_documented_examples_run(line: str) -> None:
    args = shlex.split(line)[1:]
    if args[0] == "query":
        args += ["--data", str(DATA)]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout
