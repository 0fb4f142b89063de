"""Checks that model output and extracted sentences are fit to enter the graph's state.

Small models leak their prompt ("True if the paper bears on the question."), restate refusals
("The answer is not possible"), emit JSON or HTML debris (``&#34;queries&#34;``) and invent terms
("Graphene Nanoparticle Quantum Computing"). Each check returns the reason a text is rejected,
or ``None`` when it passes, so the caller can count and report every rejection.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from litsynth.text.grounding import normalize
from litsynth.text.terms import key_terms, term_stem

_REFUSAL = re.compile(
    r"\b(the answer is|answer is not|not possible|not available|cannot (be )?answer\w*|"
    r"can ?not be determined|i (cannot|can't|am unable)|as an ai|no answer|unanswerable|"
    r"insufficient information|i don't know)\b",
    re.I,
)
_DEBRIS = re.compile(
    r"(&#?\w+;|[{}<>\[\]`|\\]|\"\s*:|\"\w+\"\s*:|\bfunction\s+\w+|\bqueries\s*:|"
    r"\bsub_questions\b|\bsentence_id\b|\bnull\b|\bNone\b)"
)
_LETTER = re.compile(r"[A-Za-z]")
_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_QUESTION_WORDS = frozenset(
    {"how", "what", "which", "why", "when", "where", "who", "does", "do", "is", "are", "can"}
    | {"could", "should", "would", "will"}
)
# Extracted sentences: what is not a statement of the paper.
_FOOTNOTE = re.compile(r"^(\d{1,2}|[*†‡§¶])\s?[A-Z][a-z]")
_CAPTION = re.compile(r"^\(?(fig(ure)?|tab(le)?|alg(orithm)?)\.?\s*\d+[a-z]?\s*[:.)|]", re.I)
_SUBFIGURE = re.compile(r"^\(?[a-h]\)\s")
# Text just before a caption's first sentence: "Figure 1. Bit-level scaling laws for ..." is a
# title, not a statement (the sentences after it in the caption may be findings).
_CAPTION_LABEL = re.compile(r"\b(?:fig(?:ure)?|tab(?:le)?)\.?\s*\d+[a-z]?\s*[:.]\s*$", re.I)
_REFERENCE = re.compile(
    r"(^\[\d+\]|^[A-Z][A-Za-z'-]+,\s+(?:[A-Z]\.\s?){1,3}(,|and\b)|"
    r"\(\s?(19|20)\d\d[a-z]?\s?\)\.\s|\bIn Proceedings\b|\barXiv preprint\b|"
    r"\bpp\.\s?\d+|\bvol\.\s?\d+|\bdoi:)",
)
_NUMBER = re.compile(r"^[-+±]?\d+([.,]\d+)?[%×x]?$")
MIN_ECHO_WORDS = 4
ECHO_SHARE = 0.85


def refusal(text: str) -> str | None:
    """A restated refusal or non-answer ("The answer is not possible")."""
    return "restated refusal" if _REFUSAL.search(text) else None


def debris(text: str) -> str | None:
    """Markup, escaped entities or JSON/code fragments."""
    return "markup or JSON debris" if _DEBRIS.search(text) else None


def numbers_only(text: str) -> str | None:
    """No letter at all ("1.2", "3.5")."""
    return None if _LETTER.search(text) else "only numbers or symbols"


def _stems(text: str) -> set[str]:
    return {term_stem(t) for t in key_terms(text) if t not in _QUESTION_WORDS}


def off_question(text: str, question: str) -> str | None:
    """Shares no content word (by crude stem) with the question."""
    return None if _stems(text) & _stems(question) else "no content word of the question"


def novel_terms(text: str, question: str) -> list[str]:
    """Names in ``text`` (capitalised words, acronyms, tokens with digits) the question lacks."""
    low = question.casefold()
    names = [m.group(0) for m in _CAPITALISED.finditer(text)]
    out = []
    for i, name in enumerate(names):
        first_word = i == 0 and text.lstrip().startswith(name)
        if first_word and not any(c.isupper() for c in name[1:]) and not _has_digit(name):
            continue  # an ordinary capitalised first word
        if name.casefold() in _QUESTION_WORDS or name.casefold() in low:
            continue
        out.append(name)
    return list(dict.fromkeys(out))


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


@dataclass
class PromptEcho:
    """Recognises text copied from the prompt or the answer schema (a field's description, a
    placeholder, a class docstring) rather than written about the papers."""

    texts: list[str] = field(default_factory=list)
    _word_sets: list[frozenset[str]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._word_sets = [frozenset(_words(t)) for t in self.texts if _words(t)]

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> PromptEcho:
        """From prompt and schema texts; each is split into sentences."""
        parts: list[str] = []
        for text in texts:
            parts += [p for p in re.split(r"(?<=[.?!:])\s+|\n+", text) if p.strip()]
        return cls(parts)

    def echo(self, text: str) -> str | None:
        """Why ``text`` is prompt text, or None: nearly all its words sit in one prompt sentence."""
        words = _words(text)
        if len(words) < MIN_ECHO_WORDS:
            norm = normalize(text).casefold()
            hit = any(norm and norm == normalize(t).casefold() for t in self.texts)
            return "copies the prompt" if hit else None
        for ws in self._word_sets:
            if sum(1 for w in words if w in ws) >= ECHO_SHARE * len(words):
                return "copies the prompt or answer schema"
        return None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def schema_texts(models: Iterable[type]) -> list[str]:
    """Class docstrings and field descriptions of pydantic models (the answer schema's text)."""
    out: list[str] = []
    for model in models:
        if model.__doc__:
            out.append(model.__doc__)
        for f in getattr(model, "model_fields", {}).values():
            if f.description:
                out.append(f.description)
            if isinstance(f.default, str) and f.default:
                out.append(f.default)
    return out


def query_problem(
    text: str,
    question: str,
    *,
    echo: PromptEcho | None = None,
    in_corpus: Callable[[str], bool] | None = None,
) -> str | None:
    """Why a planner sub-question or query must not be used, or None."""
    text = normalize(text)
    for check in (numbers_only, refusal, debris):
        problem = check(text)
        if problem:
            return problem
    if echo is not None and (problem := echo.echo(text)):
        return problem
    if problem := off_question(text, question):
        return problem
    unknown = novel_terms(text, question)
    if unknown and in_corpus is not None:
        missing = [t for t in unknown if not in_corpus(t)]
        if missing:
            return f"names {', '.join(missing[:3])}, in neither the question nor the corpus"
    return None


def reason_problem(reason: str, *, keep: bool, echo: PromptEcho | None = None) -> str | None:
    """Why an LLM's reason cannot be shown beside a keep/drop decision, or None."""
    text = normalize(reason)
    for check in (refusal, debris):
        problem = check(text)
        if problem:
            return problem
    if echo is not None and (problem := echo.echo(text)):
        return problem
    negative = bool(
        re.search(
            r"\b(not|isn't|doesn't|does not|no longer|un)\s*(relevant|related|bear\w*|about)\b|"
            r"\birrelevant\b|\boff-?topic\b|\bunrelated\b",
            text,
            re.I,
        )
    )
    if keep and negative:
        return "says off-topic beside a kept source"
    if not keep and not negative and re.search(r"\b(relevant|bears? on|related)\b", text, re.I):
        return "says relevant beside a dropped source"
    return None


def statement_problem(sentence: str, preceding: str = "") -> str | None:
    """Why an extracted sentence is not a statement of the paper (question, footnote, caption,
    reference entry, table debris), or None. ``preceding`` is the text just before it, where a
    caption label ("Figure 1.") marks the sentence as the caption's title."""
    text = normalize(sentence)
    if text.endswith("?"):
        return "question"
    if _FOOTNOTE.match(text):
        return "footnote fragment"
    if _CAPTION.match(text) or _SUBFIGURE.match(text) or _CAPTION_LABEL.search(preceding):
        return "caption fragment"
    if _REFERENCE.search(text):
        return "reference-list entry"
    tokens = text.split()
    numeric = sum(1 for t in tokens if _NUMBER.match(t.strip("()[],;")))
    if tokens and numeric / len(tokens) > 0.3:
        return "table debris"
    return None


def first_problem(texts: Sequence[str], check: Callable[[str], str | None]) -> str | None:
    """The first problem ``check`` finds among ``texts``."""
    for t in texts:
        if problem := check(t):
            return problem
    return None
