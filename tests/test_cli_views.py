"""The ``network stats``, ``export`` and ``viz`` commands: outputs, inputs and exit codes."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from atfgraph.cli import main
from atfgraph.export import Format
from atfgraph.pipeline import build
from tests.conftest import DATA, WriteData


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data built once into N-Quads, so most commands here read a file instead of re-checking data."""
    out = tmp_path_factory.mktemp("build")
    result = build(DATA, out, (Format.NQ,))
    assert result.report.conforms
    return out / "graph.nq"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_network_stats_prints_the_leading_actors(graph_file: Path) -> None:
    result = run("network", "stats", "--graph", str(graph_file), "--top", "3")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("cooperation view: 21 nodes, 77 links, 1 component(s)")
    degree = result.output.split("degree:\n", 1)[1].splitlines()
    assert degree[0].split() == ["ATTF", "17", "organisation/attf"]
    assert "betweenness:" in result.output and "eigenvector:" in result.output and "communities" in result.output


def test_network_stats_from_a_data_folder(tmp_path: Path) -> None:
    result = run("network", "stats", "--data", str(DATA), "--view", "network", "--top", "1")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("network view: 61 nodes")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs"])
def test_export_writes_a_file(graph_file: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"attf.{fmt}"
    result = run("export", "--format", fmt, "-o", str(target), "--graph", str(graph_file), "--view", "cooperation")
    assert result.exit_code == 0, result.output
    assert f"wrote {target} (21 nodes, 77 links)" in result.output
    if fmt == "graphml":
        assert nx.read_graphml(target).number_of_edges() == 77
    elif fmt == "gexf":
        assert nx.read_gexf(target).number_of_nodes() == 21
    else:
        assert len(json.loads(target.read_text(encoding="utf-8"))["elements"]["edges"]) == 77


def test_export_csv_with_filters(graph_file: Path, tmp_path: Path) -> None:
    result = run("export", "--format", "csv", "-o", str(tmp_path / "tables"), "--graph", str(graph_file),
                 "--topic", "terrorist financing", "--type", "event")
    assert result.exit_code == 0, result.output
    with (tmp_path / "tables" / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["short_id"] for row in rows) == ["event/attf-meeting-5",
                                                       "event/workshop-terrorist-financing-belgrade-2011"]


@pytest.mark.parametrize("suffix", ["html", "png", "svg"])
def test_viz_writes_each_output_type(graph_file: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"ego.{suffix}"
    result = run("viz", "--entity", "ATTF", "-o", str(target), "--graph", str(graph_file))
    assert result.exit_code == 0, result.output
    assert "Ego network of ATTF (within 1 link): 16 nodes" in result.output
    assert target.stat().st_size > 5_000


def test_viz_timeline_with_dates(graph_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "timeline.svg"
    result = run("viz", "--view", "timeline", "--from", "2011", "--to", "2013", "--lanes", "type", "-o", str(target),
                 "--graph", str(graph_file))
    assert result.exit_code == 0, result.output
    assert "Workshop on the links between terrorism" in target.read_text(encoding="utf-8")


def test_default_input_is_the_data_folder_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = run("viz", "-o", "attf.html")
    assert result.exit_code == 0, result.output
    assert "Entity network: 61 nodes" in result.output
    assert (tmp_path / "attf.html").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (["viz", "--entity", "nobody", "-o", "x.html"], "unknown entity 'nobody'"),
    (["viz", "--topic", "nothing", "-o", "x.html"], "unknown topic 'nothing'"),
    (["viz", "-o", "x.pdf"], "end the name in .html, .png or .svg"),
    (["viz", "--from", "2011-13", "-o", "x.html"], "'2011-13' is not a date"),
    (["viz", "--from", "2012", "--to", "2011", "-o", "x.html"], "the date range is empty"),
    (["viz", "--view", "cooperation", "--entity", "ATTF", "-o", "x.html"], "--entity is for the ego view"),
    (["export", "--format", "gexf", "--view", "timeline"], "the timeline is a picture"),
    (["network", "stats", "--data", "data"], "give --graph or --data, not both"),
])
def test_usage_errors_exit_2(graph_file: Path, tmp_path: Path, args: list[str], message: str) -> None:
    args = [arg if not arg.startswith("x.") else str(tmp_path / arg) for arg in args]
    result = CliRunner().invoke(main, [*args, "--graph", str(graph_file)])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_data_with_problems_exits_1(write_data: WriteData, tmp_path: Path) -> None:
    folder = write_data({"events.yaml": "- kind: event\n  id: w\n  title: W\n  sources: [nowhere]\n"})
    result = CliRunner().invoke(main, ["viz", "--data", str(folder), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1, result.output
    assert "unknown source id 'nowhere'" in result.output
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("command", [["network", "stats"], ["export"], ["viz"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "--graph" in result.output and "--topic" in result.output
