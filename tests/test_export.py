"""Outputs: golden graph, independent parsers (pyoxigraph, pyld), determinism and text round trips."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from atfgraph import export
from atfgraph.errors import OutputError, UsageError
from atfgraph.export import Format, Renderer, StagedFiles, render, render_bytes, write_jsonld_here
from atfgraph.loader import Build, load
from atfgraph.namespaces import ATF, DEFAULT_BASE, RDFS
from atfgraph.oxstore import OxigraphStore
from atfgraph.pipeline import build
from atfgraph.store import MemoryStore
from tests.conftest import GOLDEN, ROOT

SMALL = GOLDEN / "small"


@pytest.fixture(scope="module")
def small() -> Build:
    build = load(SMALL)
    assert build.problems == ()
    return build


def _oxigraph_graph(text: str, fmt: pyoxigraph.RdfFormat) -> Graph:
    """Parse with pyoxigraph (an independent parser) and carry the triples over as rdflib terms via N-Triples."""
    store = pyoxigraph.Store()
    store.load(text.encode("utf-8"), format=fmt)
    triples = (pyoxigraph.Triple(quad.subject, quad.predicate, quad.object) for quad in store)
    lines = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    graph = Graph()
    graph.parse(data=(lines or b"").decode("utf-8"), format="nt")
    return graph


def _pyld_graph(text: str) -> Graph:
    """Expand JSON-LD with pyld (an independent processor) to N-Quads, then read them."""
    document = json.loads(text)
    nquads = pyld.to_rdf(document, {"format": "application/n-quads"})
    graph = Graph()
    graph.parse(data=nquads, format="nt")
    return graph


def test_golden_graph_is_isomorphic(small: Build, update_golden: bool) -> None:
    golden = GOLDEN / "small.ttl"
    built = small.store.union()
    if update_golden:
        golden.write_text(render(small.store, Format.TTL, small.base), encoding="utf-8")
    expected = Graph().parse(golden, format="turtle")
    if not isomorphic(built, expected):
        _, only_built, only_expected = graph_diff(to_isomorphic(built), to_isomorphic(expected))
        extra, missing = sorted(only_built)[:10], sorted(only_expected)[:10]
        pytest.fail(f"built graph differs from {golden.name}:\n+ {extra}\n- {missing}")


@pytest.mark.parametrize(("fmt", "oxigraph_format"), [
    (Format.TTL, pyoxigraph.RdfFormat.TURTLE),
    (Format.NT, pyoxigraph.RdfFormat.N_TRIPLES),
    (Format.NQ, pyoxigraph.RdfFormat.N_QUADS),
])
def test_pyoxigraph_reads_the_same_graph(small: Build, fmt: Format, oxigraph_format: pyoxigraph.RdfFormat) -> None:
    text = render(small.store, fmt, small.base)
    assert isomorphic(_oxigraph_graph(text, oxigraph_format), small.store.union())


def test_pyld_expands_jsonld_to_the_same_graph(small: Build) -> None:
    text = render(small.store, Format.JSONLD, small.base)
    document = json.loads(text)
    assert isinstance(document["@context"], dict), "the context must be inline so the file reads offline"
    assert isomorphic(_pyld_graph(text), small.store.union())


def test_nquads_keep_each_file_in_its_named_graph(small: Build) -> None:
    text = render(small.store, Format.NQ, small.base)
    store = pyoxigraph.Store()
    store.load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    graph_names = {str(quad.graph_name.value) for quad in store if isinstance(quad.graph_name, pyoxigraph.NamedNode)}
    files = {f"{DEFAULT_BASE}graph/{path}" for path in
             ("sources.yaml", "organisations.yaml", "topics.json", "events/meetings.csv", "events/other.yaml")}
    assert files <= graph_names
    event = pyoxigraph.NamedNode(f"{DEFAULT_BASE}event/meeting-4")
    (quad,) = store.quads_for_pattern(event, pyoxigraph.NamedNode(str(RDFS.label)), None, None)
    assert quad.graph_name == pyoxigraph.NamedNode(f"{DEFAULT_BASE}graph/events/meetings.csv")
    # Each file's graph is described in the default graph: its path and the sha256 of its bytes.
    import hashlib

    digest = hashlib.sha256((SMALL / "events" / "meetings.csv").read_bytes()).hexdigest()
    answer = store.query(
        "SELECT ?sha WHERE { ?g <https://w3id.org/atfgraph/ontology#path> 'events/meetings.csv' ; "
        "<https://w3id.org/atfgraph/ontology#sha256> ?sha }",
        use_default_graph_as_union=False,
    )
    assert [row["sha"].value for row in answer] == [digest]


def test_outputs_are_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        subprocess.run(
            [sys.executable, "-m", "atfgraph", "build", str(SMALL), "-o", str(out), "--format", "ttl,jsonld,nq,nt"],
            check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT,
        )
        outputs.append({path.name: path.read_bytes() for path in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"graph.ttl", "graph.jsonld", "graph.nq", "graph.nt", "report.txt", "report.json"}


def test_building_twice_in_one_process_gives_the_same_bytes(small: Build) -> None:
    again = load(SMALL)
    for fmt in Format:
        assert render(small.store, fmt, small.base) == render(again.store, fmt, again.base)


TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, description=TEXT)
def test_any_text_round_trips_through_every_format(title: str, description: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        records = [
            {"kind": "source", "id": "s", "title": title},
            {"kind": "event", "id": "e", "title": title, "description": description, "sources": ["s"]},
        ]
        (data / "records.json").write_text(json.dumps(records), encoding="utf-8")
        build = load(data)
        assert build.problems == ()
        event = URIRef(f"{DEFAULT_BASE}event/e")
        readers = {
            Format.TTL: lambda text: _oxigraph_graph(text, pyoxigraph.RdfFormat.TURTLE),
            Format.NT: lambda text: _oxigraph_graph(text, pyoxigraph.RdfFormat.N_TRIPLES),
            Format.NQ: lambda text: _oxigraph_graph(text, pyoxigraph.RdfFormat.N_QUADS),
            Format.JSONLD: _pyld_graph,
        }
        for fmt, read in readers.items():
            graph = read(render(build.store, fmt, build.base))
            assert graph.value(event, RDFS.label) == Literal(title), fmt
            assert graph.value(event, ATF.description) == Literal(description), fmt


def test_dataset_parse_of_nquads_by_rdflib_matches(small: Build) -> None:
    """rdflib itself also reads the N-Quads back into the same quads (named graphs included)."""
    dataset = Dataset()
    dataset.parse(data=render(small.store, Format.NQ, small.base), format="nquads")
    assert len(list(dataset.quads((None, None, None, None)))) == len(list(small.store.quads()))


def test_staged_files_appear_together_or_not_at_all(tmp_path: Path) -> None:
    """Each file is written when staged; the targets change only at commit, and an error before it leaves
    them as they were, with no temporary file behind."""
    first, second = tmp_path / "graph.ttl", tmp_path / "graph.nq"
    first.write_text("old ttl", encoding="utf-8")
    with pytest.raises(RuntimeError), StagedFiles() as staged:
        staged.add(first, "new ttl")
        staged.add(second, b"new nq \xc3\xa9")
        raise RuntimeError("a later format failed")
    assert first.read_text(encoding="utf-8") == "old ttl" and not second.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["graph.ttl"]
    with StagedFiles() as staged:
        staged.add(first, "new ttl")
        staged.add(second, b"new nq \xc3\xa9")
        assert first.read_text(encoding="utf-8") == "old ttl"  # staged, not yet in place
        written = staged.commit()
    assert written == [first, second]
    assert first.read_bytes() == b"new ttl" and second.read_text(encoding="utf-8") == "new nq é"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["graph.nq", "graph.ttl"]
    # Readable as any new file is (the umask decides), not private as a temporary file is made.
    umask = os.umask(0o022)
    os.umask(umask)
    assert {path.stat().st_mode & 0o777 for path in (first, second)} == {0o666 & ~umask}


@pytest.mark.parametrize("formats", [(Format.TTL, Format.JSONLD, Format.NQ, Format.NT),
                                     (Format.NQ, Format.NT, Format.JSONLD, Format.TTL)])
def test_one_renderer_for_every_format_gives_each_formats_bytes_and_the_triple_count(
        formats: tuple[Format, ...]) -> None:
    """The sorted runs and triples made once for every format give what each format gives alone, in
    either order, and the triples' number is the store's count of distinct triples."""
    build = load(GOLDEN / "small", store=OxigraphStore())
    with tempfile.TemporaryDirectory() as folder:
        with Renderer(build.store, build.base, formats, Path(folder)) as renderer:
            assert renderer.triple_count is None
            together = {fmt: renderer.render(fmt) for fmt in formats}
            assert any(Path(folder).iterdir())  # its work files
        assert not any(Path(folder).iterdir())  # removed on leaving
    assert together == {fmt: render_bytes(build.store, fmt, build.base) for fmt in formats}
    assert renderer.triple_count == len(build.store) > 0


def test_a_triple_in_two_graphs_is_one_triple_and_two_quads() -> None:
    """The union's triples are merged from each graph's sorted run: a triple stated by two files is written
    once in Turtle and N-Triples, and once per graph in N-Quads; both stores write the same."""
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    first, second = URIRef("https://example.org/g1"), URIRef("https://example.org/g2")
    quads = [(URIRef(f"https://example.org/{name}"), label, Literal(name), graph)
             for name in ("b", "a", "c") for graph in (first, second)]
    quads.append((URIRef("https://example.org/d"), label, Literal("d"), URIRef(str(DATASET_DEFAULT_GRAPH_ID))))
    oxigraph, memory = OxigraphStore(), MemoryStore()
    oxigraph.add(quads)
    memory.add(quads)
    nt = render(oxigraph, Format.NT, DEFAULT_BASE).splitlines()
    nq = render(oxigraph, Format.NQ, DEFAULT_BASE).splitlines()
    assert len(nt) == 4 and nt == sorted(nt)
    assert len(nq) == 7 and nq == sorted(nq) and sum(line.endswith("<https://example.org/g2> .") for line in nq) == 3
    for fmt in (Format.NT, Format.NQ, Format.JSONLD):
        assert render(oxigraph, fmt, DEFAULT_BASE) == render(memory, fmt, DEFAULT_BASE), fmt
    # Turtle's prefix lines differ (rdflib writes those it uses, Oxigraph all it is given): same graph.
    assert isomorphic(Graph().parse(data=render(oxigraph, Format.TTL, DEFAULT_BASE), format="turtle"),
                      Graph().parse(data=render(memory, Format.TTL, DEFAULT_BASE), format="turtle"))


def test_a_build_leaves_no_work_file_in_the_output_folder(tmp_path: Path) -> None:
    result = build(SMALL, tmp_path, store=OxigraphStore(), formats=tuple(Format))
    assert result.written
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in result.written)


def test_writing_every_format_at_once_gives_each_formats_bytes(tmp_path: Path) -> None:
    """JSON-LD written by a second process while this one writes the others: the same bytes as each
    format written alone, the stages told in order, and no work file left."""
    built = load(SMALL, store=OxigraphStore())
    formats = (Format.TTL, Format.JSONLD, Format.NQ, Format.NT)
    told: list[str] = []
    with Renderer(built.store, built.base, formats, tmp_path / "work") as renderer:
        renderer.side_process_from = 0  # a small graph: the second process forced
        renderer.write_all([(fmt, tmp_path / fmt.filename) for fmt in formats], told.append)
    assert {fmt: (tmp_path / fmt.filename).read_bytes() for fmt in formats} == \
        {fmt: render_bytes(built.store, fmt, built.base) for fmt in formats}
    assert told == ["sorting the triples", "writing graph.jsonld (in a second process)", "writing graph.ttl",
                    "writing graph.nq", "writing graph.nt", "waiting for graph.jsonld"]
    assert not any((tmp_path / "work").iterdir())


def test_a_json_ld_file_the_second_process_cannot_write_is_an_output_error_naming_it(tmp_path: Path) -> None:
    built = load(SMALL, store=OxigraphStore())
    target = tmp_path / "missing" / "graph.jsonld"
    with Renderer(built.store, built.base, (Format.NQ, Format.JSONLD), tmp_path) as renderer, \
            pytest.raises(OutputError, match=f"cannot write {target}: .*No such file or directory"):
        renderer.side_process_from = 0  # a small graph: the second process forced
        renderer.write_all([(Format.NQ, tmp_path / "graph.nq"), (Format.JSONLD, target)])


def test_json_ld_is_written_here_when_no_second_process_can_start(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    built = load(SMALL, store=OxigraphStore())

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes left")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    with Renderer(built.store, built.base, (Format.JSONLD, Format.TTL), tmp_path) as renderer:
        renderer.side_process_from = 0  # a small graph: the second process forced
        renderer.write_all([(Format.JSONLD, tmp_path / "graph.jsonld"), (Format.TTL, tmp_path / "graph.ttl")])
    assert (tmp_path / "graph.jsonld").read_bytes() == render_bytes(built.store, Format.JSONLD, built.base)


def test_the_second_process_is_stopped_when_another_format_fails(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    built = load(SMALL, store=OxigraphStore())
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def recorded(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", recorded)
    with Renderer(built.store, built.base, (Format.JSONLD, Format.TTL), tmp_path) as renderer, \
            pytest.raises(OutputError):
        renderer.side_process_from = 0  # a small graph: the second process forced
        renderer.write_all([(Format.JSONLD, tmp_path / "graph.jsonld"), (Format.TTL, tmp_path / "no" / "graph.ttl")])
    assert len(started) == 1 and started[0].returncode is not None  # waited for: not left running


def test_a_build_that_keeps_no_graph_lets_the_store_go_and_still_counts(tmp_path: Path) -> None:
    """Without keep_graph the in-memory store is emptied once the runs are made, before JSON-LD's second
    process starts: the same bytes and the same counts as a build that keeps it."""
    kept = build(SMALL, tmp_path / "kept", store=OxigraphStore())
    store = OxigraphStore()
    let_go = build(SMALL, tmp_path / "let-go", store=store, keep_graph=False)
    assert len(store) == 0  # the store really was let go
    assert let_go.triples == kept.triples == len(kept.build.store) > 0
    assert let_go.per_class() == kept.per_class()
    for fmt in (Format.TTL, Format.JSONLD, Format.NQ):
        assert (tmp_path / "let-go" / fmt.filename).read_bytes() == (tmp_path / "kept" / fmt.filename).read_bytes()


def test_an_on_disk_store_is_never_released(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(UsageError):
        store.release()


def test_a_small_graph_writes_json_ld_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second process costs about half a second to start: below the threshold JSON-LD is written here."""
    built = load(SMALL, store=OxigraphStore())

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("no second process for a small graph")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    told: list[str] = []
    with Renderer(built.store, built.base, (Format.JSONLD, Format.TTL), tmp_path) as renderer:
        assert renderer.side_process_from > len(built.store)
        renderer.write_all([(Format.JSONLD, tmp_path / "graph.jsonld"), (Format.TTL, tmp_path / "graph.ttl")],
                           told.append)
    assert told == ["sorting the triples", "writing graph.jsonld", "writing graph.ttl"]
    assert (tmp_path / "graph.jsonld").read_bytes() == render_bytes(built.store, Format.JSONLD, built.base)


def test_the_second_process_ends_without_writing_when_no_order_comes(tmp_path: Path) -> None:
    """A build that stops before the union is made closes the process's input: it ends, writing nothing."""
    assert write_jsonld_here(io.StringIO("")) == 2
    order = io.StringIO(json.dumps([str(tmp_path / "missing.nt"), str(tmp_path / "graph.jsonld")]) + "\n")
    assert write_jsonld_here(order) == 1
    assert not (tmp_path / "graph.jsonld").exists()


def test_a_second_process_that_fails_leaves_json_ld_to_this_one(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An interpreter that cannot run the writer (here one that exits at once) costs time, not the build."""
    built = load(SMALL, store=OxigraphStore())
    monkeypatch.setattr(export, "_SIDE_PROGRAM", "import sys; sys.exit(3)")
    with Renderer(built.store, built.base, (Format.JSONLD, Format.TTL), tmp_path) as renderer:
        renderer.side_process_from = 0
        renderer.write_all([(Format.JSONLD, tmp_path / "graph.jsonld"), (Format.TTL, tmp_path / "graph.ttl")])
    assert (tmp_path / "graph.jsonld").read_bytes() == render_bytes(built.store, Format.JSONLD, built.base)


def test_a_build_writing_json_ld_beside_lets_the_store_go_and_gives_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's path with the second process (forced on this small graph): the store is let go once the
    process has its input, and every output is what a build keeping its graph writes in turn."""
    kept = build(SMALL, tmp_path / "kept", store=OxigraphStore())
    monkeypatch.setattr(Renderer, "side_process_from", 0)
    stages: list[str] = []
    store = OxigraphStore()
    beside = build(SMALL, tmp_path / "beside", store=store, keep_graph=False, stage=stages.append)
    assert "writing graph.jsonld (in a second process)" in stages
    assert len(store) == 0
    assert beside.triples == kept.triples and beside.per_class() == kept.per_class()
    for fmt in (Format.TTL, Format.JSONLD, Format.NQ):
        assert (tmp_path / "beside" / fmt.filename).read_bytes() == (tmp_path / "kept" / fmt.filename).read_bytes()
