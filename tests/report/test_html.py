"""The HTML export: self-contained, source text escaped, and it renders in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from litsynth.report.html import render_html
from litsynth.tests.report.chromium import Browser, chromium_path
from litsynth.tests.report.sample import HOSTILE, sample_report


def test_html_is_self_contained_and_escapes_source_text() -> None:
    page = render_html(sample_report())
    assert "<script" not in page.lower(), "no scripts, not even the source's"
    assert HOSTILE not in page
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing loaded from a host"
    assert "@import" not in page and "url(" not in page
    assert page.count("<details>") == 3, "one collapsible quoted span per claim"
    assert "p. 1, chars 10:" in page


def test_html_opens_in_headless_chromium(tmp_path: Path) -> None:
    binary = chromium_path()
    if binary is None:
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    report = sample_report()
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    browser = Browser(binary, tmp_path / "profile")
    try:
        browser.open(path.as_uri())
        rows = browser.evaluate(
            "[...document.querySelectorAll('#claims tbody tr')].map(r => ({"
            "id: r.cells[0].textContent, verdict: r.cells[2].textContent,"
            "bg: getComputedStyle(r.cells[2]).backgroundColor,"
            "height: r.getBoundingClientRect().height}))"
        )
        title = browser.evaluate("document.title")
        scripts = browser.evaluate("document.querySelectorAll('script').length")
        quote_open = browser.evaluate("document.querySelector('#claims details').open")
        coverage = browser.evaluate(
            "[...document.querySelectorAll('#coverage tbody td.gap')].map(c => c.textContent)"
        )
        shot = browser.screenshot(tmp_path / "report.png")
    finally:
        browser.close()
    assert [r["id"] for r in rows] == ["C1", "C2", "C3"]
    assert [r["verdict"] for r in rows] == ["supported", "contradicted", "unverified"]
    assert all(r["height"] > 0 for r in rows), "the claims table was laid out"
    colours = {r["verdict"]: r["bg"] for r in rows}
    assert colours["supported"] == "rgb(217, 242, 221)"
    assert colours["contradicted"] == "rgb(248, 215, 218)"
    assert len(set(colours.values())) == 3, "each verdict has its own colour"
    assert title == report.title, "a source's <script> must not run"
    assert scripts == 0
    assert quote_open is False, "quoted spans start collapsed"
    assert coverage == ["gap"]
    assert shot.startswith(b"\x89PNG") and len(shot) > 10_000
