"""Judges of the e2e task: who confirms a report claim that matches no gold claim.

``llm`` asks the configured chat model (prompt ``judge``), with the claim, its quoted span and
the page text around the span, for a ``JudgeVerdict``; it is independent of the verifier the
research graph uses. ``verifier`` is that same verifier (the judge the task had first). A
claim is *confirmed* only when the judge says ``supported``; a failed or unparsable LLM call is
a *judge failure*: recorded in the claim's reason, counted, and never confirmed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from litsynth.errors import LLMError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from litsynth.prompts import Prompt
    from litsynth.settings import LLMSettings, Settings
    from litsynth.verification.base import Verifier

JudgeKind = Literal["llm", "verifier"]
JUDGE_KINDS: tuple[JudgeKind, ...] = ("llm", "verifier")
PAGE_CHARS = 2400
"""Page text shown to the LLM judge around the quote (SmolLM2's context holds it easily)."""


class JudgeVerdict(BaseModel):
    """The LLM judge's verdict on one claim against the page text it cites."""

    model_config = ConfigDict(extra="ignore")

    label: Literal["supported", "contradicted", "not_enough_info"] = Field(
        description="supported: the page states the claim; contradicted: the page states "
        "otherwise; not_enough_info: the page does not say it."
    )
    reason: str = Field(
        min_length=3, max_length=400, description="Why, in one sentence, citing the page text."
    )


@dataclass(frozen=True)
class JudgeItem:
    """One claim to judge: its text, quoted span and the text of the page it cites."""

    claim: str
    quote: str
    page_text: str
    doc_id: str = ""
    page: int | None = None


@dataclass(frozen=True)
class Judgement:
    """A judge's answer for one claim; ``reason`` names the judge."""

    confirmed: bool
    reason: str
    failed: bool = False


class Judge(Protocol):
    """Confirms or refuses claims against their cited page."""

    name: str

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        """One judgement per item, in order."""
        ...

    def describe(self) -> dict[str, Any]:
        """Kind, model and settings of the judge, for the result's config."""
        ...


def page_window(page_text: str, quote: str, chars: int = PAGE_CHARS) -> str:
    """The page text around ``quote``, at most ``chars`` long (all of the quote if longer).

    Cut ends are marked with ``…``; a quote not on the page gives the page's first ``chars``.
    """
    if len(page_text) <= chars:
        return page_text
    pos = page_text.find(quote) if quote else -1
    if pos < 0:
        return page_text[:chars] + " …"
    if len(quote) >= chars:
        return quote
    start = max(0, pos - (chars - len(quote)) // 2)
    end = min(len(page_text), start + chars)
    start = max(0, end - chars)
    return (
        ("… " if start > 0 else "") + page_text[start:end] + (" …" if end < len(page_text) else "")
    )


class LLMJudge:
    """Asks a chat model, one structured call per claim (retries as configured)."""

    kind: JudgeKind = "llm"

    def __init__(
        self,
        model: BaseChatModel,
        prompt: Prompt,
        llm: LLMSettings,
        *,
        model_name: str,
        endpoint: dict[str, Any] | None = None,
        page_chars: int = PAGE_CHARS,
    ) -> None:
        self.model = model
        self.prompt = prompt
        self.llm = llm
        self.model_name = model_name
        self.endpoint = endpoint or {"base_url": "injected"}
        self.page_chars = page_chars
        self.name = f"llm {model_name}"

    def judge(self, item: JudgeItem) -> Judgement:
        """Confirm the claim when the model answers ``supported``; a failed call is a failure."""
        from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

        from litsynth.llm.structured import invoke_structured

        rendered = self.prompt.render(
            claim=item.claim,
            quote=item.quote,
            page=page_window(item.page_text, item.quote, self.page_chars),
        )
        messages: list[BaseMessage] = [
            SystemMessage(text) if role == "system" else HumanMessage(text)
            for role, text in rendered
        ]
        try:
            result = invoke_structured(
                self.model,
                JudgeVerdict,
                messages,
                method=self.llm.structured_method,
                max_retries=self.llm.max_retries,
            )
        except LLMError as exc:
            return self._failure(exc.one_line())
        if result.value is None:
            return self._failure(f"{result.error} (after {result.attempts} attempts)")
        v = result.value
        return Judgement(
            confirmed=v.label == "supported", reason=f"judge ({self.name}): {v.label}, {v.reason}"
        )

    def _failure(self, error: str) -> Judgement:
        return Judgement(
            confirmed=False,
            reason=f"judge failure ({self.name}): {error}; not confirmed",
            failed=True,
        )

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        """One call per item, in order."""
        return [self.judge(item) for item in items]

    def describe(self) -> dict[str, Any]:
        """Kind, model, endpoint, prompt hash and call settings."""
        return {
            "kind": self.kind,
            "model": self.model_name,
            "endpoint": self.endpoint,
            "prompt": {"name": self.prompt.name, "sha256": self.prompt.sha256},
            "structured_method": self.llm.structured_method,
            "max_retries": self.llm.max_retries,
            "temperature": self.llm.temperature,
            "seed": self.llm.seed,
            "page_chars": self.page_chars,
        }


class VerifierJudge:
    """The configured verifier (the graph's own judge), built on first use."""

    kind: JudgeKind = "verifier"

    def __init__(self, settings: Settings, embedder: Any | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self._verifier: Verifier | None = None
        self.name = f"verifier {settings.verifier.kind}"

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        """Verify each claim against its whole cited page."""
        from litsynth.evals.tasks.common import make_verifier
        from litsynth.schema.verdicts import EvidencePassage

        if not items:
            return []
        if self._verifier is None:
            self._verifier = make_verifier(self.settings, self.embedder)
            self.name = f"verifier {self._verifier.name}"
        pairs = [
            (i.claim, [EvidencePassage(text=i.page_text, doc_id=i.doc_id, page=i.page)])
            for i in items
        ]
        return [
            Judgement(
                confirmed=v.label == "supported",
                reason=f"judge (verifier {v.judge}): {v.label}, {v.reason}",
            )
            for v in self._verifier.verify_many(pairs)
        ]

    def describe(self) -> dict[str, Any]:
        """Kind and verifier name."""
        model = self._verifier.name if self._verifier is not None else self.settings.verifier.kind
        return {"kind": self.kind, "model": model}


@contextmanager
def open_judge(
    kind: JudgeKind,
    settings: Settings,
    *,
    chat_model: BaseChatModel | None = None,
    llm: LLMSettings | None = None,
    embedder: Any | None = None,
) -> Iterator[Judge]:
    """The judge for a run, alive for the ``with`` block.

    ``llm`` judge: ``chat_model`` when given (tests), else the configured endpoint
    (``llm.base_url`` / ``LITSYNTH_LLM_BASE_URL``) or the local default server, started here and
    stopped on exit; no other host is ever called. ``llm`` settings (None: ``settings.llm``)
    set retries and the structured-output method. Prompt overrides apply to ``judge``.
    """
    if kind == "verifier":
        yield VerifierJudge(settings, embedder)
        return
    if kind != "llm":
        from litsynth.errors import ConfigError

        raise ConfigError(f"unknown judge {kind!r}", hint="use llm or verifier")
    from litsynth.prompts import load_prompts

    prompt = load_prompts(settings.prompts.overrides)["judge"]
    llm = llm or settings.llm
    if chat_model is not None:
        name = str(getattr(chat_model, "model_name", None) or type(chat_model).__name__)
        yield LLMJudge(chat_model, prompt, llm, model_name=name)
        return
    from litsynth.llm.chat import make_chat_model
    from litsynth.llm.endpoint import resolve_endpoint

    with resolve_endpoint(settings) as ep:
        model = make_chat_model(
            llm.model_copy(update={"model": ep.model}), base_url=ep.base_url, api_key=ep.api_key
        )
        where = {
            "base_url": ep.base_url,
            "local": ep.local,
            "model_file": ep.model_file.name if ep.model_file else None,
        }
        yield LLMJudge(model, prompt, llm, model_name=ep.model, endpoint=where)
