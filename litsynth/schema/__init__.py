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
    Finding,
    KeptSource,
    PanelAggregate,
    Passage,
    Review,
    SourceAgreement,
    StepError,
)
from litsynth.schema.report import (
    AnswerSection,
    AnswerSentence,
    Manifest,
    Panel,
    Reference,
    Report,
    ResultSentence,
    Synthesis,
)
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
    "AnswerSection",
    "AnswerSentence",
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
    "Finding",
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
    "SourceAgreement",
    "StepError",
    "SubQuestion",
    "Synthesis",
    "SynthesisDraft",
    "SynthesisSentence",
    "Turn",
    "Verdict",
    "VerdictLabel",
]
