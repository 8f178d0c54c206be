"""The JSON writer gives json.dumps's text, and sorts JSON-LD's sets as the reference sort does."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from atfgraph.jsontext import indented, sort_sets, sorted_text

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text())
_KEYS = st.one_of(st.text(), st.sampled_from(["@id", "@type", "@value", "@list", "@graph", "label"]))
JSON = st.recursive(_SCALARS, lambda children: st.one_of(st.lists(children, max_size=5),
                                                         st.dictionaries(_KEYS, children, max_size=5)),
                    max_leaves=30)


def _reference(value: Any) -> Any:
    """Sorted arrays by copying, as the serialiser first did (``@list`` values left as they are)."""
    if isinstance(value, dict):
        return {key: (item if key == "@list" else _reference(item)) for key, item in value.items()}
    if isinstance(value, list):
        items = [_reference(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


@given(JSON)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


@given(JSON)
def test_sorting_in_place_gives_the_reference_order(value: Any) -> None:
    expected = _reference(copy.deepcopy(value))
    assert indented(sort_sets(value)) == json.dumps(expected, indent=2, ensure_ascii=False, sort_keys=True)


def test_list_values_keep_their_order() -> None:
    document = {"@list": ["b", "a"], "tags": ["b", "a"]}
    assert sort_sets(document) == {"@list": ["b", "a"], "tags": ["a", "b"]}


_STRING_ARRAYS = st.dictionaries(_KEYS, st.one_of(st.text(), st.lists(st.text(), max_size=6)), max_size=6)


@given(st.one_of(JSON, _STRING_ARRAYS), st.integers(min_value=0, max_value=3))
def test_sorted_text_is_the_sorted_documents_text_and_leaves_the_value_as_it_was(value: Any, level: int) -> None:
    """The JSON-LD writer's fast path (objects and arrays of strings, whose sort keys are their encoded
    texts, quotes and backslashes included) against sorting a copy and writing it."""
    before = copy.deepcopy(value)
    assert sorted_text(value, level) == indented(sort_sets(copy.deepcopy(value)), level)
    assert value == before
