"""Splicing subjects' blocks into written outputs gives the bytes the whole-file writers give."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from atfgraph.export import Format, Renderer
from atfgraph.loader import load
from atfgraph.namespaces import PREFIXES, entity_prefixes
from atfgraph.oxstore import OxigraphStore
from atfgraph.splice import NotSpliceable, SubjectQuads, layout, splice
from benchmarks.generate import generate
from tests.conftest import DATA, GOLDEN

FORMATS = (Format.TTL, Format.JSONLD, Format.NQ, Format.NT)


def _write(store: OxigraphStore, base: str, folder: Path) -> dict[Format, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    with Renderer(store, base, FORMATS, folder) as renderer:
        for fmt in FORMATS:
            renderer.write(fmt, folder / fmt.filename)
    return {fmt: folder / fmt.filename for fmt in FORMATS}


def _subjects(store: ox.Store) -> list[str]:
    return sorted({quad.subject.value for quad in store.quads_for_pattern(None, None, None, None)
                   if isinstance(quad.subject, ox.NamedNode)})


def _quads(store: ox.Store, subject: str) -> SubjectQuads:
    return SubjectQuads.of(subject, store.quads_for_pattern(ox.NamedNode(subject), None, None, None))


@pytest.fixture(scope="module", params=["shipped", "small", "generated"])
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[OxigraphStore, str, dict[Format, Path]]:
    """A dataset's store and its outputs, written whole."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "shipped":
        data = DATA
    elif request.param == "small":
        data = GOLDEN / "small"
    else:
        data = folder / "data"
        generate(data, 300, seed=11)
    build = load(data, store=OxigraphStore())
    assert isinstance(build.store, OxigraphStore)
    return build.store, build.base, _write(build.store, build.base, folder / "out")


def _prefixes(base: str) -> dict[str, str]:
    return {**PREFIXES, **entity_prefixes(base)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_block_made_alone_is_the_block_in_the_whole_file(
    written: tuple[OxigraphStore, str, dict[Format, Path]], fmt: Format, tmp_path: Path
) -> None:
    store, base, files = written
    subjects = _subjects(store.store)
    target = tmp_path / "spliced"
    done = splice(files[fmt], target, layout(fmt, _prefixes(base)), [_quads(store.store, s) for s in subjects])
    assert (done.replaced, done.added, done.removed) == (len(subjects), 0, 0)
    assert target.read_bytes() == files[fmt].read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_removing_subjects_gives_the_file_of_the_graph_without_them(
    written: tuple[OxigraphStore, str, dict[Format, Path]], fmt: Format, tmp_path: Path
) -> None:
    """Checked against the whole-file writer run on a second store without those subjects, so the splice
    is held to an independent writing, and then added back to give the first file again."""
    store, base, files = written
    subjects = _subjects(store.store)
    rng = random.Random(fmt.value)
    chosen = [*rng.sample(subjects, 12), subjects[0], subjects[-1]]  # the first and last blocks too
    smaller = OxigraphStore()
    smaller.store.extend(quad for quad in store.store.quads_for_pattern(None, None, None, None)
                         if quad.subject.value not in chosen)
    expected = _write(smaller, base, tmp_path / "smaller")[fmt]

    removed = tmp_path / "removed"
    gone = [SubjectQuads(subject, (), ()) for subject in chosen]
    done = splice(files[fmt], removed, layout(fmt, _prefixes(base)), gone)
    assert done.removed == len(set(chosen))
    assert removed.read_bytes() == expected.read_bytes()

    restored = tmp_path / "restored"
    done = splice(removed, restored, layout(fmt, _prefixes(base)), [_quads(store.store, s) for s in chosen])
    assert done.added == len(set(chosen))
    assert restored.read_bytes() == files[fmt].read_bytes()


def test_a_changed_subject_replaces_its_block(written: tuple[OxigraphStore, str, dict[Format, Path]],
                                               tmp_path: Path) -> None:
    store, base, files = written
    subject = _subjects(store.store)[len(_subjects(store.store)) // 2]
    changed = OxigraphStore()
    changed.store.extend(store.store.quads_for_pattern(None, None, None, None))
    changed.store.add(ox.Quad(ox.NamedNode(subject), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                              ox.Literal('a "new" line\nand a tab\t'), ox.NamedNode(f"{base}graph/extra")))
    expected = _write(changed, base, tmp_path / "changed")
    for fmt in FORMATS:
        target = tmp_path / f"spliced.{fmt.value}"
        done = splice(files[fmt], target, layout(fmt, _prefixes(base)), [_quads(changed.store, subject)])
        assert done.replaced == 1
        assert target.read_bytes() == expected[fmt].read_bytes(), fmt


def test_a_file_not_laid_out_as_written_is_refused(written: tuple[OxigraphStore, str, dict[Format, Path]],
                                                   tmp_path: Path) -> None:
    store, base, files = written
    subject = _quads(store.store, _subjects(store.store)[0])
    edited = tmp_path / "edited.jsonld"
    edited.write_text('{"@context": {}, "@id": "x"}\n', encoding="utf-8")  # one node: no @graph array
    with pytest.raises(NotSpliceable):
        splice(edited, tmp_path / "out", layout(Format.JSONLD, _prefixes(base)), [subject])
    cut = tmp_path / "cut.nq"
    cut.write_bytes(files[Format.NQ].read_bytes()[:-1])  # no final line break
    with pytest.raises(NotSpliceable):
        splice(cut, tmp_path / "out", layout(Format.NQ, _prefixes(base)), [subject])
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    with pytest.raises(NotSpliceable):
        splice(empty, tmp_path / "out", layout(Format.TTL, _prefixes(base)), [subject])
