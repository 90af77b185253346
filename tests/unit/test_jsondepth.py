"""The nesting check that runs before any JSON parser sees a body."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.lib.jsondepth import nesting_exceeds


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


def test_deep_arrays_and_objects_exceed_without_recursion() -> None:
    assert nesting_exceeds(b"[" * 1_000_000 + b"]" * 1_000_000, 32)
    assert nesting_exceeds('{"a":' * 100_000 + "1" + "}" * 100_000, 32)


def test_flat_objects_and_brackets_inside_strings_do_not() -> None:
    assert not nesting_exceeds(b'{"code": "[[[[{{{{", "n": 1}', 1)
    assert not nesting_exceeds(b'{"a": "\\"[[["}', 1)
    assert nesting_exceeds(b'{"a": {"b": 1}}', 1)
    assert not nesting_exceeds(b"", 1) and not nesting_exceeds(b"7", 0)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab', max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"a', max_size=3), children, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=200)
@given(value=json_values, limit=st.integers(min_value=0, max_value=6))
def test_agrees_with_the_parsed_depth(value: object, limit: int) -> None:
    text = json.dumps(value)
    assert nesting_exceeds(text, limit) == (_depth(value) > limit)
