"""The shipped dataset holds the facts of its sources.

The expectations below are written out by hand from the ATTF page of the SECI Center / SELEC website
(``shared/seeds/000_1cca7fe78177440a.txt``) and from the sourced facts of the research notes
(``shared/design/domain.md``); they are not captured from a run. They are checked against the record
files in ``data/`` read directly with PyYAML and the csv module, so that they hold whatever the reader
does; a later test can check the same facts in the built graph.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
SEED_SOURCE = "selec-attf-page"

# Fields that hold several values, per kind (a CSV cell separates them with ";").
LIST_FIELDS = {
    "organisation": {"alt_names", "part_of", "merged_from", "topics", "sources", "same_as"},
    "event": {"organisers", "participants", "partners", "topics", "documents", "follows", "sources"},
    "document": {"adopted_by", "signatories", "topics", "concerns", "sources"},
    "topic": {"alt_labels", "broader", "sources"},
    "country": {"alt_names", "same_as", "sources"},
    "source": set(),
}
INTEGER_FIELDS = {"number", "credibility"}
DATE_FIELDS = {"date", "founded", "dissolved", "accessed"}


def _csv_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            record: dict[str, Any] = {}
            kind = row["kind"]
            for column, cell in row.items():
                if cell == "":
                    continue
                if "." in column:
                    outer, inner = column.split(".", 1)
                    record.setdefault(outer, {})[inner] = cell
                elif column in LIST_FIELDS[kind]:
                    record[column] = cell.split(";")
                elif column in INTEGER_FIELDS:
                    record[column] = int(cell)
                else:
                    record[column] = cell
            yield record


def _load() -> list[tuple[Path, dict[str, Any]]]:
    records: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted(DATA.rglob("*")):
        if path.suffix in (".yaml", ".yml"):
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
            for record in loaded if isinstance(loaded, list) else [loaded]:
                records.append((path, record))
        elif path.suffix == ".csv":
            records.extend((path, record) for record in _csv_records(path))
    return records


RECORDS = _load()
BY_ID = {record["id"]: record for _, record in RECORDS}


def record(kind: str, record_id: str) -> dict[str, Any]:
    """The record with this id, which must be of this kind."""
    assert record_id in BY_ID, f"no record {record_id!r}"
    found = BY_ID[record_id]
    assert found["kind"] == kind, f"{record_id!r} is a {found['kind']}, not a {kind}"
    return found


def value(found: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (``location.city``), or None when absent."""
    current: Any = found
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current


@dataclass(frozen=True)
class Has:
    """The list field contains at least these values."""

    items: frozenset[str]

    def __init__(self, *items: str) -> None:
        object.__setattr__(self, "items", frozenset(items))


@dataclass(frozen=True)
class Same:
    """The list field holds exactly these values, in any order."""

    items: frozenset[str]

    def __init__(self, *items: str) -> None:
        object.__setattr__(self, "items", frozenset(items))


ABSENT = None

# (kind, id, field path, expected): the facts of the ATTF page.
SEED_FACTS: list[tuple[str, str, str, Any]] = [
    # The task force: coordinator Republic of Turkey through the Turkish National Police, February 2003.
    ("organisation", "attf", "type", "task-force"),
    ("organisation", "attf", "short_name", "ATTF"),
    ("organisation", "attf", "coordinating_country", "TR"),
    ("organisation", "attf", "coordinator", "turkish-national-police"),
    ("organisation", "attf", "founded", "2003-02"),
    ("organisation", "attf", "part_of", Has("seci-center")),
    ("organisation", "turkish-national-police", "type", "national-agency"),
    ("organisation", "turkish-national-police", "country", "TR"),
    # Three sub-groups, each with its coordinating country.
    ("organisation", "attf-subgroup-salw", "type", "sub-group"),
    ("organisation", "attf-subgroup-salw", "part_of", Has("attf")),
    ("organisation", "attf-subgroup-salw", "coordinating_country", "AL"),
    ("organisation", "attf-subgroup-wmd", "type", "sub-group"),
    ("organisation", "attf-subgroup-wmd", "part_of", Has("attf")),
    ("organisation", "attf-subgroup-wmd", "coordinating_country", "RO"),
    ("organisation", "attf-subgroup-terrorist-groups", "type", "sub-group"),
    ("organisation", "attf-subgroup-terrorist-groups", "part_of", Has("attf")),
    ("organisation", "attf-subgroup-terrorist-groups", "coordinating_country", "TR"),
    # Born from merging two task forces, coordinated by Albania and by Romania.
    ("organisation", "attf", "merged_from", Same("task-force-small-arms", "task-force-nuclear-strategic-materials")),
    ("organisation", "task-force-small-arms", "coordinating_country", "AL"),
    ("organisation", "task-force-small-arms", "successor", "attf"),
    ("organisation", "task-force-nuclear-strategic-materials", "coordinating_country", "RO"),
    ("organisation", "task-force-nuclear-strategic-materials", "successor", "attf"),
    # The Joint Cooperation Committee, highest decision body of the SECI Center.
    ("organisation", "seci-jcc", "name", "Joint Cooperation Committee"),
    ("organisation", "seci-jcc", "type", "decision-body"),
    ("organisation", "seci-jcc", "part_of", Has("seci-center")),
    ("organisation", "seci-center", "short_name", "SECI Center"),
    ("organisation", "rcc", "name", "Regional Cooperation Council"),
    ("organisation", "un-cted", "short_name", "CTED"),
    # The declaration and the resolution after 11 September 2001.
    (
        "document",
        "bucharest-declaration-suppression-terrorism",
        "title",
        "Bucharest Declaration on the Suppression of Terrorism",
    ),
    ("document", "bucharest-declaration-suppression-terrorism", "type", "declaration"),
    ("document", "bucharest-declaration-suppression-terrorism", "adopted_by", Same("seci-jcc")),
    ("document", "bucharest-declaration-suppression-terrorism", "date", "2001-09-11/.."),
    ("document", "bucharest-declaration-suppression-terrorism", "concerns", Has("attacks-2001-09-11")),
    ("document", "resolution-assistance-911-investigation", "type", "resolution"),
    ("document", "resolution-assistance-911-investigation", "adopted_by", Same("seci-jcc")),
    ("document", "resolution-assistance-911-investigation", "date", "2001-09-11/.."),
    ("document", "resolution-assistance-911-investigation", "concerns", Same("attacks-2001-09-11")),
    # The attacks and what followed them.
    ("event", "attacks-2001-09-11", "type", "attack"),
    ("event", "attacks-2001-09-11", "date", "2001-09-11"),
    ("event", "attacks-2001-09-11", "location.country", "US"),
    ("event", "attacks-2003-11-istanbul", "type", "attack"),
    ("event", "attacks-2003-11-istanbul", "date", "2003-11"),
    ("event", "attacks-2003-11-istanbul", "location.city", "Istanbul"),
    ("event", "attacks-2003-11-istanbul", "location.country", "TR"),
    ("event", "post-blast-investigation-istanbul-2003", "type", "investigation"),
    ("event", "post-blast-investigation-istanbul-2003", "follows", Same("attacks-2003-11-istanbul")),
    ("event", "post-blast-investigation-istanbul-2003", "topics", Has("post-blast-investigation")),
    ("event", "meeting-subgroup-terrorist-groups-after-istanbul-2003", "type", "meeting"),
    (
        "event",
        "meeting-subgroup-terrorist-groups-after-istanbul-2003",
        "follows",
        Same("post-blast-investigation-istanbul-2003"),
    ),
    (
        "event",
        "meeting-subgroup-terrorist-groups-after-istanbul-2003",
        "organisers",
        Same("attf-subgroup-terrorist-groups"),
    ),
    ("event", "meeting-subgroup-terrorist-groups-after-istanbul-2003", "participants", Has("TR")),
    ("event", "meeting-subgroup-terrorist-groups-after-istanbul-2003", "date", "2003-11/.."),
    # The activities, at the precision the page gives.
    ("event", "attf-meeting-7", "series", "attf"),
    ("event", "attf-meeting-7", "number", 7),
    ("event", "attf-meeting-6", "series", "attf"),
    ("event", "attf-meeting-6", "number", 6),
    ("event", "workshop-dual-use-commodities", "type", "workshop"),
    ("event", "workshop-dual-use-commodities", "topics", Has("dual-use-goods")),
    ("event", "workshop-dual-use-commodities", "date", ABSENT),
    ("event", "workshop-terrorism-organised-crime-antalya-2013", "type", "workshop"),
    ("event", "workshop-terrorism-organised-crime-antalya-2013", "date", "2013-11-04/2013-11-05"),
    ("event", "workshop-terrorism-organised-crime-antalya-2013", "location.city", "Antalya"),
    ("event", "workshop-terrorism-organised-crime-antalya-2013", "location.country", "TR"),
    ("event", "workshop-terrorism-organised-crime-antalya-2013", "topics", Has("terrorism-crime-nexus")),
    ("event", "attf-meeting-5", "series", "attf"),
    ("event", "attf-meeting-5", "number", 5),
    ("event", "workshop-terrorist-financing-belgrade-2011", "type", "workshop"),
    ("event", "workshop-terrorist-financing-belgrade-2011", "part_of", "attf-meeting-5"),
    ("event", "workshop-terrorist-financing-belgrade-2011", "topics", Has("terrorist-financing")),
    ("event", "workshop-counter-terrorism-seci-rcc-cted", "type", "workshop"),
    ("event", "workshop-counter-terrorism-seci-rcc-cted", "organisers", Has("seci-center")),
    ("event", "workshop-counter-terrorism-seci-rcc-cted", "date", ABSENT),
    ("event", "attf-meeting-4", "type", "meeting"),
    ("event", "attf-meeting-4", "series", "attf"),
    ("event", "attf-meeting-4", "number", 4),
    ("event", "attf-meeting-4", "date", "XXXX-10-23"),
    ("event", "attf-meeting-4", "location.city", "Bucharest"),
    ("event", "attf-meeting-4", "location.country", "RO"),
    ("event", "joint-investigation-salw-ba-rs", "type", "joint-investigation"),
    ("event", "joint-investigation-salw-ba-rs", "participants", Same("BA", "RS")),
    ("event", "joint-investigation-salw-ba-rs", "topics", Has("arms-trafficking", "joint-investigations")),
    ("event", "working-meeting-seci-management-turkish-experts", "type", "working-meeting"),
    ("event", "working-meeting-seci-management-turkish-experts", "participants", Has("seci-center", "TR")),
    ("event", "workshop-anti-terrorism-15-16-october", "type", "workshop"),
    ("event", "workshop-anti-terrorism-15-16-october", "date", "XXXX-10-15/XXXX-10-16"),
    ("event", "workshop-anti-terrorism", "type", "workshop"),
    ("event", "workshop-anti-terrorism", "date", ABSENT),
    ("event", "training-hijacked-planes-ankara-2008", "type", "training"),
    ("event", "training-hijacked-planes-ankara-2008", "date", "2008"),
    ("event", "training-hijacked-planes-ankara-2008", "location.city", "Ankara"),
    ("event", "training-hijacked-planes-ankara-2008", "location.country", "TR"),
    ("event", "training-hijacked-planes-ankara-2008", "topics", Has("hijacking", "training")),
]

# The further sourced facts of the research notes.
DOMAIN_FACTS: list[tuple[str, str, str, Any]] = [
    ("event", "attf-meeting-5", "location.city", "Belgrade"),
    ("event", "attf-meeting-5", "location.country", "RS"),
    ("event", "attf-meeting-5", "organisers", Same("un-cted", "seci-center", "rcc", "unodc", "RS")),
    ("event", "attf-meeting-6", "date", "2016-04-05/2016-04-06"),
    ("event", "attf-meeting-6", "location.city", "Bucharest"),
    ("event", "attf-meeting-6", "location.venue", "SELEC headquarters"),
    ("event", "attf-meeting-6", "partners", Same("eubam", "europol", "interpol", "IT", "ES", "NL", "GB", "UA", "fbi")),
    ("event", "attf-meeting-7", "date", "2017-05-04"),
    ("event", "attf-meeting-7", "location.city", "Istanbul"),
    ("event", "attf-meeting-8", "series", "attf"),
    ("event", "attf-meeting-8", "number", 8),
    ("event", "attf-meeting-8", "date", "2022-11-28/2022-11-29"),
    ("event", "attf-meeting-8", "location.city", "Ankara"),
    ("event", "attf-meeting-8", "partners", Has("turkish-national-police")),
    ("event", "attf-meeting-9", "series", "attf"),
    ("event", "attf-meeting-9", "number", 9),
    ("event", "attf-meeting-9", "date", "2024-05-21"),
    ("event", "attf-meeting-9", "location.city", "Bucharest"),
    ("event", "attf-meeting-9", "location.venue", "SELEC headquarters"),
    ("event", "attf-meeting-9", "partners", Has("us-cbp")),
    ("organisation", "fbi", "country", "US"),
    ("organisation", "us-cbp", "country", "US"),
    ("document", "seci-agreement", "type", "agreement"),
    ("document", "seci-agreement", "date", "1999-05-26"),
    ("document", "seci-agreement", "location.city", "Bucharest"),
    (
        "document",
        "seci-agreement",
        "signatories",
        Same("AL", "BA", "BG", "HR", "GR", "HU", "MK", "MD", "RO", "SI", "CS", "TR"),
    ),
    ("document", "selec-convention", "type", "convention"),
    ("document", "selec-convention", "date", "2009-12-09"),
    ("document", "selec-convention", "location.city", "Bucharest"),
    ("organisation", "seci-center", "successor", "selec"),
    ("organisation", "seci-center", "founded", "1999"),
    ("organisation", "selec", "predecessor", "seci-center"),
    ("organisation", "selec", "founded", "2011-10-07"),
    ("organisation", "selec", "seat.city", "Bucharest"),
    ("organisation", "selec", "seat.country", "RO"),
    ("organisation", "attf", "part_of", Has("seci-center", "selec")),
]


def _fact_id(fact: tuple[str, str, str, Any]) -> str:
    return f"{fact[1]}.{fact[2]}"


@pytest.mark.parametrize("fact", SEED_FACTS + DOMAIN_FACTS, ids=_fact_id)
def test_fact_is_in_the_records(fact: tuple[str, str, str, Any]) -> None:
    kind, record_id, path, expected = fact
    actual = value(record(kind, record_id), path)
    if isinstance(expected, Has):
        assert isinstance(actual, list), f"{record_id}.{path} is {actual!r}, not a list"
        assert expected.items <= set(actual), f"{record_id}.{path} lacks {sorted(expected.items - set(actual))}"
    elif isinstance(expected, Same):
        assert isinstance(actual, list), f"{record_id}.{path} is {actual!r}, not a list"
        assert set(actual) == expected.items
    else:
        assert actual == expected


def test_every_seed_record_cites_the_seed_page() -> None:
    seed_ids = {fact[1] for fact in SEED_FACTS}
    missing = sorted(rid for rid in seed_ids if SEED_SOURCE not in BY_ID[rid].get("sources", []))
    assert missing == []


def test_the_attf_has_exactly_three_sub_groups_with_their_countries() -> None:
    sub_groups = {
        found["id"]: found["coordinating_country"]
        for _, found in RECORDS
        if found["kind"] == "organisation" and found.get("type") == "sub-group" and "attf" in found.get("part_of", [])
    }
    assert sorted(sub_groups.values()) == ["AL", "RO", "TR"]
    names = {BY_ID[sid]["name"].lower(): country for sid, country in sub_groups.items()}
    assert any("small arms" in name and country == "AL" for name, country in names.items())
    assert any("weapons of mass destruction" in name and country == "RO" for name, country in names.items())
    assert any("terrorist groups" in name and country == "TR" for name, country in names.items())


@pytest.mark.parametrize(("label", "expected"), [("meetings at international level", 7), ("working meetings", 2)])
def test_the_page_counts_are_figures_of_the_attf(label: str, expected: int) -> None:
    figures = [f for f in record("organisation", "attf").get("figures", []) if f["label"] == label]
    assert [f["value"] for f in figures] == [expected]
    assert figures[0]["sources"] == [SEED_SOURCE]


def test_the_page_counts_are_not_turned_into_events() -> None:
    events = [found for _, found in RECORDS if found["kind"] == "event"]
    assert not any("international level" in found["title"].lower() for found in events)
    # The page names one working meeting; "2 working meetings" is a count, not two more events.
    assert [found["id"] for found in events if found.get("type") == "working-meeting"] == [
        "working-meeting-seci-management-turkish-experts"
    ]


def test_the_counter_terrorism_workshop_involves_the_seci_center_rcc_and_cted() -> None:
    workshop = record("event", "workshop-counter-terrorism-seci-rcc-cted")
    actors = set(workshop.get("organisers", [])) | set(workshop.get("partners", []))
    assert {"seci-center", "rcc", "un-cted"} <= actors


def test_selec_figures_and_members() -> None:
    selec = record("organisation", "selec")
    assert {(f["label"], f["value"]) for f in selec["figures"]} >= {("task forces", 8), ("member states", 11)}
    members = {m if isinstance(m, str) else m["country"] for m in selec["members"]}
    assert members == {"AL", "BA", "BG", "GR", "HU", "MD", "ME", "MK", "RO", "RS", "TR"}


def test_montenegro_is_a_seci_member_in_its_own_right_from_2008() -> None:
    members = [m for m in record("organisation", "seci-center")["members"] if isinstance(m, dict)]
    montenegro = [m for m in members if m["country"] == "ME"]
    assert len(montenegro) == 1 and montenegro[0]["from"] == "2008"
    assert montenegro[0]["sources"]
    assert any(m["country"] == "CS" for m in members)


def test_conflicting_values_are_kept_as_claims() -> None:
    convention = record("document", "selec-convention")
    assert [(c["field"], c["value"]) for c in convention["claims"]] == [("date", "2009-12-01")]
    assert convention["claims"][0]["sources"] == ["serbia-mfa-selec"]
    seci = record("organisation", "seci-center")
    assert {(c["field"], c["value"]) for c in seci["claims"]} == {("founded", "2000-11"), ("founded", "2001")}
    assert all(c["sources"] for c in seci["claims"])


def test_every_event_has_topics_and_every_non_source_record_has_sources() -> None:
    for _, found in RECORDS:
        if found["kind"] == "event":
            assert found.get("topics"), found["id"]
        if found["kind"] != "source":
            assert found.get("sources"), found["id"]
            for cited in found["sources"]:
                assert BY_ID.get(cited, {}).get("kind") == "source", (found["id"], cited)


def test_ids_are_unique() -> None:
    ids = [found["id"] for _, found in RECORDS]
    assert len(ids) == len(set(ids))


def _dates(found: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for name in DATE_FIELDS:
        if name in found:
            yield name, found[name]
    for member in found.get("members", []):
        if isinstance(member, dict):
            for name in ("from", "to"):
                if name in member:
                    yield f"members.{name}", member[name]
    for claim in found.get("claims", []):
        if claim["field"] in DATE_FIELDS:
            yield f"claims.{claim['field']}", claim["value"]


def test_dates_are_strings_not_yaml_dates() -> None:
    # An unquoted 2013-11-04 in YAML becomes a date object and 2008 an integer: both lose the EDTF text.
    wrong = [
        (path.name, found["id"], name, repr(date))
        for path, found in RECORDS
        for name, date in _dates(found)
        if not isinstance(date, str)
    ]
    assert wrong == []
