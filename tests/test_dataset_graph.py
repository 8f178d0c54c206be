"""Every fact of the seed page, checked in the BUILT graph (not the record files) with SPARQL ASK.

The facts are written out by hand from ../shared/seeds (the SECI Center's ATTF page); each is one ASK
query over the graph that `atfgraph build` makes of data/.
"""

from __future__ import annotations

import pytest

from atfgraph.loader import Build, load
from tests.conftest import DATA

PREFIXES = """
PREFIX atf: <https://w3id.org/atfgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX topic: <https://w3id.org/atfgraph/topic/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX o: <https://w3id.org/atfgraph/id/organisation/>
PREFIX e: <https://w3id.org/atfgraph/id/event/>
PREFIX d: <https://w3id.org/atfgraph/id/document/>
PREFIX c: <https://w3id.org/atfgraph/id/country/>
PREFIX city: <https://w3id.org/atfgraph/id/city/>
PREFIX s: <https://w3id.org/atfgraph/id/source/>
"""

FACTS = {
    # "Anti-Terrorism Task Force ... Coordinator: Republic of Turkey ... February 2003"
    "the ATTF is a task force of the SECI Center":
        "o:attf a atf:TaskForce ; atf:partOf o:seci-center",
    "Turkey coordinates the ATTF through the Turkish National Police":
        "o:attf atf:coordination [ atf:coordinatingCountry c:TR ; atf:coordinatingAgency o:turkish-national-police ]",
    "the ATTF dates from February 2003":
        "o:attf atf:founded [ atf:dateValue '2003-02'^^xsd:gYearMonth ]",
    # The three sub-groups and their countries.
    "small arms sub-group, Albania":
        "o:attf-subgroup-salw a atf:SubGroup ; atf:partOf o:attf ; atf:coordination/atf:coordinatingCountry c:AL",
    "weapons of mass destruction sub-group, Romania":
        "o:attf-subgroup-wmd a atf:SubGroup ; atf:partOf o:attf ; atf:coordination/atf:coordinatingCountry c:RO",
    "terrorist groups sub-group, Turkey":
        "o:attf-subgroup-terrorist-groups a atf:SubGroup ; atf:partOf o:attf ; "
        "atf:coordination/atf:coordinatingCountry c:TR",
    # "born by merging the task force on ... small and light weapons, coordinated by Albania, and the task
    # force coordinated by Romania on ... nuclear and strategic materials"
    "the ATTF was merged from the two earlier task forces":
        "o:attf atf:mergedFrom o:task-force-small-arms, o:task-force-nuclear-strategic-materials . "
        "o:task-force-small-arms atf:coordination/atf:coordinatingCountry c:AL . "
        "o:task-force-nuclear-strategic-materials atf:coordination/atf:coordinatingCountry c:RO",
    # "The Joint Cooperation Committee, the highest decision body of SECI Center"
    "the JCC is the SECI Center's decision body":
        "o:seci-jcc a atf:DecisionBody ; atf:partOf o:seci-center",
    # "the Bucharest Declaration on the Suppression of Terrorism and the Resolution on assistance ..."
    "the JCC adopted the Bucharest Declaration, about the 11 September attacks":
        "d:bucharest-declaration-suppression-terrorism a atf:Declaration ; atf:adoptedBy o:seci-jcc ; "
        "atf:concerns e:attacks-2001-09-11",
    "the JCC adopted the Resolution on assistance to the investigation":
        "d:resolution-assistance-911-investigation a atf:Resolution ; atf:adoptedBy o:seci-jcc ; "
        "atf:concerns e:attacks-2001-09-11",
    "the attack of 11 September 2001 in the USA":
        "e:attacks-2001-09-11 a atf:Attack ; atf:country c:US ; atf:date [ atf:dateValue '2001-09-11'^^xsd:date ]",
    # "4th Anti-Terrorism Task Force Meeting, 23 October, Bucharest, Romania" — no year.
    "4th meeting, 23 October with no year, Bucharest":
        "e:attf-meeting-4 a atf:Meeting ; atf:series o:attf ; atf:number 4 ; atf:place city:ro-bucharest ; "
        "atf:date [ atf:dateText 'XXXX-10-23' ; atf:dateValue '--10-23'^^xsd:gMonthDay ] . "
        "FILTER NOT EXISTS { e:attf-meeting-4 atf:date/atf:earliest ?any }",
    "5th, 6th and 7th meetings of the series":
        "e:attf-meeting-5 atf:series o:attf ; atf:number 5 . e:attf-meeting-6 atf:number 6 . "
        "e:attf-meeting-7 atf:number 7",
    # "Workshop addressing the links between Terrorism and Organized Crime, 4-5 November 2013, Antalya"
    "Antalya workshop, 4-5 November 2013":
        "e:workshop-terrorism-organised-crime-antalya-2013 a atf:Workshop ; atf:place city:tr-antalya ; "
        "atf:topic topic:terrorism-crime-nexus ; atf:date [ atf:dateText '2013-11-04/2013-11-05' ; "
        "atf:earliest '2013-11-04'^^xsd:date ; atf:latest '2013-11-05'^^xsd:date ]",
    "the regional workshop on countering terrorist financing goes with the 5th meeting":
        "e:workshop-terrorist-financing-belgrade-2011 atf:partOfEvent e:attf-meeting-5 ; "
        "atf:topic topic:terrorist-financing",
    "workshop on dual-use commodities for prosecutors and investigators":
        "e:workshop-dual-use-commodities a atf:Workshop ; atf:topic topic:dual-use-goods",
    "counter-terrorism workshop by the SECI Center with the RCC and UN CTED":
        "e:workshop-counter-terrorism-seci-rcc-cted a atf:Workshop ; atf:organiser o:seci-center ; "
        "atf:partner o:rcc, o:un-cted",
    "joint investigation on small arms between Bosnia and Herzegovina and Serbia":
        "e:joint-investigation-salw-ba-rs a atf:JointInvestigation ; atf:participant c:BA, c:RS ; "
        "atf:topic topic:arms-trafficking",
    "working meeting of SECI Center management with Turkish experts":
        "e:working-meeting-seci-management-turkish-experts a atf:WorkingMeeting",
    "workshop on anti-terrorism, 15-16 October with no year":
        "e:workshop-anti-terrorism-15-16-october a atf:Workshop ; atf:date/atf:dateText 'XXXX-10-15/XXXX-10-16'",
    "the anti-terrorism workshop listed on its own":
        "e:workshop-anti-terrorism a atf:Workshop",
    "training on operations against hijacked planes, Ankara, 2008":
        "e:training-hijacked-planes-ankara-2008 a atf:Training ; atf:place city:tr-ankara ; "
        "atf:topic topic:hijacking ; atf:date [ atf:dateValue '2008'^^xsd:gYear ]",
    "the November 2003 attacks in Istanbul":
        "e:attacks-2003-11-istanbul a atf:Attack ; atf:place city:tr-istanbul ; "
        "atf:date/atf:dateValue '2003-11'^^xsd:gYearMonth",
    "the sub-group on terrorist groups met after the post-blast investigation":
        "e:post-blast-investigation-istanbul-2003 atf:follows e:attacks-2003-11-istanbul ; "
        "atf:topic topic:post-blast-investigation . "
        "e:meeting-subgroup-terrorist-groups-after-istanbul-2003 atf:follows "
        "e:post-blast-investigation-istanbul-2003 ; atf:organiser o:attf-subgroup-terrorist-groups",
    # "7 meetings at international level", "2 working meetings": figures, not events.
    "7 meetings at international level, as a figure of the ATTF":
        "o:attf atf:recordedFigure [ rdfs:label 'meetings at international level' ; atf:value 7 ; "
        "atf:source s:selec-attf-page ]",
    "2 working meetings, as a figure of the ATTF":
        "o:attf atf:recordedFigure [ rdfs:label 'working meetings' ; atf:value 2 ]",
    "the RCC, UN CTED and the Turkish National Police are organisations":
        "o:rcc a atf:Organisation . o:un-cted a atf:Organisation . "
        "o:turkish-national-police a atf:NationalAgency ; atf:country c:TR",
}


@pytest.fixture(scope="module")
def shipped() -> Build:
    build = load(DATA)
    assert [problem for problem in build.problems if problem.severity.value == "violation"] == []
    return build


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_seed_fact_is_in_the_built_graph(shipped: Build, fact: str) -> None:
    result = shipped.store.query(f"{PREFIXES} ASK {{ {FACTS[fact]} }}")
    assert result.boolean is True, fact


def test_every_record_from_the_page_cites_the_page(shipped: Build) -> None:
    result = shipped.store.query(f"""{PREFIXES}
        SELECT ?entity WHERE {{
          VALUES ?entity {{ o:attf o:seci-jcc e:attf-meeting-4 e:workshop-anti-terrorism e:attacks-2003-11-istanbul }}
          FILTER NOT EXISTS {{ ?entity atf:source s:selec-attf-page }}
        }}""")
    assert result.rows == ()

