"""The report's export formats by name: md, json, html, bib."""

from __future__ import annotations

from litsynth.schema.report import Report

FORMATS = ("md", "json", "html", "bib")


def render(report: Report, fmt: str) -> str:
    """The report in one of ``FORMATS``."""
    if fmt == "json":
        return report.model_dump_json(indent=2)
    if fmt == "html":
        from litsynth.report.html import render_html

        return render_html(report)
    if fmt == "bib":
        from litsynth.report.bibtex import render_bibtex

        return render_bibtex(report)
    if fmt == "md":
        from litsynth.report.markdown import render_markdown

        return render_markdown(report)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
