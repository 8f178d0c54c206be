"""Reading YAML, JSON and CSV records with their lines."""

from __future__ import annotations

from pathlib import Path

from atfgraph.read import find_files, read_file
from tests.conftest import WriteData


def test_yaml_records_keep_record_and_field_lines(write_data: WriteData) -> None:
    folder = write_data({"a.yaml": """
        # a comment
        - kind: event
          id: first
          title: First
          topics:
            - training
            - counter-terrorism
        - kind: event
          id: second
          title: Second
        """})
    content = read_file(folder / "a.yaml", folder)
    assert [record.id for record in content.records] == ["first", "second"]
    first, second = content.records
    assert first.location.line == 2 and second.location.line == 8
    assert first.at("title").line == 4
    assert first.at("topics[1]").line == 7
    assert first.fields["topics"] == ["training", "counter-terrorism"]
    assert content.problems == ()


def test_one_yaml_record_without_a_list(write_data: WriteData) -> None:
    folder = write_data({"one.yml": "kind: source\nid: s\ntitle: T\n"})
    (record,) = read_file(folder / "one.yml", folder).records
    assert (record.kind, record.id, record.location.line) == ("source", "s", 1)


def test_yaml_syntax_error_has_line_and_column(write_data: WriteData) -> None:
    folder = write_data({"bad.yaml": "- kind: event\n  id: x\n  title: [unclosed\n"})
    content = read_file(folder / "bad.yaml", folder)
    (problem,) = content.problems
    assert problem.location.file == "bad.yaml"
    assert problem.location.line >= 3 and problem.location.column > 0
    assert "YAML syntax error" in problem.message


def test_duplicate_yaml_key_is_reported(write_data: WriteData) -> None:
    folder = write_data({"dup.yaml": "- kind: event\n  id: x\n  title: A\n  title: B\n"})
    (problem,) = read_file(folder / "dup.yaml", folder).problems
    assert (problem.location.line, problem.field) == (4, "title")
    assert "given twice" in problem.message


def test_json_list_and_positions(write_data: WriteData) -> None:
    folder = write_data({"e.json": """
        [
          {"kind": "event", "id": "a",
           "title": "A \\"quoted\\" one",
           "topics": ["training",
                      "counter-terrorism"]},
          {"kind": "event", "id": "b", "title": "B"}
        ]
        """})
    first, second = read_file(folder / "e.json", folder).records
    assert first.location.line == 2 and second.location.line == 6
    assert first.at("title").line == 3
    assert first.at("topics[1]").line == 5
    assert first.fields["title"] == 'A "quoted" one'


def test_json_single_record_and_syntax_error(write_data: WriteData) -> None:
    folder = write_data({"one.json": '{"kind": "source", "id": "s", "title": "T"}', "bad.json": '[{"kind": }]'})
    assert read_file(folder / "one.json", folder).records[0].id == "s"
    (problem,) = read_file(folder / "bad.json", folder).problems
    assert (problem.location.line, problem.location.column) == (1, 11)
    assert "JSON syntax error" in problem.message


def test_csv_rows_lists_and_dotted_columns(write_data: WriteData) -> None:
    folder = write_data({"m.csv": """
        kind,id,title,topics,location.city,location.country,number
        event,m5,"Fifth, in Belgrade",terrorist-financing; training,Belgrade,RS,5
        event,m6,Sixth,,,,
        """})
    fifth, sixth = read_file(folder / "m.csv", folder).records
    assert fifth.location.line == 2 and sixth.location.line == 3
    assert fifth.fields["title"] == "Fifth, in Belgrade"
    assert fifth.fields["topics"] == ["terrorist-financing", "training"]
    assert fifth.fields["location"] == {"city": "Belgrade", "country": "RS"}
    assert fifth.fields["number"] == "5"
    assert "location" not in sixth.fields and "topics" not in sixth.fields


def test_csv_row_with_wrong_cell_count(write_data: WriteData) -> None:
    folder = write_data({"m.csv": "kind,id,title\nevent,a,A\nevent,b\n"})
    content = read_file(folder / "m.csv", folder)
    assert [record.id for record in content.records] == ["a"]
    (problem,) = content.problems
    assert problem.location.line == 3 and "2 cells" in problem.message


def test_files_found_recursively_in_order_skipping_hidden(write_data: WriteData) -> None:
    folder = write_data({"b.yaml": "", "a/c.csv": "", "a/d.json": "[]", ".hidden/x.yaml": "", "notes.txt": ""})
    names = [path.relative_to(folder).as_posix() for path in find_files(folder)]
    assert names == ["a/c.csv", "a/d.json", "b.yaml"]


def test_file_identity_is_relative_path_and_sha256(write_data: WriteData) -> None:
    import hashlib

    folder = write_data({"sub/s.yaml": "- kind: source\n  id: s\n  title: T\n"})
    content = read_file(folder / "sub" / "s.yaml", folder)
    assert content.file.path == "sub/s.yaml"
    assert content.file.sha256 == hashlib.sha256(Path(folder / "sub" / "s.yaml").read_bytes()).hexdigest()
