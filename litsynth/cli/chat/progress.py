"""Live progress from the graph's node events: which node works, what each one found.

``describe`` turns one node update into a line; ``LiveProgress`` shows the lines under a spinner
naming the node now working, and collapses to one summary line when the answer is shown.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

LABELS = {
    "planner": "planned queries",
    "retriever": "retrieved passages",
    "gate": "relevance gate",
    "extractor": "extracted claims",
    "verifier": "verified claims",
    "coverage": "coverage",
    "reviewer": "review",
    "aggregator": "aggregated panel",
    "reporter": "wrote report",
}
# The node that runs after each one (the aggregator may loop back to the planner).
NEXT = {
    "planner": "retriever",
    "retriever": "gate",
    "gate": "extractor",
    "extractor": "verifier",
    "verifier": "coverage",
    "coverage": "reviewer",
    "reviewer": "reviewer",
    "aggregator": "reporter",
}


def describe(node: str, update: dict[str, Any]) -> str:
    """One progress line per node event."""
    counters = update.get("counters", {})
    if node == "planner":
        return f"round {update.get('round')}: {len(update.get('round_queries', []))} queries"
    if node == "retriever":
        return f"{counters.get('passages_retrieved', 0)} passages"
    if node == "gate":
        return (
            f"kept {len(update.get('kept_sources', []))} sources, "
            f"dropped {len(update.get('dropped_sources', []))}"
        )
    if node == "extractor":
        return f"{len(update.get('claims', []))} claims"
    if node == "verifier":
        return (
            f"{counters.get('claims_quoted', 0)} quoted verbatim; "
            f"{counters.get('claims_supported', 0)} supported, "
            f"{counters.get('claims_unverified', 0)} unverified, "
            f"{counters.get('claims_contradicted', 0)} contradicted"
        )
    if node == "coverage":
        statuses = [c.status for c in update.get("coverage", [])]
        return ", ".join(f"{statuses.count(s)} {s}" for s in ("answered", "partial", "gap"))
    if node == "reviewer":
        reviews = update.get("reviews", [])
        return ", ".join(f"{r.reviewer} {r.score:.1f}/10" for r in reviews)
    if node == "aggregator":
        agg = update.get("aggregate")
        if agg is not None:
            more = "; another round" if agg.replan else ""
            return f"quality {agg.quality_score:.1f}/10, {agg.tier}, {agg.gate_verdict}{more}"
    return ""


def line(node: str, update: dict[str, Any]) -> str:
    """The rich-markup line for a node event."""
    return f"[bold cyan]{LABELS.get(node, node):>20}[/] {describe(node, update)}"


class LiveProgress:
    """A transient live view of the run; on exit it leaves one summary line (or nothing)."""

    def __init__(self, console: Console, *, keep_summary: bool = True) -> None:
        self.console = console
        self.keep_summary = keep_summary
        self.lines: list[str] = []
        self.working = "planner"
        self.events = 0
        self.latest: dict[str, str] = {}
        self._live: Live | None = None

    def _view(self) -> RenderableType:
        from rich.console import Group
        from rich.spinner import Spinner

        spinner = Spinner("dots", text=f"[dim]{self.working} working… (Ctrl-C cancels)[/]")
        return Group(*self.lines[-12:], spinner)

    def __enter__(self) -> LiveProgress:
        from rich.live import Live

        self._live = Live(self._view(), console=self.console, transient=True, refresh_per_second=8)
        self._live.__enter__()
        return self

    def __call__(self, node: str, update: dict[str, Any]) -> None:
        """Graph event handler."""
        self.events += 1
        self.lines.append(line(node, update))
        self.latest[node] = describe(node, update)
        if node == "aggregator":
            agg = update.get("aggregate")
            self.working = "planner" if agg is not None and agg.replan else "reporter"
        else:
            self.working = NEXT.get(node, node)
        if self._live is not None:
            self._live.update(self._view())

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.__exit__(kind, exc, tb)
        if kind is None and self.keep_summary and self.lines:
            self.console.print(f"[dim]✓ {self.summary()}[/]")

    def summary(self) -> str:
        """The run in one line: sources, claims, verdicts, panel."""
        parts = [self.latest.get(n, "") for n in ("gate", "extractor", "verifier", "aggregator")]
        return f"{self.events} steps · " + " · ".join(p for p in parts if p)
