"""Task ``e2e``: claim precision of full research reports on the quantization papers.

Each gold research question is put to ``litsynth.research``; every claim of the report is then
checked. A report claim *matches* a gold claim when both cite the same paper and their MiniLM
cosine (claim vs claim, or quote vs quote) reaches ``MATCH_THRESHOLD``, or when the two quotes
overlap. Claims matching no gold claim go to a judge (``litsynth.evals.tasks.judge``), given
the PDF page the claim cites; its quote must also occur on that page. The judge is ``llm`` (the
configured chat model with the ``judge`` prompt, independent of the system under test; the
default) or ``verifier`` (the verifier the graph itself uses). The gold label of a report claim
is ``supported`` when it matches or the judge supports it, else ``not_enough_info``; the report's
own verdict is the prediction. ``precision_supported`` is therefore the end-to-end claim
precision; ``precision_supported_gold_only`` counts only gold-matched claims as supported. A
failed judge call is named in the claim's reason, counted (``config.judge.failures``,
``judge_failure_rate``) and never confirms the claim.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from litsynth.errors import DatasetError, LitsynthError, StoreError
from litsynth.evals.tasks.common import Prediction, TaskResult, score, shared_embedder
from litsynth.evals.tasks.e2e_answer import (
    answer_items,
    answer_statements,
    baseline_sentences,
    off_topic_cited,
    statement_support,
)
from litsynth.evals.tasks.judge import Judge, JudgeItem, JudgeKind, open_judge
from litsynth.evals.tasks.judge_controls import CONTROL_KINDS, run_controls
from litsynth.schema.verdicts import Verdict
from litsynth.text.grounding import normalize

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from rich.progress import Progress

    from litsynth.settings import LLMSettings, Settings
    from litsynth.vectorstore.store import PaperStore

GOLD_DIR = Path(__file__).resolve().parents[1] / "gold"
GOLD_CLAIMS = GOLD_DIR / "quantization_claims.jsonl"
GOLD_QUESTIONS = GOLD_DIR / "quantization_questions.jsonl"
MATCH_THRESHOLD = 0.75
JUDGE_BATCH = 8
"""Claims per judge call batch (the progress bar advances per batch)."""


class GoldClaim(BaseModel):
    """A hand-checked claim with its verbatim quote and page."""

    model_config = ConfigDict(extra="ignore")

    id: str
    paper: str = Field(description="arXiv id.")
    file: str = Field(description="PDF file name in the papers folder.")
    page: int = Field(ge=1)
    claim: str
    quote: str
    questions: list[str] = Field(default_factory=list)


class GoldQuestion(BaseModel):
    """A research question and the gold claims that answer it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    question: str
    claims: list[str]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise DatasetError(f"{path}: gold file not found", hint="pass --gold with an existing file")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DatasetError(
                    f"{path}:{n}: not valid JSON ({exc.msg})", hint="fix it"
                ) from exc
    return rows


def load_gold_claims(path: Path = GOLD_CLAIMS) -> list[GoldClaim]:
    """The gold claims file."""
    return [GoldClaim.model_validate(row) for row in _read_jsonl(path)]


def load_questions(path: Path = GOLD_QUESTIONS) -> list[GoldQuestion]:
    """The gold research questions file."""
    return [GoldQuestion.model_validate(row) for row in _read_jsonl(path)]


def _research() -> Callable[..., Any]:
    """The research entry point (tests replace it); an import failure is a bug, not a skip."""
    from litsynth.api import research

    return research


def _paper_store(
    papers: Path, files: Sequence[str], settings: Settings, cache_dir: Path
) -> PaperStore:
    from litsynth.ingest.runner import ingest_paths
    from litsynth.settings import StoreSettings
    from litsynth.text.embedding import get_embedder
    from litsynth.vectorstore.store import PaperStore

    pdfs = [papers / f for f in sorted(set(files))]
    missing = [p.name for p in pdfs if not p.is_file()]
    if missing:
        raise DatasetError(
            f"{papers}: {len(missing)} of the {len(pdfs)} gold papers are missing "
            f"(e.g. {missing[0]})",
            hint="pass --papers with the papers folder or set LITSYNTH_SHARED_DATA",
        )
    h = hashlib.sha256(settings.chunking.model_dump_json().encode())
    for pdf in pdfs:
        h.update(f"{pdf.name}\t{pdf.stat().st_size}\n".encode())
    where = cache_dir / f"quantization-papers-{h.hexdigest()[:16]}"
    store = PaperStore.open(
        StoreSettings(path=where, collection="eval"),
        get_embedder(settings.embedding),
        chunking=settings.chunking,
    )
    if not (where / "INGESTED").is_file():
        ingest_paths(store, pdfs)
        (where / "INGESTED").write_text(f"{len(pdfs)} PDFs\n", encoding="utf-8")
    return store


def _page_reader(store: Any) -> Callable[[str, int], str]:
    """Normalised stored text of a cited page ("" when the store lacks it).

    The judge reads the page the claim cites, as ingested: re-extracting the PDF here would
    differ from the ingested text (joined hyphenation, layout fixes) for about one sentence in
    eight, and those claims could then not be judged at all. Each page is read once per reader:
    claims, answer statements and judge controls cite the same pages.
    """

    @functools.cache
    def read(doc_id: str, page: int) -> str:
        try:
            return normalize(store.page_text(doc_id, page))
        except StoreError:
            return ""

    return read


def _paper_of(doc_id: str, title: str, source: str, gold: Sequence[GoldClaim]) -> str | None:
    for g in gold:
        if g.paper in doc_id or g.paper in source or g.file in source or g.paper in title:
            return g.paper
    return None


def run_e2e(
    settings: Settings,
    *,
    gold: Path | None = None,
    questions: Path | None = None,
    papers: Path | None = None,
    limit: int | None = None,
    cache_dir: Path = Path(".litsynth/evals"),
    progress: Progress | None = None,
    embedder: Any | None = None,
    chat_model: Any | None = None,
    judge: JudgeKind = "llm",
    judge_model: BaseChatModel | None = None,
    judge_llm: LLMSettings | None = None,
) -> TaskResult:
    """Ask every gold question, then score the report claims against the gold claims.

    ``chat_model`` is injected into every research run (None: the configured endpoint or the
    local default server). ``judge`` picks who confirms claims that match no gold claim:
    ``llm`` uses ``judge_model`` when given, else the configured endpoint or the local default
    server (started once, before the research runs, so a missing model fails fast), with
    ``judge_llm`` settings (None: ``settings.llm``); ``verifier`` uses the configured verifier.
    """
    from litsynth.evals.datasets import shared_data_dir

    started = time.perf_counter()
    gold_claims = load_gold_claims(gold or GOLD_CLAIMS)
    gold_questions = load_questions(questions or GOLD_QUESTIONS)[:limit]
    config: dict[str, Any] = {
        "gold": str(gold or GOLD_CLAIMS),
        "match_threshold": MATCH_THRESHOLD,
        "chat_model": "injected" if chat_model is not None else "configured endpoint",
        "judge": {"kind": judge},
    }
    research = _research()
    papers_dir = papers or shared_data_dir() / "papers"
    store = _paper_store(papers_dir, [g.file for g in gold_claims], settings, cache_dir)
    sources = {d.doc_id: (d.title, d.source_path) for d in store.documents()}
    notes: list[str] = []
    report_claims: list[tuple[str, Any]] = []
    answers: list[tuple[str, list[Any]]] = []
    answer_reports: list[str] = []
    off_topic: list[str] = []
    baseline: list[Any] = []
    embedder = embedder or shared_embedder(settings)
    with open_judge(
        judge, settings, chat_model=judge_model, llm=judge_llm, embedder=embedder
    ) as judge_:
        task = progress.add_task("e2e research", total=len(gold_questions)) if progress else None
        for q in gold_questions:
            try:
                report = research(q.question, store=store, config=settings, chat_model=chat_model)
            except LitsynthError as exc:
                notes.append(f"{q.id}: research failed: {exc.one_line()}")
            else:
                report_claims.extend((q.id, c) for c in report.claims)
                items = answer_items(report)
                answers.extend(items)
                answer_reports.extend(q.id for _ in items)
                off_topic.extend(f"{q.id}:{d}" for d in off_topic_cited(report, q.question))
            baseline.extend((q.id, s) for s in baseline_sentences(store, q.question, embedder))
            if progress is not None and task is not None:
                progress.advance(task)
        if not report_claims:
            return TaskResult(
                dataset="quantization-gold",
                task="e2e",
                n=0,
                metrics={},
                config={**config, "judge": judge_.describe()},
                notes=notes,
                skipped="no report produced any claim" + (f" ({notes[0]})" if notes else ""),
            )
        cited_page = _page_reader(store)
        labels, reasons, matched_gold, counts = _label_claims(
            report_claims, gold_claims, sources, cited_page, embedder, judge_, progress
        )
        config["judge"] = {**judge_.describe(), **counts}
        found = answer_statements(
            answers,
            lambda xs: match_gold(xs, gold_claims, sources, embedder),
            MATCH_THRESHOLD,
            answer_reports,
        )
        supported_answers, n_answers, answer_counts = statement_support(
            found, len(answers), cited_page, judge_
        )
        controls = run_controls(found, judge_, cited_page)
    notes.append(
        f"judge {judge_.name}: {counts['asked']} claims asked, {counts['confirmed']} confirmed, "
        f"{counts['failures']} judge failures; {counts['quote_not_on_page']} quotes not on "
        "their cited page"
    )
    verdicts = [
        Verdict(
            label=c.verdict or "unverified",
            confidence=c.confidence if c.confidence is not None else 0.5,
            judge="report",
        )
        for _, c in report_claims
    ]
    scored = score(labels, verdicts)
    strict = [
        lab if reason.startswith("gold") else "not_enough_info"
        for lab, reason in zip(labels, reasons, strict=True)
    ]
    from litsynth.evals.metrics import precision_supported

    result_metrics: dict[str, float | None] = dict(scored["metrics"])
    result_metrics["precision_supported_gold_only"] = precision_supported(
        strict, [v.label if v.label != "unverified" else "not_enough_info" for v in verdicts]
    )
    wanted = {cid for q in gold_questions for cid in q.claims}
    result_metrics["gold_recall"] = len(matched_gold & wanted) / len(wanted) if wanted else None
    # The same recall from the claims chosen for the question alone, without the cited
    # sources' other headline results (Claim.kind "source_result").
    from_answer = {
        reason.split()[1]
        for (_, c), reason in zip(report_claims, reasons, strict=True)
        if reason.startswith("gold ") and getattr(c, "kind", "answer") == "answer"
    }
    result_metrics["gold_recall_answer_claims"] = (
        len(from_answer & wanted) / len(wanted) if wanted else None
    )
    baseline_gold = {
        gold_claims[j].id
        for _, (j, best) in zip(
            baseline,
            match_gold([s for _, s in baseline], gold_claims, sources, embedder),
            strict=True,
        )
        if best >= MATCH_THRESHOLD
    }
    result_metrics["answer_sentences"] = n_answers
    result_metrics["answer_support_rate"] = supported_answers / n_answers if n_answers else None
    # A judge that cannot tell a statement's own quotes from others' gives no evidence: its
    # rate is kept under another name and the headline rate is left empty.
    result_metrics["judge_controls_passed"] = float(controls.passed)
    for kind in CONTROL_KINDS:
        result_metrics[f"judge_control_{kind}_confirmed"] = controls.rate(kind)
    if not controls.passed:
        result_metrics["answer_support_rate_unvalidated"] = result_metrics["answer_support_rate"]
        result_metrics["answer_support_rate"] = None
    result_metrics["off_topic_sources_cited"] = len(off_topic)
    result_metrics["baseline_gold_recall"] = (
        len(baseline_gold & wanted) / len(wanted) if wanted else None
    )
    result_metrics["baseline_answer_support_rate"] = 1.0 if baseline else None
    base = result_metrics["baseline_gold_recall"]
    ours = result_metrics["gold_recall"]
    result_metrics["gold_recall_over_baseline"] = ours / base if base and ours is not None else None
    notes.append(
        f"answer sentences: {n_answers}, {supported_answers} supported (each of their "
        f"{answer_counts['statements']} statements: {answer_counts['gold']} by gold match, "
        f"{answer_counts['confirmed']} of {answer_counts['judged']} judged confirmed, "
        f"{answer_counts['failures']} judge failures); off-topic sources cited: "
        f"{', '.join(off_topic) or 'none'}; baseline: {len(baseline)} search sentences "
        "(each its own quote, so supported by construction)"
    )
    notes.append(controls.summary())
    result_metrics["judge_failure_rate"] = (
        counts["failures"] / counts["asked"] if counts["asked"] else None
    )
    return TaskResult(
        dataset="quantization-gold",
        task="e2e",
        n=len(report_claims),
        metrics=result_metrics,
        per_label=scored["per_label"],
        confusion=scored["confusion"],
        calibration=scored["calibration"],
        config={**config, "questions": len(gold_questions)},
        verifier="report verdicts",
        seconds=round(time.perf_counter() - started, 2),
        notes=notes,
        predictions=[
            Prediction(
                id=f"{qid}:{getattr(c, 'id', i)}",
                gold=lab,
                pred=v.label,
                confidence=v.confidence,
                reason=reason,
            )
            for i, ((qid, c), lab, v, reason) in enumerate(
                zip(report_claims, labels, verdicts, reasons, strict=True)
            )
        ],
    )


def _label_claims(
    report_claims: Sequence[tuple[str, Any]],
    gold_claims: Sequence[GoldClaim],
    sources: dict[str, tuple[str, str]],
    cited_page: Callable[[str, int], str],
    embedder: Any,
    judge: Judge,
    progress: Progress | None = None,
) -> tuple[list[str], list[str], set[str], dict[str, int]]:
    """Gold label and the reason for it, per report claim; the ids of gold claims matched; and
    the judge's counts (asked, confirmed, failures, quote_not_on_page)."""
    claims = [c for _, c in report_claims]
    labels: list[str] = []
    reasons: list[str] = []
    matched: set[str] = set()
    to_judge: list[int] = []
    for i, (best_j, best) in enumerate(match_gold(claims, gold_claims, sources, embedder)):
        if best >= MATCH_THRESHOLD:
            matched.add(gold_claims[best_j].id)
            labels.append("supported")
            reasons.append(f"gold {gold_claims[best_j].id} (similarity {best:.2f})")
        else:
            labels.append("not_enough_info")
            reasons.append("")
            to_judge.append(i)
    items: list[JudgeItem] = []
    judged: list[int] = []
    for i in to_judge:
        c = claims[i]
        page = cited_page(c.doc_id, c.page)
        if not page or normalize(c.quote) not in page:
            reasons[i] = f"judge ({judge.name}) not asked: quote not found on its cited page"
            continue
        items.append(JudgeItem(c.text, normalize(c.quote), page, doc_id=c.doc_id, page=c.page))
        judged.append(i)
    task = progress.add_task("e2e judge", total=len(items)) if progress and items else None
    counts = {
        "asked": len(items),
        "confirmed": 0,
        "failures": 0,
        "quote_not_on_page": len(to_judge) - len(items),
    }
    judgements = []
    for start in range(0, len(items), JUDGE_BATCH):
        batch = items[start : start + JUDGE_BATCH]
        judgements.extend(judge.judge_many(batch))
        if progress is not None and task is not None:
            progress.advance(task, len(batch))
    for i, outcome in zip(judged, judgements, strict=True):
        if outcome.confirmed:
            labels[i] = "supported"
            counts["confirmed"] += 1
        counts["failures"] += outcome.failed
        reasons[i] = outcome.reason
    return labels, reasons, matched, counts


def match_gold(
    claims: Sequence[Any],
    gold_claims: Sequence[GoldClaim],
    sources: dict[str, tuple[str, str]],
    embedder: Any,
) -> list[tuple[int, float]]:
    """Per claim, the best gold claim of the same paper (index, similarity; -1 when none).

    Similarity is the MiniLM cosine of claim to gold claim or quote to gold quote, 1.0 when the
    quotes overlap."""
    if not claims:
        return []
    texts = [c.text for c in claims] + [c.quote for c in claims]
    gold_texts = [g.claim for g in gold_claims] + [g.quote for g in gold_claims]
    vec = embedder.encode(texts)
    gvec = embedder.encode(gold_texts)
    n, m = len(claims), len(gold_claims)
    sim = vec[:n] @ gvec[:m].T
    sim_quote = vec[n:] @ gvec[m:].T
    out: list[tuple[int, float]] = []
    for i, c in enumerate(claims):
        title, source = sources.get(c.doc_id, ("", ""))
        paper = _paper_of(c.doc_id, title, source, gold_claims)
        best_j, best = -1, -1.0
        for j, g in enumerate(gold_claims):
            if g.paper != paper:
                continue
            overlap = normalize(g.quote) in normalize(c.quote) or normalize(c.quote) in normalize(
                g.quote
            )
            s = 1.0 if overlap else max(float(sim[i, j]), float(sim_quote[i, j]))
            if s > best:
                best_j, best = j, s
        out.append((best_j, best))
    return out
