"""Pausing the cycle collector: paused inside, the earlier state restored after, even on an error."""

from __future__ import annotations

import gc

import pytest

from atfgraph.gcpause import cycle_collection_paused


def test_paused_inside_and_restored_after_even_when_nested_or_failing() -> None:
    assert gc.isenabled()
    with cycle_collection_paused():
        assert not gc.isenabled()
        with cycle_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it paused and left it so
    assert gc.isenabled()
    with pytest.raises(ValueError), cycle_collection_paused():
        raise ValueError("a bad record")
    assert gc.isenabled()


def test_a_build_leaves_the_collector_as_it_found_it() -> None:
    from atfgraph.loader import load
    from tests.conftest import DATA

    load(DATA)
    assert gc.isenabled()
    gc.disable()
    try:
        load(DATA)
        assert not gc.isenabled()
    finally:
        gc.enable()
