"""The README's examples are real: its record examples validate, its error lines are what atfgraph prints."""

from __future__ import annotations

import re

from click.testing import CliRunner

from atfgraph.cli import main
from tests.conftest import ROOT, WriteData

README = (ROOT / "README.md").read_text(encoding="utf-8")

# Records the README's examples refer to without showing them.
STUBS = """
- {kind: organisation, id: seci-center, name: SECI Center, sources: [selec-attf-page]}
- {kind: organisation, id: selec, name: SELEC, sources: [selec-attf-page]}
- {kind: organisation, id: seci-jcc, name: Joint Cooperation Committee, sources: [selec-attf-page]}
- {kind: organisation, id: turkish-national-police, name: Turkish National Police, sources: [selec-attf-page]}
- {kind: organisation, id: old-task-force, name: Old, sources: [selec-attf-page]}
- {kind: organisation, id: new-task-force, name: New, sources: [selec-attf-page]}
- {kind: organisation, id: salw-task-force, name: SALW, sources: [selec-attf-page]}
- {kind: organisation, id: nuclear-task-force, name: Nuclear, sources: [selec-attf-page]}
- {kind: organisation, id: un-cted, name: UN CTED, sources: [selec-attf-page]}
- {kind: source, id: seci-slides-2009, title: Slides}
- {kind: source, id: other-source, title: Other}
- {kind: event, id: attf-meeting-5, title: Fifth, sources: [selec-attf-page], date: "2011"}
- {kind: event, id: istanbul-attacks-2003, title: Attacks, sources: [selec-attf-page], date: "2003-11"}
- {kind: event, id: september-11-attacks, title: Attacks, sources: [selec-attf-page], date: "2001-09-11"}
"""


def _block(language: str, containing: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)
    (found,) = [block for block in blocks if containing in block]
    return str(found)


def test_record_examples_validate(write_data: WriteData) -> None:
    yaml_block = _block("yaml", "kind: source")
    csv_block = _block("csv", "kind,id")
    # The CSV row is the YAML workshop again: give it its own id so both can stand in one folder.
    folder = write_data({"examples.yaml": yaml_block, "stubs.yaml": STUBS,
                         "row.csv": csv_block.replace("antalya-workshop", "antalya-workshop-csv")})
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "0 violation(s), 0 warning(s)" in result.output


def test_every_kind_has_an_example() -> None:
    yaml_block = _block("yaml", "kind: source")
    for kind in ("source", "organisation", "event", "topic", "document", "country"):
        assert f"- kind: {kind}" in yaml_block


def test_error_examples_are_what_atfgraph_prints(write_data: WriteData) -> None:
    folder = write_data({
        "sources.yaml": "- {kind: source, id: page, title: Page}\n",
        "events/activities.yaml": "# an activity\n" * 10 + (
            "- kind: event\n  id: antalya-workshop\n  date: '2013-02-30'\n  title: Workshop\n"
            "  location:\n    country: Tukey\n  sources: [page]\n"),
        "events/attf-meetings.csv": "kind,id,title,number,sources\nevent,attf-meeting-5,Fifth,5,page\n"
                                    "event,attf-meeting-6,Sixth,0,page\n",
    })
    output = CliRunner().invoke(main, ["validate", str(folder)]).output
    example = _block("text", "is not a valid date")
    for line in example.strip().splitlines():
        assert any(printed.startswith(line) for printed in output.splitlines()), (line, output)
