"""The bottom layer: plain types that every other layer imports and that import nothing above.

Records the graph keeps (``records``), what the chat model is asked for (``judgements``), what a
verifier returns (``verdicts``), the report (``report``) and the graph's state (``state``).
"""

from litsynth.schema.conversation import Turn
from litsynth.schema.judgements import (
    ClaimSelection,
    GateJudgement,
    Plan,
    ReviewerComment,
    SelectedClaim,
    SubQuestion,
    SynthesisDraft,
    SynthesisSentence,
)
from litsynth.schema.records import (
    Claim,
    Contradiction,
    CoverageStatus,
    CriterionScore,
    DroppedSource,
    Facet,
    FacetCoverage,
    FacetKind,
    KeptSource,
    PanelAggregate,
    Passage,
    Review,
    StepError,
)
from litsynth.schema.report import Manifest, Panel, Reference, Report, ResultSentence
from litsynth.schema.state import InputState, OutputState, ResearchState, ReviewerInput
from litsynth.schema.verdicts import (
    LABELS,
    EvidencePassage,
    EvidenceSentence,
    Verdict,
    VerdictLabel,
)

__all__ = [
    "LABELS",
    "Claim",
    "ClaimSelection",
    "Contradiction",
    "CoverageStatus",
    "CriterionScore",
    "DroppedSource",
    "EvidencePassage",
    "EvidenceSentence",
    "Facet",
    "FacetCoverage",
    "FacetKind",
    "GateJudgement",
    "InputState",
    "KeptSource",
    "Manifest",
    "OutputState",
    "Panel",
    "PanelAggregate",
    "Passage",
    "Plan",
    "Reference",
    "Report",
    "ResearchState",
    "ResultSentence",
    "Review",
    "ReviewerComment",
    "ReviewerInput",
    "SelectedClaim",
    "StepError",
    "SubQuestion",
    "SynthesisDraft",
    "SynthesisSentence",
    "Turn",
    "Verdict",
    "VerdictLabel",
]
