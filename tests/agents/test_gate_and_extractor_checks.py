"""The gate's decision, the planner's plan check and the extractor's statement filter, without a
store or a model (a fixed scorer stands in for the relevance scorer)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from litsynth.agents.context import Context
from litsynth.agents.extractor import (
    Candidate,
    _claim,
    _claim_text,
    _rank,
    _select,
    _source_results,
    candidates_of,
)
from litsynth.agents.gate import decide, score_papers
from litsynth.agents.planner import validated_plan
from litsynth.schema.judgements import Plan, SubQuestion
from litsynth.schema.records import Claim, Passage
from litsynth.schema.relevance import RelevanceScorer
from litsynth.settings import ExtractionSettings, GateSettings, Settings
from litsynth.text.subject import find_subject
from litsynth.text.validation import PromptEcho

DEMO = "How does 4-bit weight quantization affect the accuracy of large language models?"
ASR = (
    "We propose to develop 4-bit ASR models with native quantization aware training. We obtained "
    "a lossless 4-bit Conformer model with 5.8x size reduction compared to the float32 model."
)
GPTQ = (
    "GPTQ can quantize GPT models with 175 billion parameters in approximately four GPU hours, "
    "reducing the bitwidth down to 3 or 4 bits per weight, with negligible accuracy degradation."
)


class WordScorer:
    """Scores a sentence 0.9 when it says "accuracy" or "lossless", else 0.1."""

    def score(self, question: str, sentences: Sequence[str]) -> list[float]:
        return [0.9 if ("accuracy" in s or "lossless" in s) else 0.1 for s in sentences]


def passage(doc_id: str, title: str, text: str) -> Passage:
    return Passage(
        id=f"{doc_id}:0",
        doc_id=doc_id,
        title=title,
        page=1,
        char_start=0,
        char_end=len(text),
        text=text,
        query=DEMO,
        retrieval_score=0.5,
        round=1,
    )


def test_word_scorer_is_a_relevance_scorer() -> None:
    assert isinstance(WordScorer(), RelevanceScorer)


def test_gate_drops_the_speech_paper_on_the_subject_and_keeps_gptq() -> None:
    by_doc = {
        "asr": [passage("asr", "4-bit Conformer for Speech Recognition", ASR)],
        "gptq": [passage("gptq", "GPTQ: Post-Training Quantization", GPTQ)],
    }
    evidence = score_papers(WordScorer(), DEMO, by_doc)
    subject = find_subject(DEMO)
    asr = decide(evidence["asr"], "4-bit Conformer for Speech Recognition", subject, GateSettings())
    gptq = decide(evidence["gptq"], "GPTQ", subject, GateSettings())
    assert not asr.keep and asr.decided_by == "subject"
    assert "large language models" in asr.reason and "0.90" in asr.reason
    assert gptq.keep and "0.90" in gptq.reason and "names GPT" in gptq.reason
    assert not gptq.ask_llm  # off by default


def test_gate_drops_a_paper_below_min_relevance_and_asks_the_llm_only_in_the_band() -> None:
    weak = [passage("w", "LLM serving", "Large language models need much memory to serve.")]
    evidence = score_papers(WordScorer(), DEMO, {"w": weak})["w"]
    low = decide(evidence, "LLM serving", find_subject(DEMO), GateSettings())
    assert not low.keep and low.decided_by == "relevance" and "0.10 is below 0.50" in low.reason
    band = GateSettings(use_llm=True, strong_keep=0.95)
    gptq = [passage("g", "GPTQ", GPTQ)]
    decision = decide(score_papers(WordScorer(), DEMO, {"g": gptq})["g"], "GPTQ", None, band)
    assert decision.keep and decision.ask_llm


def test_plan_check_keeps_good_queries_and_counts_each_rejection() -> None:
    q = "What accuracy does GPTQ reach at 3-bit on OPT-175B?"
    plan = Plan(
        sub_questions=[
            SubQuestion(question="The answer is not possible", queries=["1.2", "GPTQ 3-bit OPT"]),
            SubQuestion(question="How accurate is GPTQ at 3-bit?", queries=["GNCC accuracy"]),
        ]
    )
    checked, rejected = validated_plan(plan, q, PromptEcho(), lambda term: False)
    assert checked is not None
    assert [(s.question, s.queries) for s in checked.sub_questions] == [(q, ["GPTQ 3-bit OPT"])]
    assert [t for t, _ in rejected] == ["The answer is not possible", "1.2", "GNCC accuracy"]


def test_extractor_candidates_are_statements_and_rejections_are_counted() -> None:
    text = (
        "Does 4-bit quantization hurt accuracy of OPT models? "
        "2Upon closer inspection, the outliers are systematic across all the layers. "
        "Figure 2: Accuracy of OPT models at 4-bit precision for every size. "
        "GPTQ quantizes OPT-175B to 4 bits with negligible accuracy degradation overall."
    )
    counts: Counter[str] = Counter()
    cands = candidates_of(passage("d", "GPTQ", text), text, ExtractionSettings(), counts)
    assert [c.quote for c in cands] == [
        "GPTQ quantizes OPT-175B to 4 bits with negligible accuracy degradation overall."
    ]
    assert counts == Counter(
        {
            "sentences_rejected_question": 1,
            "sentences_rejected_footnote": 1,
            "sentences_rejected_caption": 1,
        }
    )


class FlatEmbedder:
    """Every text the same unit vector: ranking then rests on relevance and the finding cues."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 4), dtype=np.float32)
        out[:, 0] = 1.0
        return out


def test_a_sentence_stating_accuracy_at_the_asked_bits_passes_the_floor_and_ranks_first() -> None:
    # The relevance scorer rated LLM.int8()'s "converted to Int8 ... without performance
    # degradation" 0.03 for an 8-bit question: it shares no word with it.
    question = "How can large language models be quantized to 8-bit without losing accuracy?"
    int8 = (
        "With our method, a 175B parameter 16/32-bit checkpoint can be loaded, converted to Int8, "
        "and used immediately without performance degradation."
    )
    other = "Quantization reduces the accuracy of large language models at lower precisions."
    text = f"{int8} {other}"
    p = passage("int8", "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale", text)
    ctx = Context(
        settings=Settings(extraction=ExtractionSettings(use_llm=False)),
        embedder=FlatEmbedder(),  # type: ignore[arg-type]
        relevance_scorer=WordScorer(),
    )
    counts: Counter[str] = Counter()
    cands = candidates_of(p, text, ExtractionSettings(), counts)
    _rank(ctx, {"question": question}, cands, [])
    assert [c.answers_asked for c in cands] == [True, False]
    assert cands[0].relevance < ExtractionSettings().min_relevance
    chosen = _select(ctx, question, [p], cands, counts, [])
    assert chosen[0][0].quote == int8


def test_a_restatement_naming_an_entity_its_quote_lacks_gives_way_to_the_quote() -> None:
    """SmolLM2 restated SpQR's '3-4 bits ... less than 1%' sentence with a name the quote does
    not hold, and the corpus's best 4-bit sentence was lost with the restatement."""
    quote = (
        "SpQR compresses all other weights to 3-4 bits and achieves relative accuracy losses of "
        "less than 1% in perplexity for LLaMA and Falcon LLMs."
    )
    counts: Counter[str] = Counter()
    rejected: list[tuple[str, str]] = []
    text = _claim_text(
        "SpQR keeps Mistral-7B within 1% on GSM8K.",
        quote,
        ExtractionSettings(),
        counts,
        PromptEcho([]),
        rejected,
    )
    assert text == quote
    assert counts["claims_rejected_ungrounded_entity"] == 1


def _cand(doc: str, page: int, start: int, quote: str, relevance: float = 0.1) -> Candidate:
    p = passage(doc, f"Paper {doc}", quote).model_copy(update={"page": page, "id": f"{doc}:{page}"})
    return Candidate(p, start, start + len(quote), quote, relevance=relevance)


SPEEDUP = "We show end-to-end inference speedups over FP16 of around 3.25x on A100 GPUs."
KERNELS = "Our kernels achieve a 1.45x speedup over GPTQ and 1.85x over cuBLAS FP16."
BACKGROUND = "Quantization maps a floating-point number into lower-bit integers."
LATE = "We find that a block size of 64 improves perplexity by 0.5 points."


def _claims_on(*docs: str) -> list[Claim]:
    return [_claim(_cand(d, 1, 1000, GPTQ), GPTQ, i, 1, "rules") for i, d in enumerate(docs, 1)]


def test_a_cited_source_adds_its_headline_results_apart_from_the_answer() -> None:
    """The AWQ and GPTQ speed-ups (gold findings for the 3-4-bit question) rank about 110th by
    relevance to it and never became claims; a cited source now adds the results its first
    pages state, strongest finding cue first, whatever their relevance."""
    cands = [
        _cand("gptq", 1, 0, SPEEDUP),
        _cand("gptq", 1, 100, BACKGROUND),  # background: no result cue
        _cand("gptq", 5, 0, LATE),  # past the first pages
        _cand("awq", 1, 0, KERNELS),
        _cand("other", 1, 0, KERNELS),  # a source with no answer claim
    ]
    vecs = np.eye(len(cands) + 1)
    claims = _claims_on("gptq", "awq")
    cfg = ExtractionSettings()
    picked = _source_results(cands, vecs[: len(cands)], claims, [vecs[-1]], cfg)
    assert [(c.passage.doc_id, c.quote) for c in picked] == [("gptq", SPEEDUP), ("awq", KERNELS)]
    assert (
        _source_results(
            cands, vecs[:5], claims, [vecs[-1]], cfg.model_copy(update={"source_results": 0})
        )
        == []
    )


def test_headline_results_skip_restatements_and_respect_the_per_source_cap() -> None:
    cands = [
        _cand("gptq", 1, 0, SPEEDUP),
        _cand("gptq", 2, 0, KERNELS),
        _cand("gptq", 2, 200, LATE),
    ]
    answer_vec = np.array([1.0, 0.0, 0.0])
    # the first restates the answer claim (cosine 0.95), the others are new
    vecs = np.array([[0.95, 0.312, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    claims = _claims_on("gptq")
    cfg = ExtractionSettings(source_results=1)
    picked = _source_results(cands, vecs, claims, [answer_vec], cfg)
    # "We find ... improves ... 0.5 points" states its result more strongly than the kernels
    assert [c.quote for c in picked] == [LATE]
    assert [
        c.quote for c in _source_results(cands, vecs, claims, [answer_vec], ExtractionSettings())
    ] == [LATE, KERNELS]
    # a source result taken in an earlier round uses up the source's room
    earlier = _claim(cands[2], LATE, 2, 1, "rules", kind="source_result")
    assert _source_results(cands, vecs, [*claims, earlier], [answer_vec], cfg) == []
