"""Network views of the shipped data: the entity graph, projections, ego networks, filters, metrics, timeline.

The expectations are worked out by hand from the records in ``data/`` (see the comments), not captured
from a run. Who took part in each event, counting organisers, participants, partners and the organisation
whose meeting series the event belongs to:

* attf-meeting-4: ATTF (series) only
* attf-meeting-5: ATTF; organisers UN CTED, SECI Center, RCC, UNODC, Serbia
* attf-meeting-6: ATTF; organiser SELEC; partners EUBAM, Europol, INTERPOL, IT, ES, NL, GB, UA, FBI
* attf-meeting-7: ATTF, SELEC · attf-meeting-8: ATTF, SELEC, Turkish National Police · attf-meeting-9: ATTF, CBP
* Belgrade workshop (2011): UN CTED, SECI Center, RCC, UNODC, Serbia
* workshop with the RCC and CTED: SECI Center, RCC, UN CTED
* working meeting with Turkish experts: SECI Center, Türkiye
* joint investigation: Bosnia and Herzegovina, Serbia
* sub-group meeting after Istanbul: the sub-group on terrorist groups, SECI Center, Türkiye
* every other event names no actor.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from atfgraph.errors import UsageError
from atfgraph.loader import load
from atfgraph.network import (
    Filters,
    Kind,
    LaneBy,
    Metric,
    Placement,
    View,
    ViewRequest,
    compute,
    cooperation_network,
    ego_network,
    entity_graph,
    parse_bound,
    resolve_entity,
    resolve_topic,
    timeline,
    view_graph,
)
from atfgraph.network.metrics import betweenness_by_component, eigenvector_by_component, simple_graph
from tests.conftest import DATA

ID = "https://w3id.org/atfgraph/id/"
TOPIC = "https://w3id.org/atfgraph/topic/"


def org(name: str) -> str:
    return f"{ID}organisation/{name}"


def country(code: str) -> str:
    return f"{ID}country/{code}"


def event(name: str) -> str:
    return f"{ID}event/{name}"


ATTF = org("attf")


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return load(DATA).store.union()


@pytest.fixture(scope="module")
def entities(rdf: Graph) -> nx.MultiDiGraph:
    return entity_graph(rdf)


@pytest.fixture(scope="module")
def cooperation(entities: nx.MultiDiGraph) -> nx.Graph:
    return view_graph(entities, ViewRequest(View.COOPERATION))


def kinds_of(graph: nx.Graph) -> dict[str, int]:
    counted: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        counted[data["kind"]] = counted.get(data["kind"], 0) + 1
    return counted


# --- the entity graph ---------------------------------------------------------------------------------------------

def test_entity_graph_has_one_node_per_entity(entities: nx.MultiDiGraph) -> None:
    # 18 organisations, 19 events, 4 documents, 14 sources in the records; 5 cities (Bucharest, Belgrade,
    # Antalya, Ankara, Istanbul); 20 countries: the 14 of the SECI Center and SELEC lists (with CS, ME, RS),
    # the partners IT, ES, NL, GB, UA, and US (the 11 September attacks, the FBI and CBP).
    counted = kinds_of(entities)
    assert {kind: counted[kind] for kind in ("organisation", "event", "document", "source", "city", "country")} == {
        "organisation": 18, "event": 19, "document": 4, "source": 14, "city": 5, "country": 20}
    assert counted["topic"] >= 16  # the shipped scheme
    assert all("#" not in node for node in entities), "date, role, figure and claim nodes are never nodes"


def test_node_ids_are_iris_with_short_ids_and_labels(entities: nx.MultiDiGraph) -> None:
    data = entities.nodes[ATTF]
    assert data["short_id"] == "organisation/attf"
    assert data["label"] == "Anti-Terrorism Task Force"
    assert data["short_name"] == "ATTF"
    assert data["kind"] == "organisation" and data["type"] == "TaskForce" and data["type_label"] == "Task force"
    assert data["founded"] == "2003-02" and data["founded_earliest"] == "2003-02-01"
    assert "meetings at international level: 7" in data["figures"]
    assert entities.nodes[country("TR")]["alpha3"] == "TUR"


def test_dates_claims_and_sources_are_attributes(entities: nx.MultiDiGraph) -> None:
    meeting = entities.nodes[event("attf-meeting-4")]
    assert meeting["date"] == "XXXX-10-23" and "earliest" not in meeting and "latest" not in meeting
    belgrade = entities.nodes[event("attf-meeting-5")]
    assert (belgrade["earliest"], belgrade["latest"]) == ("2011-06-29", "2011-06-30")
    assert belgrade["place"] == "Belgrade" and belgrade["series"] == "Anti-Terrorism Task Force"
    assert len(belgrade["sources"]) == len(belgrade["source_iris"]) == 3
    seci = entities.nodes[org("seci-center")]
    assert seci["founded"] == "1999"
    assert any(claim.startswith("founded: 2000-11") for claim in seci["claims"])
    assert None not in seci.values()


def test_roles_are_contracted_into_labelled_edges(entities: nx.MultiDiGraph) -> None:
    coordinates = entities.get_edge_data(country("TR"), ATTF, "coordinates")
    assert coordinates["label"] == "coordinates" and coordinates["role"] == "country"
    assert entities.get_edge_data(org("turkish-national-police"), ATTF, "coordinates")["role"] == "agency"
    member = entities.get_edge_data(country("ME"), org("seci-center"), "memberOf")
    assert member["label"] == "member of" and member["from"] == "2008"
    assert entities.get_edge_data(ATTF, org("seci-center"), "partOf")["label"] == "part of"
    assert entities.get_edge_data(event("attf-meeting-6"), ATTF, "series") is not None
    # A country can be linked to a document twice: it signed it, and it is where it was signed.
    assert set(entities.get_edge_data(f"{ID}document/seci-agreement", country("RO"))) == {"country", "signatory"}


def test_topic_hierarchy_is_one_broader_edge_per_pair(entities: nx.MultiDiGraph) -> None:
    financing = f"{TOPIC}terrorist-financing"
    assert set(entities.get_edge_data(financing, f"{TOPIC}counter-terrorism")) == {"broader"}
    assert entities.get_edge_data(f"{TOPIC}counter-terrorism", financing) is None


# --- the co-operation network -------------------------------------------------------------------------------------

def test_cooperation_network_links_actors_by_shared_events(cooperation: nx.Graph) -> None:
    weight = {frozenset((u, v)): data["weight"] for u, v, data in cooperation.edges(data=True)}
    expected = {
        (org("seci-center"), org("un-cted")): 3,  # 5th meeting, Belgrade workshop, RCC/CTED workshop
        (org("seci-center"), org("rcc")): 3,
        (org("rcc"), org("un-cted")): 3,
        (org("seci-center"), country("RS")): 2,  # 5th meeting, Belgrade workshop
        (org("seci-center"), country("TR")): 2,  # working meeting, sub-group meeting
        (ATTF, org("selec")): 3,  # 6th, 7th and 8th meetings
        (ATTF, org("us-cbp")): 1,
        (ATTF, org("turkish-national-police")): 1,
        (country("BA"), country("RS")): 1,  # the joint investigation
        (country("IT"), country("ES")): 1,  # partners at the 6th meeting
        (org("attf-subgroup-terrorist-groups"), country("TR")): 1,
    }
    for (first, second), shared in expected.items():
        assert weight[frozenset((first, second))] == shared, (first, second)
    assert frozenset((ATTF, country("BA"))) not in weight
    assert frozenset((country("TR"), ATTF)) not in weight  # Türkiye coordinates the ATTF, but shared no event
    # Pairs: 15 (5th meeting) + 55 (6th) + 2 (8th) + 1 (9th) + 1 (working meeting) + 2 (sub-group) + 1 (BA-RS);
    # weights: 15 + 10 + 3 + 55 + 1 + 3 + 1 + 1 + 3 + 1 event-pairs.
    assert cooperation.number_of_edges() == 77
    assert sum(data["weight"] for _, _, data in cooperation.edges(data=True)) == 93
    assert set(cooperation) == {
        ATTF, org("seci-center"), org("selec"), org("un-cted"), org("rcc"), org("unodc"), org("eubam"),
        org("europol"), org("interpol"), org("fbi"), org("us-cbp"), org("turkish-national-police"),
        org("attf-subgroup-terrorist-groups"), country("RS"), country("TR"), country("BA"), country("IT"),
        country("ES"), country("NL"), country("GB"), country("UA"),
    }
    shared = cooperation.edges[org("seci-center"), org("un-cted")]
    assert set(shared["events"]) == {event("attf-meeting-5"), event("workshop-terrorist-financing-belgrade-2011"),
                                     event("workshop-counter-terrorism-seci-rcc-cted")}


def test_top_actor_by_degree_is_the_task_force(cooperation: nx.Graph) -> None:
    metrics = compute(cooperation)
    top = metrics.top(Metric.DEGREE, 1)[0]
    # 5 partners at the 5th meeting, SELEC and 9 partners at the 6th, the police (8th), CBP (9th).
    assert (top.node, top.degree) == (ATTF, 17)
    assert metrics.of(ATTF).weighted_degree == 19
    assert metrics.top(Metric.BETWEENNESS, 1)[0].node == ATTF
    assert len(metrics.components) == 1
    assert sorted(node for group in metrics.communities for node in group) == sorted(cooperation)
    assert compute(cooperation) == metrics, "communities and centralities are deterministic"


def test_eigenvector_centrality_handles_disconnected_graphs() -> None:
    graph = nx.Graph()
    graph.add_edges_from([("hub", "a"), ("hub", "b"), ("hub", "c"), ("a", "b"), ("x", "y")])
    graph.add_node("alone")
    values = eigenvector_by_component(graph)
    assert values["alone"] == 0.0
    assert values["hub"] > values["x"] > 0.0
    assert compute(graph).top(Metric.EIGENVECTOR, 1)[0].node == "hub"


def test_betweenness_per_component_equals_the_whole_graph_measure() -> None:
    graph = nx.Graph()
    nx.add_path(graph, ["a", "b", "c", "d"])
    graph.add_edges_from([("p", "q"), ("q", "r"), ("x", "y")])
    whole = nx.betweenness_centrality(simple_graph(graph), weight="distance")
    assert betweenness_by_component(simple_graph(graph)) == pytest.approx(whole)


def test_actor_topic_graph_is_bipartite(entities: nx.MultiDiGraph) -> None:
    graph = view_graph(entities, ViewRequest(View.TOPICS))
    assert nx.is_bipartite(graph)
    link = graph.edges[ATTF, f"{TOPIC}terrorist-financing"]
    # The ATTF's own record names the topic, and so does the 5th meeting of its series.
    assert link["declared"] is True and link["events"] == (event("attf-meeting-5"),) and link["weight"] == 2
    assert graph.nodes[f"{TOPIC}terrorist-financing"]["bipartite"] == 1


# --- ego networks -------------------------------------------------------------------------------------------------

def test_ego_network_of_the_task_force(entities: nx.MultiDiGraph) -> None:
    ego = view_graph(entities, ViewRequest(View.EGO, entity=ATTF))
    # part of the SECI Center and SELEC; merged from the two earlier task forces (their successor); its three
    # sub-groups; coordinated by Türkiye and the Turkish National Police; the 4th to 9th meetings (series).
    assert set(ego) == {
        ATTF, org("seci-center"), org("selec"), org("task-force-small-arms"),
        org("task-force-nuclear-strategic-materials"), org("attf-subgroup-salw"), org("attf-subgroup-wmd"),
        org("attf-subgroup-terrorist-groups"), country("TR"), org("turkish-national-police"),
        *(event(f"attf-meeting-{number}") for number in range(4, 10)),
    }
    everything = view_graph(entities, ViewRequest(View.EGO, Filters(kinds=frozenset(Kind)), entity=ATTF))
    # The same, plus its 8 topics and 5 sources.
    assert len(everything) == 16 + 8 + 5
    assert set(ego_network(entities, ATTF, depth=0)) == {ATTF}


def test_ego_of_a_missing_entity_is_a_usage_error(entities: nx.MultiDiGraph) -> None:
    with pytest.raises(UsageError, match="not in the graph"):
        ego_network(entities, org("nobody"))
    with pytest.raises(UsageError, match="needs an entity"):
        view_graph(entities, ViewRequest(View.EGO))


# --- filters ------------------------------------------------------------------------------------------------------

def events_in(graph: nx.Graph) -> set[str]:
    return {node.rsplit("/", 1)[-1] for node, data in graph.nodes(data=True) if data["kind"] == "event"}


def test_topic_filter_includes_narrower_topics(entities: nx.MultiDiGraph) -> None:
    trafficking = Filters(topics=frozenset({f"{TOPIC}trafficking"}))
    graph = view_graph(entities, ViewRequest(View.NETWORK, trafficking))
    # No event is tagged "trafficking" itself: the joint investigation is on arms trafficking, the dual-use
    # workshop on dual-use goods (narrower than WMD trafficking, itself narrower than trafficking).
    assert events_in(graph) == {"joint-investigation-salw-ba-rs", "workshop-dual-use-commodities"}
    # Kept around them: the investigation's participants and the organisations tagged with those topics.
    assert set(graph) - {event("joint-investigation-salw-ba-rs"), event("workshop-dual-use-commodities")} == {
        country("BA"), country("RS"), ATTF, org("attf-subgroup-salw"), org("attf-subgroup-wmd"),
        org("task-force-small-arms"), org("task-force-nuclear-strategic-materials")}
    financing = Filters(topics=frozenset({f"{TOPIC}terrorist-financing"}))
    assert events_in(view_graph(entities, ViewRequest(View.NETWORK, financing))) == {
        "attf-meeting-5", "workshop-terrorist-financing-belgrade-2011"}


def test_date_filter_works_on_bounds_and_leaves_out_unknown_years(entities: nx.MultiDiGraph) -> None:
    def dated(start: str, end: str) -> set[str]:
        filters = Filters(start=parse_bound(start, end=False), end=parse_bound(end, end=True))
        return events_in(view_graph(entities, ViewRequest(View.NETWORK, filters)))

    assert dated("2011", "2013") == {"attf-meeting-5", "workshop-terrorist-financing-belgrade-2011",
                                     "workshop-terrorism-organised-crime-antalya-2013"}
    # "2003-11/.." (no earlier than November 2003) counts as its first day.
    assert dated("2003-11", "2003-11") == {"attacks-2003-11-istanbul", "post-blast-investigation-istanbul-2003",
                                           "meeting-subgroup-terrorist-groups-after-istanbul-2003"}
    assert "post-blast-investigation-istanbul-2003" not in dated("2004", "2030")
    assert dated("2008-06", "2008-06") == {"training-hijacked-planes-ankara-2008"}  # "2008" spans the year
    # The 4th meeting (23 October, year unknown) and the undated events pass no date filter.
    assert "attf-meeting-4" not in dated("1900", "2100")
    assert "workshop-dual-use-commodities" not in dated("1900", "2100")
    cooperation = view_graph(entities, ViewRequest(View.COOPERATION, Filters(start=date(2016, 1, 1),
                                                                             end=date(2016, 12, 31))))
    assert cooperation.number_of_nodes() == 11 and cooperation.number_of_edges() == 55  # the 6th meeting only


def test_kind_filter(entities: nx.MultiDiGraph) -> None:
    graph = view_graph(entities, ViewRequest(View.NETWORK, Filters(kinds=frozenset({Kind.COUNTRY}))))
    assert kinds_of(graph) == {"country": 20}
    assert len(view_graph(entities, ViewRequest(View.NETWORK))) == 18 + 20 + 19 + 4


def test_parse_bound() -> None:
    assert parse_bound("2011", end=False) == date(2011, 1, 1)
    assert parse_bound("2011", end=True) == date(2011, 12, 31)
    assert parse_bound("2012-02", end=True) == date(2012, 2, 29)
    assert parse_bound("2012-02-10", end=True) == date(2012, 2, 10)
    for bad in ("11", "2011-13", "2011-02-30", "yesterday"):
        with pytest.raises(UsageError, match="not a date"):
            parse_bound(bad, end=False)
    with pytest.raises(UsageError, match="empty"):
        Filters(start=date(2012, 1, 1), end=date(2011, 1, 1))


def test_entities_and_topics_are_found_by_what_analysts_type(entities: nx.MultiDiGraph) -> None:
    for text in ("ATTF", "attf", "organisation/attf", "organisation:attf", ATTF, "anti-terrorism task force"):
        assert resolve_entity(entities, text) == ATTF, text
    assert resolve_entity(entities, "RS") == country("RS")
    assert resolve_topic(entities, "CFT") == f"{TOPIC}terrorist-financing"
    assert resolve_topic(entities, "Terrorist financing") == f"{TOPIC}terrorist-financing"
    with pytest.raises(UsageError, match="unknown entity 'ATFF'; did you mean 'attf'"):
        resolve_entity(entities, "ATFF")
    with pytest.raises(UsageError, match="unknown topic"):
        resolve_topic(entities, "ATTF")


# --- timeline -----------------------------------------------------------------------------------------------------

def test_timeline_places_events_by_their_bounds(entities: nx.MultiDiGraph) -> None:
    laid = timeline(entities, LaneBy.TOPIC)
    by_event = {item.node.rsplit("/", 1)[-1]: item for item in laid.items}
    assert by_event["attacks-2001-09-11"].placement is Placement.DAY
    fifth = by_event["attf-meeting-5"]
    assert (fifth.placement, fifth.start, fifth.end) == (Placement.SPAN, date(2011, 6, 29), date(2011, 6, 30))
    assert by_event["post-blast-investigation-istanbul-2003"].placement is Placement.OPEN
    assert by_event["training-hijacked-planes-ankara-2008"].end == date(2008, 12, 31)
    assert laid.span == (date(2001, 9, 11), date(2024, 5, 21))


def test_events_with_unknown_year_are_in_their_own_lane(entities: nx.MultiDiGraph) -> None:
    laid = timeline(entities, LaneBy.TYPE)
    unknown = {item.node.rsplit("/", 1)[-1] for item in laid.unknown}
    # Day and month without a year (the 4th meeting, the 15-16 October workshop) and the five undated events.
    assert unknown == {"attf-meeting-4", "workshop-anti-terrorism-15-16-october", "workshop-dual-use-commodities",
                       "workshop-counter-terrorism-seci-rcc-cted", "working-meeting-seci-management-turkish-experts",
                       "joint-investigation-salw-ba-rs", "workshop-anti-terrorism"}
    assert all(item.start is None and item.lane == "Year unknown" for item in laid.unknown)
    assert laid.lanes[-1] == "Year unknown"
    assert all(item.start is not None and item.start.year >= 2001 for item in laid.dated)


# --- other inputs: a CONSTRUCT query's result ---------------------------------------------------------------------

def test_a_construct_result_becomes_a_network(rdf: Graph) -> None:
    result = rdf.query("""
        PREFIX atf: <https://w3id.org/atfgraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        CONSTRUCT { ?event atf:organiser ?actor ; rdfs:label ?label . ?actor rdfs:label ?name }
        WHERE { ?event atf:organiser ?actor ; rdfs:label ?label . ?actor rdfs:label ?name }""")
    assert result.graph is not None
    network = entity_graph(result.graph)  # untyped: kinds come from the IRIs
    assert network.nodes[event("attf-meeting-5")]["kind"] == "event"
    assert network.nodes[country("RS")]["label"] == "Serbia"
    co = cooperation_network(network, roles=("organiser",))
    assert co.edges[org("seci-center"), org("un-cted")]["weight"] == 2  # the 5th meeting, the Belgrade workshop


def test_cooperation_links_of_the_saved_query_keep_their_weight() -> None:
    graph = Graph()
    graph.parse(format="turtle", data=f"""
        @prefix atf: <https://w3id.org/atfgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{country('BA')}> a atf:Country ; rdfs:label "Bosnia and Herzegovina" ; atf:cooperatedWith <{country('RS')}> .
        <{country('RS')}> a atf:Country ; rdfs:label "Serbia" .
        <{country('BA')}#cooperation-country-RS> a atf:CooperationLink ;
            atf:linkedActor <{country('BA')}>, <{country('RS')}> ;
            atf:sharedEvents 1 ; atf:sharedEvent <{event('joint-investigation-salw-ba-rs')}> .
    """)
    network = entity_graph(graph)
    assert set(network) == {country("BA"), country("RS")}
    link = network.get_edge_data(country("BA"), country("RS"), "cooperatedWith")
    assert link["weight"] == 1 and link["events"] == (event("joint-investigation-salw-ba-rs"),)
    co = cooperation_network(network)
    assert co.edges[country("BA"), country("RS")]["weight"] == 1


def test_the_python_example_in_the_docs_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    text = (DATA.parent / "docs" / "network.md").read_text(encoding="utf-8")
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(example.replace('Path("data")', f"Path({str(DATA)!r})"), "network.md", "exec"), {})
    assert capsys.readouterr().out.splitlines()[:2] == ["3", "ATTF 0.587"]
    assert (tmp_path / "cooperation.html").is_file() and (tmp_path / "ego.graphml").is_file()
