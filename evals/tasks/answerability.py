"""Task ``answerability``: does the report say what the corpus cannot answer?

Each gold question names its checkable facets (models, methods, benchmarks, hardware, bit
widths) with the status the corpus warrants: ``answered`` (the papers report on it),
``partial`` (only a near neighbour, e.g. another size of the same model family) or ``gap``
(the papers never mention it; checked with grep on the papers' text). Every question is put to
``litsynth.research`` over the papers; a facet counts as right when the report's coverage gives
it the gold status (a gold facet the report did not find counts as wrong). Also measured: how
many report claims name an entity their quoted span lacks (``ungrounded_claim_rate``, target 0)
and how many name a gold ``gap`` facet (``gap_entity_claims``, target 0).

``rules_only=True`` runs without a chat model (every model call falls back to the rules), so
the task runs in minutes on a CPU; the facet logic and the coverage are the same either way.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from litsynth.errors import DatasetError, LitsynthError
from litsynth.evals.tasks.common import Prediction, TaskResult

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from rich.progress import Progress

    from litsynth.schema.report import Report
    from litsynth.settings import Settings
    from litsynth.vectorstore.store import PaperStore

GOLD = Path(__file__).resolve().parents[1] / "gold" / "answerability_questions.jsonl"
STATUSES = ("answered", "partial", "gap")


class AnswerabilityQuestion(BaseModel):
    """A question and the gold status of each of its facets."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    facets: dict[str, str] = Field(description="Facet name -> answered | partial | gap.")


def load_questions(path: Path) -> list[AnswerabilityQuestion]:
    """Gold questions from a JSONL file; DatasetError on a bad line or status."""
    if not path.is_file():
        raise DatasetError(f"{path}: gold file not found", hint="pass --gold with an existing file")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            q = AnswerabilityQuestion.model_validate(json.loads(line))
        except (ValueError, TypeError) as exc:
            raise DatasetError(f"{path}:{n}: {exc}", hint="one JSON object per line") from exc
        bad = {s for s in q.facets.values() if s not in STATUSES}
        if bad:
            raise DatasetError(
                f"{path}:{n}: unknown status {sorted(bad)}", hint="use " + "/".join(STATUSES)
            )
        out.append(q)
    return out


def score_report(
    q: AnswerabilityQuestion, report: Report
) -> tuple[list[Prediction], int, int, int]:
    """Per-facet predictions; claims, ungrounded claims, claims naming a gold gap facet."""
    from litsynth.text.facets import literal_pattern
    from litsynth.text.grounding import ungrounded_entities

    found = {c.facet.name.casefold(): c for c in report.coverage}
    preds = []
    for name, gold in q.facets.items():
        cov = found.get(name.casefold())
        pred = cov.status if cov is not None else "missing"
        reason = (
            f"claims {', '.join(cov.claim_ids) or '-'}"
            + (f"; {cov.closest}" if cov.closest else "")
            if cov is not None
            else "facet not found in the question"
        )
        preds.append(
            Prediction(id=f"{q.id}:{name}", gold=gold, pred=pred, confidence=1.0, reason=reason)
        )
    ungrounded = sum(1 for c in report.claims if ungrounded_entities(c.text, c.quote))
    gaps = [literal_pattern(n) for n, s in q.facets.items() if s == "gap"]
    naming_gap = sum(1 for c in report.claims if any(p.search(c.text) for p in gaps))
    return preds, len(report.claims), ungrounded, naming_gap


def _papers_store(papers: Path, settings: Settings, cache_dir: Path) -> PaperStore:
    from litsynth.evals.tasks.e2e import _paper_store

    files = sorted(p.name for p in papers.glob("*.pdf"))
    if not files:
        raise DatasetError(f"{papers}: no PDFs", hint="pass --papers with the papers folder")
    return _paper_store(papers, files, settings, cache_dir)


def rules_only_settings(settings: Settings) -> Settings:
    """The settings with every optional LLM step off and no retries of malformed answers."""
    update = {
        "llm": settings.llm.model_copy(update={"max_retries": 0}),
        "gate": settings.gate.model_copy(update={"use_llm": False}),
        "extraction": settings.extraction.model_copy(update={"use_llm": False}),
        "panel": settings.panel.model_copy(update={"use_llm": False}),
        "report": settings.report.model_copy(update={"use_llm": False}),
    }
    return settings.model_copy(update=update)


def no_chat_model() -> BaseChatModel:
    """A chat model that answers nothing usable, so every judgement takes its rule fallback."""
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    class NoChatModel(BaseChatModel):
        """Answers every call with an empty message (no tool call)."""

        model_name: str = "none (rules only)"

        @property
        def _llm_type(self) -> str:
            return "rules-only"

        def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
            return self

        def _generate(
            self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
        ) -> ChatResult:
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=""))])

    return NoChatModel()


def run_answerability(
    settings: Settings,
    *,
    gold: Path | None = None,
    papers: Path | None = None,
    store: PaperStore | None = None,
    limit: int | None = None,
    rules_only: bool = False,
    cache_dir: Path = Path(".litsynth/evals"),
    progress: Progress | None = None,
) -> TaskResult:
    """Ask every gold question and score facet statuses and grounding of the claims."""
    from litsynth.api import research
    from litsynth.evals.datasets import shared_data_dir

    started = time.perf_counter()
    questions = load_questions(gold or GOLD)[:limit]
    chat_model = no_chat_model() if rules_only else None
    if rules_only:
        settings = rules_only_settings(settings)
    if store is None:
        store = _papers_store(papers or shared_data_dir() / "papers", settings, cache_dir)
    preds: list[Prediction] = []
    notes: list[str] = []
    n_claims = n_ungrounded = n_gap_named = abstained = all_gap = 0
    task = progress.add_task("answerability", total=len(questions)) if progress else None
    for q in questions:
        try:
            report = research(q.question, store=store, config=settings, chat_model=chat_model)
        except LitsynthError as exc:
            notes.append(f"{q.id}: research failed: {exc.one_line()}")
            preds += [
                Prediction(
                    id=f"{q.id}:{n}", gold=g, pred="missing", confidence=1.0, reason="failed"
                )
                for n, g in q.facets.items()
            ]
        else:
            scored, c, u, g = score_report(q, report)
            preds += scored
            n_claims, n_ungrounded, n_gap_named = n_claims + c, n_ungrounded + u, n_gap_named + g
            if all(s == "gap" for s in q.facets.values()):
                all_gap += 1
                abstained += report.gate_verdict == "insufficient_evidence"
            notes.append(
                f"{q.id}: verdict {report.gate_verdict}; "
                + ", ".join(f"{x.id.split(':', 1)[1]} {x.gold}->{x.pred}" for x in scored)
            )
        if progress is not None and task is not None:
            progress.advance(task)
    gold_labels = [p.gold for p in preds]
    pred_labels = [p.pred for p in preds]
    by_status = {
        f"accuracy_{s}": (
            sum(1 for p in preds if p.gold == s and p.pred == s)
            / max(1, sum(1 for p in preds if p.gold == s))
        )
        for s in STATUSES
    }
    result_metrics: dict[str, float | None] = {
        "facet_status_accuracy": (
            sum(g == p for g, p in zip(gold_labels, pred_labels, strict=True)) / len(preds)
            if preds
            else 0.0
        ),
        **by_status,
        "facets_missing": float(pred_labels.count("missing")),
        "claims": float(n_claims),
        "ungrounded_claim_rate": n_ungrounded / n_claims if n_claims else 0.0,
        "gap_entity_claims": float(n_gap_named),
        "abstention_rate_all_gap": abstained / all_gap if all_gap else None,
    }
    confusion: dict[str, dict[str, int]] = {}
    for want, got in zip(gold_labels, pred_labels, strict=True):
        row = confusion.setdefault(want, {})
        row[got] = row.get(got, 0) + 1
    return TaskResult(
        dataset="papers-answerability",
        task="answerability",
        n=len(preds),
        metrics=result_metrics,
        confusion=confusion,
        config={
            "gold": str(gold or GOLD),
            "questions": len(questions),
            "rules_only": rules_only,
        },
        verifier=settings.verifier.kind,
        seconds=round(time.perf_counter() - started, 2),
        notes=notes,
        predictions=preds,
    )
