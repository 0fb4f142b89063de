"""``litsynth eval gate``: labels, scoring, and the gate on the bundled demo corpus."""

from __future__ import annotations

from pathlib import Path

from litsynth.evals.tasks.gate import GOLD, load_labels, prf, run_gate
from litsynth.settings import Settings

DEMO_Q = "How does 4-bit weight quantization affect the accuracy of large language models?"
ASR = "arxiv-abs:2203.15952"
GPTQ = "arxiv-abs:2210.17323"


def test_labels_cover_both_sets_and_mark_the_demo_pairs() -> None:
    labels = load_labels(GOLD)
    assert {x.set for x in labels} == {"papers", "demo"}
    assert len({x.question_id for x in labels if x.set == "papers"}) == 29
    demo = {x.doc_id: x.relevant for x in labels if x.set == "demo" and x.question == DEMO_Q}
    assert len(demo) == 11 and demo[GPTQ] and not demo[ASR]


def test_prf_counts_kept_against_relevant() -> None:
    m = prf([(True, True), (True, False), (False, True), (False, False)])
    assert (m["precision"], m["recall"], m["f1"], m["kept"]) == (0.5, 0.5, 0.5, 2.0)
    assert prf([(False, False)])["precision"] is None


def test_gate_on_the_demo_question_drops_asr_and_keeps_gptq(tmp_path: Path) -> None:
    gold = tmp_path / "labels.jsonl"
    lines = [
        ln for ln in GOLD.read_text(encoding="utf-8").splitlines() if '"question_id": "demo"' in ln
    ]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_gate(Settings(), gold=gold, sets=("demo",), cache_dir=tmp_path / "cache")
    by_doc = {p.id.split(":", 2)[2]: p for p in result.predictions}
    assert by_doc[ASR].pred == "off_topic" and "never names" in by_doc[ASR].reason
    assert by_doc[GPTQ].pred == "relevant"
    assert result.metrics["demo_recall"] == 1.0
    assert result.config["scorer"] == "baseline-minilm-terms"
