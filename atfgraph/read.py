"""Reading record files (YAML, JSON, CSV) into :class:`Record` objects with line numbers.

This module knows file formats, not RDF. Every syntax or shape problem becomes a :class:`Problem` with the
file, line and column, and reading goes on with the next record or file, so one run reports everything.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from atfgraph.errors import Location, Problem, UsageError, relative_name
from atfgraph.fields import FIELDS, FieldType, Kind
from atfgraph.records import InputFile, Record

SUFFIXES = (".yaml", ".yml", ".json", ".csv")
LIST_SEPARATOR = ";"

# The C loader is several times faster on large files; both give the same nodes and marks.
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class FileContent:
    """What one file yielded: its identity, its records and the problems found in it."""

    file: InputFile
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]


def find_files(data_dir: Path) -> list[Path]:
    """Every record file under ``data_dir``, recursively, in a stable order; hidden folders are skipped."""
    if not data_dir.is_dir():
        raise UsageError(f"data folder not found: {data_dir}")
    found = [
        path
        for path in data_dir.rglob("*")
        if path.suffix.lower() in SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(data_dir).parts)
    ]
    return sorted(found, key=lambda path: path.relative_to(data_dir).as_posix())


def read_file(path: Path, root: Path) -> FileContent:
    """Read one record file; syntax errors become problems rather than exceptions."""
    name = relative_name(path, root)
    data = path.read_bytes()
    identity = InputFile(name, hashlib.sha256(data).hexdigest())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = Problem(Location(name), f"not UTF-8 text: {error.reason} at byte {error.start}")
        return FileContent(identity, (), (problem,))
    suffix = path.suffix.lower()
    reader = {".csv": _read_csv, ".json": _read_json}.get(suffix, _read_yaml)
    records: list[Record] = []
    problems: list[Problem] = []
    for item in reader(text, name):
        (records if isinstance(item, Record) else problems).append(item)  # type: ignore[arg-type]
    return FileContent(identity, tuple(records), tuple(problems))


def iter_files(data_dir: Path) -> Iterator[FileContent]:
    """Read every record file under ``data_dir`` in order, one at a time."""
    for path in find_files(data_dir):
        yield read_file(path, data_dir)


# --- shared: turn one parsed mapping into a Record -------------------------------------------------


def _make_record(
    value: Any, name: str, line: int, lines: dict[str, int], column: int = 0
) -> Record | Problem:
    location = Location(name, line, column)
    if not isinstance(value, dict):
        return Problem(location, f"a record must be a mapping of fields, not {_describe(value)}")
    kind = value.get("kind")
    record_id = value.get("id")
    if kind is None:
        return Problem(location, "record has no 'kind'", record_id=str(record_id or ""), field="kind")
    if record_id is None:
        return Problem(location, "record has no 'id'", kind=str(kind), field="id")
    fields = {key: item for key, item in value.items() if key not in ("kind", "id")}
    return Record(str(kind), str(record_id), fields, location, lines)


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"a {type(value).__name__}"


# --- YAML -----------------------------------------------------------------------------------------


def _read_yaml(text: str, name: str) -> Iterator[Record | Problem]:
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = " ".join(part for part in (error.context, error.problem) if part)
        yield Problem(Location(name, line, column), f"YAML syntax error: {message}")
        return
    except yaml.YAMLError as error:
        yield Problem(Location(name), f"YAML error: {error}")
        return
    finally:
        loader.dispose()
    if isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        pairs = list(zip(node.value, data, strict=True))
    else:
        pairs = [(node, data)]
    for item_node, item in pairs:
        lines, duplicates = _yaml_lines(item_node)
        record = _make_record(item, name, item_node.start_mark.line + 1, lines)
        yield record
        for key, line in duplicates:
            yield Problem(Location(name, line), f"field '{key}' is given twice", field=key,
                          kind=getattr(record, "kind", ""), record_id=getattr(record, "id", ""))


def _yaml_lines(node: yaml.Node) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Line of each field (and each list item as ``field[i]``) of a record node, and duplicated keys."""
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    if not isinstance(node, yaml.MappingNode):
        return lines, duplicates
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in lines:
            duplicates.append((key, key_node.start_mark.line + 1))
        lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.SequenceNode):
            for index, element in enumerate(value_node.value):
                lines[f"{key}[{index}]"] = element.start_mark.line + 1
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines[f"{key}.{sub_key.value}"] = sub_key.start_mark.line + 1
    return lines, duplicates


# --- JSON -----------------------------------------------------------------------------------------


def _read_json(text: str, name: str) -> Iterator[Record | Problem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        yield Problem(Location(name, error.lineno, error.colno), f"JSON syntax error: {error.msg}")
        return
    positions = _JsonPositions(text)
    items = data if isinstance(data, list) else [data]
    starts = positions.elements() if isinstance(data, list) else [positions.skip(0)]
    for item, start in zip(items, starts, strict=True):
        line, column = positions.line_column(start)
        yield _make_record(item, name, line, positions.keys(start), column)


class _JsonPositions:
    """Finds where values start in a JSON text, which the json module does not report."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.decoder = json.JSONDecoder()
        self.newlines = [index for index, char in enumerate(text) if char == "\n"]

    def skip(self, index: int) -> int:
        while index < len(self.text) and self.text[index] in " \t\r\n":
            index += 1
        return index

    def line_column(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.newlines, index)
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, index - start + 1

    def elements(self) -> list[int]:
        """Start offsets of the elements of the top-level array."""
        index = self.skip(self.skip(0) + 1)  # past '['
        starts: list[int] = []
        while index < len(self.text) and self.text[index] != "]":
            starts.append(index)
            _, index = self.decoder.raw_decode(self.text, index)
            index = self.skip(index)
            if index < len(self.text) and self.text[index] == ",":
                index = self.skip(index + 1)
        return starts

    def keys(self, start: int) -> dict[str, int]:
        """Line of each key of the object starting at ``start`` (empty when it is not an object)."""
        lines: dict[str, int] = {}
        if self.text[start] != "{":
            return lines
        index = self.skip(start + 1)
        while index < len(self.text) and self.text[index] == '"':
            key, index = self.decoder.raw_decode(self.text, index)
            lines[str(key)] = self.line_column(index)[0]
            index = self.skip(self.skip(index) + 1)  # past ':'
            value_start = index
            _, index = self.decoder.raw_decode(self.text, index)
            if self.text[value_start] == "[":
                element = self.skip(value_start + 1)
                position = 0
                while element < index and self.text[element] != "]":
                    lines[f"{key}[{position}]"] = self.line_column(element)[0]
                    _, element = self.decoder.raw_decode(self.text, element)
                    element = self.skip(element)
                    if self.text[element] == ",":
                        element = self.skip(element + 1)
                    position += 1
            index = self.skip(index)
            if index < len(self.text) and self.text[index] == ",":
                index = self.skip(index + 1)
        return lines


# --- CSV ------------------------------------------------------------------------------------------

# Multi-valued fields take ";"-separated values in a cell; figures and claims are mappings, not for CSV.
_SPLIT_FIELDS: dict[str, set[str]] = {
    kind.value: {field.name for field in FIELDS[kind]
                 if field.multi and field.type not in (FieldType.FIGURES, FieldType.CLAIMS)}
    for kind in Kind
}


def _read_csv(text: str, name: str) -> Iterator[Record | Problem]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        yield Problem(Location(name, reader.line_num), f"CSV syntax error: {error}")
        return
    if header is None:
        return
    header = [column.strip() for column in header]
    seen: set[str] = set()
    for column in header:
        if column in seen:
            yield Problem(Location(name, 1), f"column '{column}' appears twice in the header", field=column)
        seen.add(column)
    previous_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield Problem(Location(name, reader.line_num), f"CSV syntax error: {error}")
            return
        line = previous_end + 1
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Problem(Location(name, line),
                          f"row has {len(row)} cells but the header has {len(header)} columns")
            continue
        yield _csv_record(dict(zip(header, row, strict=True)), name, line)


def _csv_record(row: dict[str, str], name: str, line: int) -> Record | Problem:
    value: dict[str, Any] = {}
    split = _SPLIT_FIELDS.get(row.get("kind", "").strip(), set())
    for column, cell in row.items():
        cell = cell.strip()
        if not cell:
            continue
        head, _, part = column.partition(".")
        if part:
            nested = value.setdefault(head, {})
            if isinstance(nested, dict):
                nested[part] = cell
            continue
        if head in split:
            value[head] = [piece.strip() for piece in cell.split(LIST_SEPARATOR) if piece.strip()]
        else:
            value[head] = cell
    # Every field of a row is on the row's line, the record's own location, where Record.at points a field
    # without a line of its own: no line per field is kept (40 MB less at 100,000 events).
    return _make_record(value, name, line, {})


__all__ = ["SUFFIXES", "FileContent", "find_files", "iter_files", "read_file"]
