"""Checking and resolving record values: references, countries, topics, members, figures, claims."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atfgraph.errors import Location
from atfgraph.fields import Kind
from atfgraph.namespaces import TOPIC
from atfgraph.normalise import Claim, Entity, Figure, Member, Normaliser, Place, Ref, TopicRef, catalogue_records
from atfgraph.records import Record

TOPICS = {"counter terrorism": TOPIC["counter-terrorism"], "terrorist financing": TOPIC["terrorist-financing"],
          "cft": TOPIC["terrorist-financing"]}


def _record(kind: str, record_id: str, line: int = 1, **fields: object) -> Record:
    return Record(kind, record_id, fields, Location("r.yaml", line), {name: line + 1 for name in fields})


def _normalise(*records: Record) -> tuple[list[Entity], Normaliser, list[str]]:
    catalogue, problems = catalogue_records(records, TOPICS, "https://x/topic/")
    normaliser = Normaliser(catalogue)
    entities = [entity for entity in (normaliser.entity(record) for record in records) if entity is not None]
    messages = [f"{problem.field}: {problem.message}" for problem in [*problems, *normaliser.problems]]
    return entities, normaliser, messages


BASE = [_record("source", "s", title="S"), _record("organisation", "org", line=10, name="Org")]


def test_actors_are_organisations_first_then_countries() -> None:
    event = _record("event", "e", title="E", organisers=["org", "Republic of Turkey", "TR"], sources=["s"])
    entities, _, messages = _normalise(*BASE, event)
    assert messages == []
    organisers = entities[-1].values["organisers"]
    assert organisers[0] == Ref(Kind.ORGANISATION, "org")
    assert organisers[1].alpha2 == organisers[2].alpha2 == "TR"


def test_topics_by_id_label_or_alt_label_any_case() -> None:
    event = _record("event", "e", title="E", topics=["Counter-Terrorism", "CFT", "terrorist financing"])
    entities, _, messages = _normalise(event)
    assert messages == []
    assert entities[0].values["topics"] == (TopicRef(TOPIC["counter-terrorism"]),
                                            TopicRef(TOPIC["terrorist-financing"]),
                                            TopicRef(TOPIC["terrorist-financing"]))


def test_topic_records_join_the_catalogue() -> None:
    topic = _record("topic", "bomb-making", label="Bomb making", alt_labels=["IED manufacture"],
                    broader=["counter-terrorism"])
    event = _record("event", "e", title="E", topics=["IED manufacture", "bomb-making"])
    entities, _, messages = _normalise(topic, event)
    assert messages == []
    assert set(entities[1].values["topics"]) == {TopicRef(__import__("rdflib").URIRef("https://x/topic/bomb-making"))}


def test_members_with_dates_sources_and_checks() -> None:
    organisation = _record("organisation", "centre", name="Centre", members=[
        "AL",
        {"country": "ME", "from": "2008", "sources": ["s"], "description": "own right"},
        {"country": "RO", "from": "2010", "to": "2001"},
        {"country": "AL"},
        {"country": "XX"},
        {"state": "BG"},
    ])
    entities, _, messages = _normalise(BASE[0], organisation)
    members = entities[-1].values["members"]
    assert [member.country.alpha2 for member in members] == ["AL", "ME", "RO"]
    assert members[1] == Member(members[1].country, members[1].start, None, (Ref(Kind.SOURCE, "s"),), "own right", 2)
    assert any("membership ends (2001) before it starts (2010)" in message for message in messages)
    assert any("Albania is listed twice" in message for message in messages)
    assert any("unknown country 'XX'" in message for message in messages)
    assert any("members[5].state: unknown part" in message for message in messages)


def test_figures_need_label_and_whole_number() -> None:
    organisation = _record("organisation", "o", name="O", figures=[
        {"label": "meetings", "value": 7, "sources": ["s"]},
        {"label": "meetings", "value": "many"},
        {"value": 3},
    ])
    entities, _, messages = _normalise(BASE[0], organisation)
    assert entities[-1].values["figures"] == (Figure("meetings", 7, (Ref(Kind.SOURCE, "s"),), None, 2),)
    assert any("figures[1]: expected a whole number" in message for message in messages)
    assert any("figures[2]: a figure needs a label" in message for message in messages)


def test_claims_are_values_of_a_field_with_their_sources() -> None:
    organisation = _record("organisation", "o", name="O", founded="1999", claims=[
        {"field": "founded", "value": "2000-11", "sources": ["s"], "description": "slides"},
        {"field": "founded", "value": "2001"},
        {"field": "fonded", "value": "2001", "sources": ["s"]},
    ])
    entities, _, messages = _normalise(BASE[0], organisation)
    (claim,) = [claim for claim in entities[-1].values["claims"] if claim.sources]
    assert isinstance(claim, Claim) and claim.field.name == "founded" and claim.value.text == "2000-11"
    assert any("claims[1]: a claim needs the sources" in message for message in messages)
    assert any("claims[2]: claims can be made about a plain field" in message and "'founded'" in message
               for message in messages)


def test_places_need_a_country_for_a_city() -> None:
    event = _record("event", "e", title="E", location={"city": "Antalya"})
    other = _record("event", "f", title="F", location="Türkiye")
    entities, _, messages = _normalise(event, other)
    assert "location.city: a city needs its country (location.country)" in messages
    assert entities[1].values["location"] == Place(None, entities[1].values["location"].country, None)


def test_country_records_are_keyed_by_their_country() -> None:
    entities, _, messages = _normalise(_record("country", "Turkey", alt_names=["Türkei"]))
    assert messages == [] and entities[0].id == "TR"


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "E", "credibility": 3}, "credibility: unknown field for a event"),
    ({"title": True}, "title: expected text, got the boolean true"),
    ({"title": "E", "part_of": "s"}, "part_of: 's' is a source, expected a event"),
])
def test_value_errors(fields: dict[str, object], message: str) -> None:
    _, _, messages = _normalise(BASE[0], _record("event", "e", **fields))
    assert any(found.startswith(message) for found in messages), messages


def test_same_as_takes_absolute_iris() -> None:
    _, _, messages = _normalise(_record("organisation", "o", name="O", same_as=["not a url"]))
    assert any(message.startswith("same_as[0]: expected an absolute IRI") for message in messages), messages


def test_credibility_is_graded_one_to_six() -> None:
    _, _, messages = _normalise(_record("source", "s", title="S", credibility=7, reliability="G"))
    assert "credibility: credibility is graded 1 to 6, got 7" in messages
    assert any(message.startswith("reliability: 'G' is not one of A, B, C, D, E, F") for message in messages)


_VALUES = st.sampled_from(["org", "s", "TR", "Turkey", "Atlantis", "nope", "CFT", "counter terrorism", "2004-05",
                           "2004-13-01", "meeting", "workshop", "banquet", "https://example.org/a", "not a url"])
_FIELDS = st.sampled_from(["organisers", "participants", "topics", "date", "sources", "series", "type", "url"])


@given(st.lists(st.dictionaries(_FIELDS, st.one_of(_VALUES, st.lists(_VALUES, max_size=3)), max_size=4),
                min_size=1, max_size=6))
def test_remembered_values_give_what_resolving_each_record_alone_gives(fields: list[dict[str, object]]) -> None:
    """Values resolved once and remembered across records: each record's entity, problems (at its own
    line) and catalogue questions (in the order asked, as the incremental build keeps them) are those a
    normaliser seeing only that record gives."""
    events = [_record("event", f"e{index}", line=100 + 10 * index, title="E", **extra)
              for index, extra in enumerate(fields)]
    catalogue, _ = catalogue_records([*BASE, *events], TOPICS, "https://x/topic/")
    shared = Normaliser(catalogue)
    for event in events:
        alone = Normaliser(catalogue)
        shared.lookups, shared.problems = {}, []
        assert shared.entity(event) == alone.entity(event)
        assert shared.problems == alone.problems
        assert list(shared.lookups.items()) == list(alone.lookups.items())
