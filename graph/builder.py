"""Wire the nodes into the research graph.

planner -> retriever -> gate -> extractor -> verifier -> coverage -> synthesizer
-> reviewer (x N, via Send)
-> aggregator -> (planner | reporter). Compile with a checkpointer to make runs resumable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from langgraph.graph import END, START, StateGraph

from litsynth.agents.aggregator import aggregator, route_after_aggregate
from litsynth.agents.coverage import coverage
from litsynth.agents.extractor import extractor
from litsynth.agents.gate import gate
from litsynth.agents.planner import planner
from litsynth.agents.reporter import reporter
from litsynth.agents.retriever import retriever
from litsynth.agents.reviewers import fan_out_reviewers, reviewer
from litsynth.agents.synthesizer import synthesizer
from litsynth.agents.verifier import verifier
from litsynth.graph.configuration import Context
from litsynth.schema.state import InputState, OutputState, ResearchState, ReviewerInput

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph

NODES = (
    "planner",
    "retriever",
    "gate",
    "extractor",
    "verifier",
    "coverage",
    "synthesizer",
    "reviewer",
    "aggregator",
    "reporter",
)


def build_graph(
    checkpointer: BaseCheckpointSaver | None = None,
) -> CompiledStateGraph[ResearchState, Context, InputState, OutputState]:
    """The compiled research graph; pass a checkpointer to make runs resumable."""
    g = StateGraph(
        ResearchState, context_schema=Context, input_schema=InputState, output_schema=OutputState
    )
    g.add_node("planner", planner)
    g.add_node("retriever", retriever)
    g.add_node("gate", gate)
    g.add_node("extractor", extractor)
    g.add_node("verifier", verifier)
    g.add_node("coverage", coverage)
    g.add_node("synthesizer", synthesizer)
    g.add_node("reviewer", reviewer, input_schema=ReviewerInput)
    g.add_node("aggregator", aggregator)
    g.add_node("reporter", reporter)
    g.add_edge(START, "planner")
    g.add_edge("planner", "retriever")
    g.add_edge("retriever", "gate")
    g.add_edge("gate", "extractor")
    g.add_edge("extractor", "verifier")
    g.add_edge("verifier", "coverage")
    g.add_edge("coverage", "synthesizer")
    g.add_conditional_edges("synthesizer", fan_out_reviewers, ["reviewer"])
    g.add_edge("reviewer", "aggregator")
    g.add_conditional_edges("aggregator", route_after_aggregate, ["planner", "reporter"])
    g.add_edge("reporter", END)
    return g.compile(checkpointer=checkpointer, name="litsynth")


def server_graph() -> CompiledStateGraph[ResearchState, Context, InputState, OutputState]:
    """Entry for LangGraph Server (langgraph.json); the server supplies its own checkpointer."""
    return build_graph()
