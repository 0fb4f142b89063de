"""Answer-sentence support, off-topic sources and the naive search baseline of the e2e task."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from litsynth.evals.tasks.e2e_answer import (
    Quoted,
    answer_items,
    baseline_sentences,
    off_topic_cited,
    sentence_support,
    statements,
)
from litsynth.evals.tasks.judge import JudgeItem, Judgement

QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"


@dataclass
class Hit:
    text: str
    doc_id: str
    page: int = 1
    title: str = ""


class Store:
    def search(self, query: str, k: int) -> list[Hit]:
        return [
            Hit(
                "GPTQ quantizes GPT models to 4 bits per weight with negligible accuracy loss. "
                "Thanks to our colleagues for help.",
                "gptq",
            ),
            Hit("Birds migrate south in winter every single year.", "birds"),
        ]


def test_baseline_is_the_search_sentences_closest_to_the_question(fake_embedder: Any) -> None:
    got = baseline_sentences(Store(), QUESTION, fake_embedder)
    assert got[0].doc_id == "gptq" and got[0].text.startswith("GPTQ quantizes")
    assert all(s.text == s.quote for s in got)  # each sentence is its own quote
    assert len(got) == 3


@dataclass
class Claim:
    id: str
    doc_id: str
    title: str
    quote: str
    page: int = 1


@dataclass
class Ref:
    doc_id: str
    title: str


@dataclass
class Sentence:
    text: str
    claim_ids: list[str]


@dataclass
class Report:
    claims: list[Claim]
    references: list[Ref]
    results: list[Sentence] = field(default_factory=list)


ASR_TITLE = "4-bit Conformer with Native Quantization Aware Training for Speech Recognition"


def test_speech_paper_cited_for_an_llm_question_is_off_topic() -> None:
    report = Report(
        [
            Claim("C1", "gptq", "GPTQ", "GPTQ quantizes OPT-175B to 4 bits."),
            Claim("C2", "asr", ASR_TITLE, "We obtain a lossless 4-bit Conformer model."),
        ],
        [Ref("gptq", "GPTQ"), Ref("asr", ASR_TITLE)],
    )
    assert off_topic_cited(report, QUESTION) == ["asr"]


class Judge:
    name = "fake"

    def __init__(self) -> None:
        self.asked: list[JudgeItem] = []

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        self.asked += items
        return [Judgement(confirmed="negligible" in i.quote, reason="fake") for i in items]

    def describe(self) -> dict[str, Any]:
        return {"kind": "fake"}


def test_sentences_are_supported_by_gold_match_or_by_the_judge_on_their_quotes() -> None:
    gptq = Claim("C1", "gptq", "GPTQ", "GPTQ reaches 4 bits with negligible accuracy loss.")
    asr = Claim("C2", "asr", ASR_TITLE, "The Conformer model is lossless.")
    report = Report(
        [gptq, asr],
        [],
        [
            Sentence("GPTQ matches a gold claim.", ["C1"]),
            Sentence("GPTQ keeps accuracy at 4 bits.", ["C1"]),
            Sentence("Speech models are lossless.", ["C2"]),
        ],
    )
    items = answer_items(report)

    def match(xs: Sequence[Quoted]) -> list[tuple[int, float]]:
        return [(0, 0.9 if "gold" in x.text else 0.1) for x in xs]

    judge = Judge()
    supported, total, counts = sentence_support(
        items, match, 0.75, lambda d, p: f"page of {d}", judge
    )
    assert (supported, total) == (2, 3)
    assert counts == {"gold": 1, "judged": 2, "confirmed": 1, "failures": 0, "statements": 3}
    assert [i.claim for i in judge.asked] == [
        "GPTQ keeps accuracy at 4 bits.",
        "Speech models are lossless.",
    ]


def test_each_statement_of_a_sentence_is_judged_and_all_must_hold() -> None:
    gptq = Claim("C1", "gptq", "GPTQ", "GPTQ reaches 4 bits with negligible accuracy loss.")
    kbit = Claim("C2", "kbit", "k-bit", "4-bit precision is optimal.")
    sentence = (
        "2 sources find that 4-bit costs little: GPTQ: negligible loss; k-bit: optimal. [C1, C2]"
    )
    assert statements(sentence) == [
        "GPTQ: negligible loss.",
        "k-bit: optimal.",
    ]
    report = Report([gptq, kbit], [], [Sentence(sentence, ["C1", "C2"])])

    class LastWord(Judge):
        def judge_many(self, items: Sequence[JudgeItem]) -> list[Judgement]:
            self.asked += items
            return [
                Judgement(confirmed=i.claim.rstrip(".").split()[-1] in i.quote, reason="fake")
                for i in items
            ]

    judge = LastWord()
    supported, total, counts = sentence_support(
        answer_items(report), lambda xs: [(0, 0.1) for _ in xs], 0.75, lambda d, p: d, judge
    )
    assert [i.claim for i in judge.asked] == statements(sentence)
    # clause i is judged against quote i, as the product verifies it; not all quotes at once
    assert [i.quote for i in judge.asked] == [gptq.quote, kbit.quote]
    assert counts["statements"] == 2 and (supported, total) == (1, 1)

    class Strict(Judge):
        def judge_many(self, items: Sequence[JudgeItem]) -> list[Judgement]:
            return [Judgement(confirmed="GPTQ" in i.claim, reason="fake") for i in items]

    one_fails = sentence_support(
        answer_items(report), lambda xs: [(0, 0.1) for _ in xs], 0.75, lambda d, p: d, Strict()
    )
    assert one_fails[:2] == (0, 1), "a sentence with one unsupported statement is unsupported"
