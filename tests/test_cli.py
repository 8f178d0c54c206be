"""The atfgraph command end to end on the shipped data and on small folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph

from atfgraph.cli import main
from tests.conftest import DATA, GOLDEN, ROOT, SOURCES_YAML, WriteData


@pytest.fixture(scope="module")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", str(DATA), "-o", str(out)])
    return out, result.output + result.stderr if result.exit_code == 0 else f"exit {result.exit_code}: {result}"


def test_build_of_the_shipped_data_writes_the_files(shipped_build: tuple[Path, str]) -> None:
    out, output = shipped_build
    assert {path.name for path in out.iterdir()} == {"graph.ttl", "graph.jsonld", "graph.nq", "report.txt",
                                                     "report.json"}, output
    assert "0 violation(s), 0 warning(s)" in output
    assert "wrote graph.ttl, graph.jsonld, graph.nq" in output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["conforms"] is True and report["warnings"] == 0
    # No record lacks a source: not one warning about it in the report.
    assert not [problem for problem in report["problems"] if problem["field"] == "atf:source"]
    assert len(Graph().parse(out / "graph.ttl")) > 1000


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "atfgraph", "--version"], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.startswith("atfgraph, version")


def test_build_summary_counts_entities_per_kind(write_data: WriteData, tmp_path: Path) -> None:
    folder = write_data({"s.yaml": SOURCES_YAML, "e.yaml": "- {kind: event, id: a, title: A, sources: [page]}\n"
                                                           "- {kind: event, id: b, title: B, sources: [page]}\n"})
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "o"), "--format", "nt"])
    assert result.exit_code == 0, result.output
    assert "file(s) of records (2 event, 1 source)" in result.output
    assert any(line.split() == ["atf:Event", "2"] for line in result.output.splitlines())
    assert sorted(path.name for path in (tmp_path / "o").iterdir()) == ["graph.nt", "report.json", "report.txt"]


def test_warnings_do_not_fail_a_build(write_data: WriteData, tmp_path: Path) -> None:
    folder = write_data({"e.yaml": "- {kind: event, id: a, title: A, date: '2013'}\n"})
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "e.yaml:1: event 'a': atf:source: warning:" in result.stderr
    assert "0 violation(s), 1 warning(s)" in result.stderr


def test_a_shacl_violation_is_located_and_fails_the_build(write_data: WriteData, tmp_path: Path) -> None:
    # The record stage takes any whole number; the shapes want a meeting number of at least 1.
    folder = write_data({"s.yaml": SOURCES_YAML,
                         "e.yaml": "- kind: event\n  id: a\n  title: A\n  number: 0\n  sources: [page]\n"})
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert "e.yaml:4: event 'a': atf:number:" in result.stderr
    assert not out.exists()


def test_validate_formats(write_data: WriteData) -> None:
    folder = write_data({"e.yaml": "- {kind: event, id: a, title: A, date: '2013-02-30'}\n"})
    runner = CliRunner()
    text = runner.invoke(main, ["validate", str(folder)])
    assert text.exit_code == 1
    assert "e.yaml:1: event 'a': date:" in text.output
    as_json = runner.invoke(main, ["validate", str(folder), "--format", "json"])
    body = json.loads(as_json.output)
    assert body["conforms"] is False
    assert {(p["file"], p["line"], p["field"]) for p in body["problems"] if p["severity"] == "violation"} == {
        ("e.yaml", 1, "date")}
    as_ttl = runner.invoke(main, ["validate", str(GOLDEN / "small"), "--format", "ttl"])
    assert as_ttl.exit_code == 0
    report = Graph().parse(data=as_ttl.output, format="turtle")
    assert "true" in {str(o) for o in report.objects(None, None)}


def test_validate_writes_nothing(tmp_path: Path) -> None:
    before = sorted(path.name for path in tmp_path.iterdir())
    result = CliRunner().invoke(main, ["validate", str(GOLDEN / "small")])
    assert result.exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == before


def test_stats_on_a_folder_and_on_a_graph_file(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = runner.invoke(main, ["stats", str(GOLDEN / "small")])
    assert folder.exit_code == 0, folder.output
    # Hand-counted from tests/golden/small: 6 events, of which 2 meetings; topics per event; years from bounds.
    assert "atf:Event" in folder.output and "atf:Meeting" in folder.output
    lines = {line.split("  ")[1].strip(): line.split()[-1] for line in folder.output.splitlines()
             if line.startswith("  ") and "  " in line.strip()}
    assert lines["atf:Event"] == "6" and lines["atf:Meeting"] == "2"
    assert lines["Counter-terrorism"] == "2"  # the attack and the 4th meeting
    assert lines["unknown"] == "1"  # the 4th meeting, whose year is unknown
    assert lines["2003"] == "2"  # the attacks and the investigation that followed
    runner.invoke(main, ["build", str(GOLDEN / "small"), "-o", str(tmp_path / "o")])
    from_file = runner.invoke(main, ["stats", str(tmp_path / "o" / "graph.ttl")])
    assert from_file.exit_code == 0
    assert from_file.output.splitlines()[1:] == folder.output.splitlines()[1:]


def test_stats_of_bad_data_fails(write_data: WriteData) -> None:
    folder = write_data({"e.yaml": "- {kind: event, id: a}\n"})
    result = CliRunner().invoke(main, ["stats", str(folder)])
    assert result.exit_code == 1
    assert "required field is missing" in result.stderr


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    context = click.Context(group)
    for name in group.list_commands(context):  # the lazily imported commands too
        command = group.get_command(context, name)
        assert command is not None, name
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(main))
def test_every_command_has_help_and_is_in_the_readme(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert command.help and len(command.help) > 20
    assert f"atfgraph {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_listed_and_the_heavy_ones_are_imported_only_when_run() -> None:
    assert {name for name, _ in _commands(main)} >= {"build", "validate", "stats", "queries", "query", "load",
                                                     "network", "export", "viz", "serve", "network stats"}
    probe = ("import sys, atfgraph.cli; heavy = {'matplotlib', 'networkx', 'starlette', 'pyshacl'}; "
             "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    before = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert before.stdout.strip() == "[]"
    after = subprocess.run([sys.executable, "-c", probe.replace("atfgraph.cli;", "atfgraph.cli_views;")],
                           capture_output=True, text=True, check=True)
    assert "networkx" in after.stdout  # the probe sees an import when there is one


def test_usage_errors_exit_with_2() -> None:
    assert CliRunner().invoke(main, ["build", "--format"]).exit_code == 2
    assert CliRunner().invoke(main, ["no-such-command"]).exit_code == 2


def test_both_stores_build_the_same_bytes(tmp_path: Path) -> None:
    runner = CliRunner()
    for store in ("memory", "oxigraph"):
        result = runner.invoke(main, ["build", str(GOLDEN / "small"), "-o", str(tmp_path / store), "--store", store,
                                      "--format", "nq,nt"])
        assert result.exit_code == 0, result.output
    for name in ("graph.nq", "graph.nt"):
        assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / "oxigraph" / name).read_bytes()


def test_on_disk_store_is_replaced_only_by_a_good_build(write_data: WriteData, tmp_path: Path) -> None:
    runner = CliRunner()
    store = f"oxigraph:{tmp_path / 'store'}"
    good = runner.invoke(main, ["build", str(GOLDEN / "small"), "-o", str(tmp_path / "o"), "--store", store])
    assert good.exit_code == 0, good.output
    counted = runner.invoke(main, ["stats", str(tmp_path / "no-such-folder"), "--store", store])
    assert counted.exit_code == 2  # a typo in the folder is a usage error and leaves the store alone
    bad = write_data({"e.yaml": "- {kind: event, id: a}\n"})
    assert runner.invoke(main, ["build", str(bad), "-o", str(tmp_path / "o2"), "--store", store]).exit_code == 1
    import pyoxigraph

    assert len(pyoxigraph.Store(str(tmp_path / "store"))) > 400
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".store")] == []


def test_incremental_build_writes_the_same_bytes(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(main, ["build", str(GOLDEN / "small"), "-o", str(tmp_path / "clean")])
    assert clean.exit_code == 0
    for run in ("first", "second"):
        result = runner.invoke(main, ["build", str(GOLDEN / "small"), "-o", str(tmp_path / run),
                                      "--cache", str(tmp_path / "cache")])
        assert result.exit_code == 0, result.output
        for name in ("graph.ttl", "graph.jsonld", "graph.nq", "report.json"):
            assert (tmp_path / run / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()
    assert list((tmp_path / "cache").rglob("*.pickle"))


def test_build_with_two_jobs_writes_the_same_bytes(tmp_path: Path) -> None:
    runner = CliRunner()
    for jobs in ("1", "2"):
        result = runner.invoke(main, ["build", str(GOLDEN / "small"), "-o", str(tmp_path / jobs), "--jobs", jobs])
        assert result.exit_code == 0, result.output
    for name in ("graph.ttl", "graph.jsonld", "graph.nq", "report.json"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_a_large_build_says_each_stage_after_mapping(capsys: pytest.CaptureFixture[str]) -> None:
    """Past the progress bar's threshold, each later stage gets a line (a build of a million events checks
    and writes for minutes); below it, nothing is said."""
    from atfgraph.cli_common import ProgressDisplay

    quiet = ProgressDisplay("mapping records", threshold=100)
    quiet(10, 10)
    quiet.stage("writing graph.ttl")
    assert capsys.readouterr().err == ""
    large = ProgressDisplay("mapping records", threshold=100)
    large(100, 100)
    large.stage("checking the graph against the shapes")
    large.stage("writing graph.ttl")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" (")[0] for line in lines[-2:]] == ["checking the graph against the shapes",
                                                            "writing graph.ttl"]
    assert all(line.endswith(" s)") for line in lines[-2:])


def test_the_build_announces_its_stages_in_order(tmp_path: Path) -> None:
    from atfgraph.pipeline import build

    stages: list[str] = []
    result = build(DATA, tmp_path / "out", stage=stages.append)
    assert result.written
    assert stages == ["checking the graph against the shapes", "writing graph.ttl", "writing graph.jsonld",
                      "writing graph.nq"]
