"""Coverage node: how far the supported evidence answers each facet of the question.

Runs after the verifier, so only claims whose cited span the verifier supports count; the
matching is literal (see ``litsynth.text.facets``). The aggregator reads the result to decide
the gate verdict and whether to re-plan; the reporter writes it out.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from litsynth.agents.context import Context
from litsynth.agents.support import timed
from litsynth.schema.records import answer_claims
from litsynth.schema.state import ResearchState
from litsynth.text.facets import coverage as facet_coverage
from litsynth.text.facets import find_facets


@timed("coverage")
def coverage(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Status per facet (answered / partial / gap) with the claim ids behind it."""
    facets = state.get("facets") or find_facets(state["question"])
    cov = facet_coverage(facets, answer_claims(state.get("claims", [])))
    return {"facets": facets, "coverage": cov}
