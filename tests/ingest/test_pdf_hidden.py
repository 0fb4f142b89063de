"""drop_hidden_text: operators drawn invisibly are removed, the graphics state is followed."""

from __future__ import annotations

import pytest
from pypdf import PageObject
from pypdf.generic import ContentStream, DecodedStreamObject, DictionaryObject, NameObject

from litsynth.ingest.pdf_hidden import drop_hidden_text


def _page(content: str) -> PageObject:
    page = PageObject()
    stream = DecodedStreamObject()
    stream.set_data(content.encode("latin-1"))
    page[NameObject("/Contents")] = stream
    page[NameObject("/Resources")] = DictionaryObject()
    return page


def _shown(page: PageObject) -> list[str]:
    contents = page.get_contents()
    assert isinstance(contents, ContentStream)
    return [str(ops[0]) for ops, op in contents.operations if op == b"Tj"]


@pytest.mark.parametrize(
    ("setup", "hidden"),
    [
        ("1 g", True),
        ("0.99 0.99 1 rg", True),
        ("0 0 0 0 k", True),
        ("0 0 0 1 k", False),
        ("0.5 g", False),
        ("7 Tr", True),
        ("2 Tr", False),
        ("30 Tz", False),
        ("0.05 Tz", True),
        ("0.01 0 0 0.01 0 0 cm", True),
        ("/P0 scn", False),
    ],
)
def test_one_state_change(setup: str, hidden: bool) -> None:
    page = _page(f"BT /F1 10 Tf {setup} (x) Tj ET")
    assert drop_hidden_text(page) == int(hidden)
    assert _shown(page) == ([] if hidden else ["x"])


def test_q_and_q_restore_the_colour_and_mode() -> None:
    page = _page("q 1 g 3 Tr BT /F1 10 Tf (a) Tj ET Q BT /F1 10 Tf (b) Tj ET")
    assert drop_hidden_text(page) == 1
    assert _shown(page) == ["b"]


def test_a_dropped_quote_operator_keeps_its_line_move() -> None:
    page = _page("BT /F1 0 Tf (a) ' /F1 10 Tf (b) Tj ET")
    assert drop_hidden_text(page) == 1
    contents = page.get_contents()
    assert contents is not None
    assert [op for _, op in contents.operations] == [b"BT", b"Tf", b"T*", b"Tf", b"Tj", b"ET"]


def test_a_page_without_hidden_text_is_left_alone() -> None:
    page = _page("BT /F1 10 Tf 12 0 0 12 50 50 Tm (a) Tj ET")
    before = page[NameObject("/Contents")]
    assert drop_hidden_text(page) == 0
    assert page[NameObject("/Contents")] is before
