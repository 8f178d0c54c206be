"""Synthetic record sets of the shipped data's shape, for benchmarks.

A realistic mix per 1,000 events: 50 organisations (task forces with coordinators and members), 20
sources, 10 documents; events spread over CSV files of 10,000 rows, with every date precision the record
format allows (days, intervals, months, years, unknown years, approximate and uncertain), countries by code
and by name, topics by id and by label, and references between events.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import yaml

COUNTRIES = ["AL", "BA", "BG", "GR", "HU", "MD", "ME", "MK", "RO", "RS", "TR", "Türkiye", "Romania",
             "Republic of Albania", "FYR Macedonia", "Serbia and Montenegro", "US", "GB", "IT", "ES"]
TOPICS = ["counter-terrorism", "terrorist-financing", "Terrorist groups", "terrorism-crime-nexus",
          "post-blast-investigation", "hijacking", "arms-trafficking", "SALW", "wmd-trafficking",
          "dual-use-goods", "organised-crime", "joint-investigations", "training", "information-exchange"]
EVENT_TYPES = ["meeting", "working-meeting", "workshop", "training", "conference", "investigation",
               "joint-investigation", "operation", "attack"]
CITIES = {"AL": "Tirana", "BA": "Sarajevo", "BG": "Sofia", "RO": "Bucharest", "RS": "Belgrade", "TR": "Ankara"}
EVENT_COLUMNS = ["kind", "id", "title", "type", "date", "location.city", "location.country", "series", "number",
                 "organisers", "participants", "partners", "topics", "follows", "sources", "description"]


def _date(rng: random.Random) -> str:
    year = rng.randint(2001, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    form = rng.random()
    if form < 0.45:
        return f"{year}-{month:02d}-{day:02d}"
    if form < 0.60:
        return f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-{min(day + 2, 28):02d}"
    if form < 0.75:
        return f"{year}-{month:02d}"
    if form < 0.85:
        return str(year)
    if form < 0.90:
        return f"XXXX-{month:02d}-{day:02d}"
    if form < 0.95:
        return f"{year}~"
    return f"{year}?"


def generate(folder: Path, events: int, seed: int = 7) -> None:
    """Write a data folder with ``events`` events and the organisations, sources and documents they cite."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    organisations = max(events // 20, 5)
    sources = max(events // 50, 3)
    documents = max(events // 100, 2)
    source_records = [
        {"kind": "source", "id": f"source-{n}", "title": f"Report number {n}", "publisher": "Synthetic press",
         "url": f"https://example.org/reports/{n}", "accessed": "2026-11", "reliability": rng.choice("ABCDEF"),
         "credibility": rng.randint(1, 6)}
        for n in range(sources)
    ]
    organisation_records = []
    for n in range(organisations):
        record: dict[str, object] = {"kind": "organisation", "id": f"org-{n}", "name": f"Organisation {n}",
                  "type": rng.choice(["task-force", "national-agency", "international-organisation"]),
                  "topics": rng.sample(TOPICS, 2), "sources": [f"source-{rng.randrange(sources)}"]}
        if n and record["type"] == "task-force":
            record["coordinating_country"] = rng.choice(COUNTRIES)
            record["part_of"] = [f"org-{rng.randrange(n)}"]
            record["members"] = [{"country": code, "from": str(rng.randint(1999, 2010))}
                                 for code in rng.sample(COUNTRIES[:11], 3)]
            record["founded"] = _date(rng)
        organisation_records.append(record)
    document_records = [
        {"kind": "document", "id": f"doc-{n}", "title": f"Declaration {n}", "type": "declaration",
         "date": _date(rng), "adopted_by": [f"org-{rng.randrange(organisations)}"], "topics": rng.sample(TOPICS, 1),
         "sources": [f"source-{rng.randrange(sources)}"]}
        for n in range(documents)
    ]
    (folder / "sources.yaml").write_text(yaml.safe_dump(source_records, allow_unicode=True), encoding="utf-8")
    (folder / "organisations.yaml").write_text(yaml.safe_dump(organisation_records, allow_unicode=True),
                                               encoding="utf-8")
    (folder / "documents.yaml").write_text(yaml.safe_dump(document_records, allow_unicode=True), encoding="utf-8")
    events_dir = folder / "events"
    events_dir.mkdir(exist_ok=True)
    chunk = 10_000
    for start in range(0, events, chunk):
        with (events_dir / f"events-{start // chunk:04d}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(EVENT_COLUMNS)
            for n in range(start, min(start + chunk, events)):
                country = rng.choice(COUNTRIES[:11])
                writer.writerow([
                    "event", f"event-{n}", f"Event {n}: meeting on \"cooperation\"", rng.choice(EVENT_TYPES),
                    _date(rng), CITIES.get(country, ""), country, f"org-{rng.randrange(organisations)}",
                    rng.randint(1, 40), f"org-{rng.randrange(organisations)}",
                    ";".join(rng.sample(COUNTRIES, 2)), f"org-{rng.randrange(organisations)}",
                    ";".join(rng.sample(TOPICS, 2)), f"event-{rng.randrange(n)}" if n and rng.random() < 0.2 else "",
                    f"source-{rng.randrange(sources)}", "Synthetic event for benchmarks.",
                ])
