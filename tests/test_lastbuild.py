"""Cached builds rewrite only the changed blocks of their outputs, and give a clean build's bytes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from atfgraph.export import Format
from atfgraph.oxstore import OxigraphStore
from atfgraph.pipeline import BuildResult, build
from atfgraph.stats import per_class
from atfgraph.store import MemoryStore
from tests.conftest import DATA

FORMATS = (Format.TTL, Format.JSONLD, Format.NQ, Format.NT)
FILES = (*(fmt.filename for fmt in FORMATS), "report.txt", "report.json")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def _build(data: Path, out: Path, cache: Path | None, formats: tuple[Format, ...] = FORMATS,
           keep_graph: bool = True, jobs: int = 1) -> tuple[BuildResult, list[str]]:
    stages: list[str] = []
    result = build(data, out, formats, store=OxigraphStore(), cache_dir=cache, stage=stages.append,
                   keep_graph=keep_graph, jobs=jobs)
    return result, stages


def _same_as_clean(data: Path, out: Path, tmp_path: Path, formats: tuple[Format, ...] = FORMATS) -> BuildResult:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    result, _ = _build(data, clean, None, formats)
    assert result.report.conforms
    for name in (*(fmt.filename for fmt in formats), "report.txt", "report.json"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    return result


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _updated(stages: list[str]) -> list[str]:
    return [stage.split()[1] for stage in stages if stage.startswith("updating ")]


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a description", lambda data: _edit(data / "documents.yaml", "title: ", "title: Revised ")),
    ("a city (the places graph)", lambda data: _edit(data / "events" / "attacks.yaml", "Istanbul", "İstanbul")),
    ("a new file naming a new country (the ISO 3166 graph)", lambda data: (data / "more.yaml").write_text(
        "- kind: source\n  id: extra-source\n  title: An extra source\n  publisher: A publisher\n"
        "- kind: event\n  id: extra-event\n  title: A meeting in Japan\n  type: meeting\n  date: '2010-05'\n"
        "  location: {city: Tokyo, country: JP}\n  sources: [extra-source]\n", encoding="utf-8")),
    ("a record removed", lambda data: _drop_first_record(data / "documents.yaml")),
    ("a removed file (and its country)", lambda data: (data / "more.yaml").unlink()),
]


def _drop_first_record(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.index("- kind:")
    second = text.index("- kind:", first + 1)
    path.write_text(text[:first] + text[second:], encoding="utf-8")


@pytest.mark.parametrize(("keep_graph", "jobs"), [(True, 1), (False, 1), (False, 2)],
                         ids=["whole store", "changes only", "changes only, two processes"])
def test_a_series_of_changes_is_spliced_and_equals_clean_builds(data: Path, tmp_path: Path, keep_graph: bool,
                                                                jobs: int) -> None:
    """With the whole graph kept in the store, it is loaded and validated whole and only the writing is
    spliced; without, only the changes are loaded and the nodes they can affect validated."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    first, stages = _build(data, out, cache, keep_graph=keep_graph, jobs=jobs)
    assert first.report.conforms and _updated(stages) == []  # nothing to update yet: written whole
    for name, edit in EDITS:
        edit(data)
        result, stages = _build(data, out, cache, keep_graph=keep_graph, jobs=jobs)
        assert result.report.conforms, name
        assert _updated(stages) == [fmt.filename for fmt in FORMATS], name
        assert any(stage.startswith("checking the nodes") for stage in stages) is not keep_graph, name
        clean = _same_as_clean(data, out, tmp_path)
        # The counts carried over from the last build, checked against the clean build's store.
        assert result.triples == len(clean.build.store), name
        assert result.per_class() == per_class(clean.build.store), name


def test_an_unchanged_rebuild_changes_no_block(data: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(data, out, cache)
    before = {name: (out / name).read_bytes() for name in FILES}
    _, stages = _build(data, out, cache)
    assert any(stage.startswith("updating graph.ttl (0 subjects") for stage in stages)
    assert {name: (out / name).read_bytes() for name in FILES} == before


def test_an_output_edited_by_hand_is_written_whole(data: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(data, out, cache)
    (out / "graph.ttl").write_text("# someone's notes\n", encoding="utf-8")
    (out / "graph.nq").unlink()
    _edit(data / "documents.yaml", "title: ", "title: Revised ")
    _, stages = _build(data, out, cache)
    assert _updated(stages) == ["graph.jsonld", "graph.nt"]
    _same_as_clean(data, out, tmp_path)


def test_another_output_folder_or_new_format_is_written_whole(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(data, tmp_path / "one", cache, (Format.TTL,))
    _, stages = _build(data, tmp_path / "two", cache, (Format.TTL,))
    assert _updated(stages) == []
    _edit(data / "documents.yaml", "title: ", "title: Revised ")
    _, stages = _build(data, tmp_path / "two", cache, (Format.TTL, Format.NQ))
    assert _updated(stages) == ["graph.ttl"]  # N-Quads were not written there last time
    _same_as_clean(data, tmp_path / "two", tmp_path, (Format.TTL, Format.NQ))


def test_a_failed_build_leaves_outputs_and_state_for_the_next(data: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(data, out, cache)
    good = {name: (out / name).read_bytes() for name in FILES}
    events = data / "events" / "attacks.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text + "\n- kind: event\n  id: broken-event\n  title: Broken\n  date: '2013-02-30'\n",
                      encoding="utf-8")
    failed, _ = _build(data, out, cache)
    assert not failed.report.conforms and failed.written == ()
    assert {name: (out / name).read_bytes() for name in FILES} == good
    events.write_text(text.replace("Istanbul", "İstanbul", 1), encoding="utf-8")
    result, stages = _build(data, out, cache)
    assert result.report.conforms and _updated(stages) == [fmt.filename for fmt in FORMATS]
    _same_as_clean(data, out, tmp_path)


def test_a_state_from_an_interrupted_build_is_not_trusted(data: Path, tmp_path: Path) -> None:
    """The state is removed before the outputs are replaced: a build stopped there leaves none."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(data, out, cache)
    for state in cache.rglob("state.json"):
        state.unlink()
    _edit(data / "documents.yaml", "title: ", "title: Revised ")
    _, stages = _build(data, out, cache)
    assert _updated(stages) == []
    _same_as_clean(data, out, tmp_path)


def test_an_rdflib_store_writes_whole_files(data: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(data, out, (Format.TTL,), store=MemoryStore(), cache_dir=cache)
    stages: list[str] = []
    build(data, out, (Format.TTL,), store=MemoryStore(), cache_dir=cache, stage=stages.append)
    assert _updated(stages) == [] and not list(cache.rglob("state.json"))


def _unit(name: str, part_of: str) -> str:
    return (f"- kind: organisation\n  id: {name}\n  name: Unit {name}\n  type: sub-group\n  part_of: [{part_of}]\n"
            f"  sources: [selec-attf-page]\n")


def _reports_agree(data: Path, out: Path, cache: Path, tmp_path: Path) -> BuildResult:
    result, stages = _build(data, out, cache, keep_graph=False)
    assert any(stage.startswith("checking the nodes") for stage in stages)  # validated in part
    clean, _ = _build(data, tmp_path / "clean", None)
    assert result.report.to_json() == clean.report.to_json()
    assert result.report.to_text() == clean.report.to_text()
    return result


def test_a_change_that_closes_a_cycle_reports_nodes_of_unchanged_files(data: Path, tmp_path: Path) -> None:
    """y-unit's file does not change, but its node is on the cycle that x-unit's change closes: a scoped
    validation must find it there (through the chain of atf:partOf), and forget it once the cycle opens."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    (data / "x.yaml").write_text(_unit("x-unit", "attf-subgroup-salw"), encoding="utf-8")
    (data / "y.yaml").write_text(_unit("y-unit", "x-unit"), encoding="utf-8")
    assert _build(data, out, cache, keep_graph=False)[0].report.conforms
    good = (out / "report.json").read_bytes()

    (data / "x.yaml").write_text(_unit("x-unit", "y-unit"), encoding="utf-8")
    failed = _reports_agree(data, out, cache, tmp_path)
    assert {problem.record_id for problem in failed.report.violations} == {"x-unit", "y-unit"}
    assert (out / "report.json").read_bytes() == good  # a failed build writes nothing

    (data / "x.yaml").write_text(_unit("x-unit", "attf"), encoding="utf-8")
    assert _reports_agree(data, out, cache, tmp_path).report.conforms
    _same_as_clean(data, out, tmp_path)


def test_a_change_of_class_reports_the_nodes_that_refer_to_it(data: Path, tmp_path: Path) -> None:
    """An event in an unchanged file names a country; once the country's node loses its class (its
    ISO 3166 graph is a reference graph any build rewrites), the event's sh:class result is two steps away."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    (data / "x.yaml").write_text(_unit("x-unit", "attf-subgroup-salw"), encoding="utf-8")
    assert _build(data, out, cache, keep_graph=False)[0].report.conforms
    (data / "x.yaml").write_text(_unit("x-unit", "selec-attf-page"), encoding="utf-8")  # a source, not a unit
    failed = _reports_agree(data, out, cache, tmp_path)
    assert not failed.report.conforms


def test_a_second_build_on_the_same_cache_waits_for_the_first(data: Path, tmp_path: Path) -> None:
    import threading

    from atfgraph.incremental import locked

    cache = tmp_path / "cache"
    stages: list[str] = []
    finished = threading.Event()

    def second() -> None:
        build(data, tmp_path / "out", (Format.NQ,), store=OxigraphStore(), cache_dir=cache, stage=stages.append)
        finished.set()

    with locked(cache):  # a first build holds the cache
        thread = threading.Thread(target=second)
        thread.start()
        assert not finished.wait(1.0)  # the second waits for it ...
        assert stages and stages[0].startswith("waiting for another build using the cache")
    thread.join(timeout=120)
    assert finished.is_set()  # ... and goes on once it is done
    assert (tmp_path / "out" / "graph.nq").is_file()


def test_a_cache_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from atfgraph.cli import main

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(DATA), "-o", str(tmp_path / "out"), "--cache",
                                       str(blocker / "cache")])
    assert result.exit_code == 1
    assert f"cannot use the cache folder {blocker / 'cache'}: Not a directory" in result.output
    assert not (tmp_path / "out").exists()


def test_a_state_that_cannot_be_kept_leaves_the_outputs_and_says_so(data: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from atfgraph import lastbuild
    from atfgraph.cli import main

    out, cache = tmp_path / "out", tmp_path / "cache"

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lastbuild, "_finish", full)
    result = CliRunner().invoke(main, ["build", str(data), "-o", str(out), "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    assert "the cache's state could not be kept" in result.output and "No space left on device" in result.output
    assert not list(cache.rglob("state.json"))
    monkeypatch.undo()
    _edit(data / "documents.yaml", "title: ", "title: Revised ")
    _, stages = _build(data, out, cache, keep_graph=False)
    assert _updated(stages) == []  # no state: written whole, and right
    _same_as_clean(data, out, tmp_path, (Format.TTL, Format.JSONLD, Format.NQ))
