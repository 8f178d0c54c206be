"""Incremental builds: unchanged files are reused, the outputs equal a clean build's, references are followed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atfgraph.errors import OutputError
from atfgraph.export import Format, render
from atfgraph.incremental import load_incremental
from atfgraph.loader import load
from atfgraph.oxstore import OxigraphStore
from atfgraph.store import MemoryStore, Store
from tests.conftest import DATA, GOLDEN


def _outputs(store: Store, base: str) -> dict[Format, str]:
    return {fmt: render(store, fmt, base) for fmt in (Format.NQ, Format.TTL)}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


@pytest.mark.parametrize("store_kind", [MemoryStore, OxigraphStore])
def test_a_one_record_change_remaps_one_file_and_equals_a_clean_build(
    data: Path, tmp_path: Path, store_kind: type[Store]
) -> None:
    cache = tmp_path / "cache"
    first, reuse = load_incremental(data, cache, store=store_kind())
    assert (reuse.reused, reuse.mapped) == (0, 6)
    again, reuse = load_incremental(data, cache, store=store_kind())
    assert (reuse.reused, reuse.mapped) == (6, 0)
    assert _outputs(again.store, again.base) == _outputs(first.store, first.base)
    assert again.locations == first.locations and again.entities == first.entities
    assert again.records == first.records

    attacks = data / "events" / "attacks.yaml"
    attacks.write_text(attacks.read_text(encoding="utf-8").replace("Istanbul", "İstanbul", 1), encoding="utf-8")
    changed, reuse = load_incremental(data, cache, store=store_kind())
    assert (reuse.reused, reuse.mapped) == (5, 1)
    clean = load(data, store=store_kind())
    assert _outputs(changed.store, changed.base) == _outputs(clean.store, clean.base)
    assert changed.problems == clean.problems


def test_a_file_is_remapped_when_an_id_it_refers_to_changes_kind(write_data: object, tmp_path: Path) -> None:
    folder = tmp_path / "small"
    shutil.copytree(GOLDEN / "small", folder)
    cache = tmp_path / "cache"
    load_incremental(folder, cache)
    # The meetings refer to the organisation "centre"; make "centre" a source instead: the unchanged
    # meetings file must be mapped again, and now reports the wrong kind.
    organisations = folder / "organisations.yaml"
    text = organisations.read_text(encoding="utf-8")
    organisations.write_text(text.replace("id: centre\n", "id: centre-renamed\n", 1), encoding="utf-8")
    (folder / "extra.yaml").write_text("- {kind: source, id: centre, title: Not an organisation}\n",
                                       encoding="utf-8")
    build, reuse = load_incremental(folder, cache)
    assert reuse.mapped >= 3  # organisations.yaml, extra.yaml, and the files that refer to "centre"
    clean = load(folder)
    assert build.problems == clean.problems
    assert any("'centre' is a source, expected a organisation" in problem.message for problem in build.problems)


def test_the_cache_depends_on_the_ontology(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    load_incremental(data, cache)
    monkeypatch.setattr("atfgraph.incremental.CACHE_FORMAT", 999)
    _, reuse = load_incremental(data, cache)
    assert reuse.reused == 0


def test_entries_of_deleted_files_are_forgotten(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_incremental(data, cache)
    entries = sorted(cache.rglob("*.pickle"))
    (data / "documents.yaml").unlink()
    load_incremental(data, cache)
    assert len(sorted(cache.rglob("*.pickle"))) == len(entries) - 1


def test_files_with_problems_are_not_cached(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "e.yaml").write_text("- {kind: event, id: a}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first, _ = load_incremental(folder, cache)
    again, reuse = load_incremental(folder, cache)
    assert reuse.reused == 0 and again.problems == first.problems != ()


@pytest.mark.parametrize("store_kind", [MemoryStore, OxigraphStore])
def test_mapping_in_two_processes_gives_a_sequential_builds_outputs(data: Path, store_kind: type[Store]) -> None:
    parallel, reuse = load_incremental(data, None, store=store_kind(), jobs=2)
    sequential = load(data, store=store_kind())
    assert (reuse.reused, reuse.mapped) == (0, 6)
    assert _outputs(parallel.store, parallel.base) == _outputs(sequential.store, sequential.base)
    assert parallel.problems == sequential.problems
    assert parallel.locations == sequential.locations and parallel.records == sequential.records


def test_files_with_problems_mapped_in_processes_report_them(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(GOLDEN / "small", folder)
    (folder / "bad.yaml").write_text("- {kind: event, id: broken, title: B, date: '2013-02-30'}\n",
                                     encoding="utf-8")
    parallel, _ = load_incremental(folder, tmp_path / "cache", jobs=2)
    sequential = load(folder)
    assert parallel.problems == sequential.problems
    assert any("February 2013 has no day 30" in problem.message for problem in parallel.problems)



def test_a_changed_file_maps_only_its_changed_records_wherever_they_moved(data: Path, tmp_path: Path) -> None:
    """A record inserted at the top of a file moves every other record down: they are not mapped again,
    yet every location (the lines problems point at) is the clean build's."""
    cache = tmp_path / "cache"
    load_incremental(data, cache, store=OxigraphStore())
    sources = data / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    first = text.index("- kind:")
    sources.write_text(text[:first] + "- kind: source\n  id: a-new-source\n  title: A new source\n"
                       "  publisher: Someone\n\n" + text[first:], encoding="utf-8")
    changed, reuse = load_incremental(data, cache, store=OxigraphStore())
    clean = load(data, store=OxigraphStore())
    assert (reuse.mapped, reuse.records_mapped) == (1, 1)
    assert _outputs(changed.store, changed.base) == _outputs(clean.store, clean.base)
    assert changed.locations == clean.locations and changed.records == clean.records
    assert changed.entities == clean.entities and changed.problems == clean.problems
    moved = [record for record in clean.records.values() if record.location.file == "sources.yaml"]
    assert moved and all(record.location.line > 5 for record in moved if record.id != "a-new-source")


def test_a_file_changed_but_not_its_records_maps_no_record(write_data: object, tmp_path: Path) -> None:
    folder = tmp_path / "small"
    shutil.copytree(GOLDEN / "small", folder)
    cache = tmp_path / "cache"
    load_incremental(folder, cache)
    meetings = next(path for path in sorted(folder.rglob("*")) if path.is_file() and "centre" in
                    path.read_text(encoding="utf-8") and path.name != "organisations.yaml")
    meetings.write_text(meetings.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # changed, records not
    _, reuse = load_incremental(folder, cache)
    assert reuse.records_mapped == 0


def test_a_record_that_lost_its_id_to_an_earlier_file_is_not_reused(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_incremental(data, cache, store=OxigraphStore())
    (data / "a-first.yaml").write_text("- kind: source\n  id: selec-attf-page\n  title: The same id, first\n"
                                       "  publisher: Someone\n", encoding="utf-8")
    (data / "sources.yaml").write_text((data / "sources.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed, _ = load_incremental(data, cache, store=OxigraphStore())
    clean = load(data, store=OxigraphStore())
    assert any("duplicate id 'selec-attf-page'" in problem.message for problem in changed.problems)
    assert changed.problems == clean.problems
    assert _outputs(changed.store, changed.base) == _outputs(clean.store, clean.base)
    assert changed.locations == clean.locations and changed.records == clean.records


@settings(max_examples=300, deadline=None)
@given(st.tuples(st.text(max_size=3), st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3)),
       st.tuples(st.text(max_size=3), st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3)))
def test_records_have_the_same_content_digest_only_when_they_say_the_same(
    first: tuple[str, dict[str, str]], second: tuple[str, dict[str, str]]
) -> None:
    """Separators in the text (":" and digits included) cannot make two different records read the same."""
    from atfgraph.errors import Location
    from atfgraph.incremental import _content
    from atfgraph.records import Record

    one = Record("event", first[0], first[1], Location("a.csv", 1))
    other = Record("event", second[0], second[1], Location("b.csv", 9))
    assert (_content(one) == _content(other)) == (first == second and list(first[1]) == list(second[1]))


def test_an_entry_that_cannot_be_written_fails_the_load(data: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are written on a thread of their own: its error must reach the caller, not vanish with it."""
    def refuse(path: Path, entry: object) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("atfgraph.incremental._write_entry", refuse)
    with pytest.raises(OutputError, match=r"cannot write the cache entry .*\.pickle: No space left on device"):
        load_incremental(data, tmp_path / "cache", store=OxigraphStore())
