"""Hard cases built from our own training corpora without an LLM (MiniCheck-style).

From a *supported* train example (claim + its evidence sentences):

- leave the rationale out: the evidence without the sentences that support the claim, so the
  claim loses its support (not enough info);
- flip the claim while keeping the evidence: a number that the evidence states changed, a
  negation added or removed, a direction reversed (increase/decrease, higher/lower, ...), an
  antonym swapped (effective/ineffective, ...): contradicted;
- quote the evidence: a rationale sentence itself as the claim (supported), beside its flip
  (contradicted). Without these, a model trained on flips alone learned that a claim nearly
  identical to its evidence may well be contradicted, and read verbatim sentences as such;
- restate the evidence: a rationale sentence cut the way answer clauses cut their quotes (its
  reporting lead, parentheses and trailing clause dropped, "the weights of X" read "X weights"),
  supported, beside its flip. With quotes alone, a model read "GPTQ quantizes OPT-175B weights
  to 3-bit precision." against its own source as contradicted.

Built only from the fit part of train (never from calibration or dev claims), so they stay out
of every set used to choose or report.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from litsynth.training.data import Example
from litsynth.verification.cross import evidence_text
from litsynth.verification.features import TOP_K

SUPPORTED, CONTRADICTED, NEI = 0, 1, 2
# bump when the kinds of case made change, so a changed recipe never resumes an old run
RECIPE = 2

_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.]*\d)")
_AUXILIARY = re.compile(
    r"\b(is|are|was|were|can|could|does|do|did|has|have|had|may|might|will|would|should)\b"
)
_NOT = re.compile(r"\b(is|are|was|were|can|could|does|do|did|has|have|had|may|will|would)\s+not\s+")
_DIRECTION_PAIRS = (
    ("increases", "decreases"),
    ("increased", "decreased"),
    ("increase", "decrease"),
    ("increasing", "decreasing"),
    ("higher", "lower"),
    ("more", "less"),
    ("greater", "smaller"),
    ("raises", "lowers"),
    ("raised", "lowered"),
    ("improves", "worsens"),
    ("improved", "worsened"),
    ("enhances", "reduces"),
    ("reduces", "increases"),
    ("reduced", "increased"),
    ("reduce", "increase"),
    ("upregulates", "downregulates"),
    ("upregulated", "downregulated"),
    ("up-regulated", "down-regulated"),
    ("positively", "negatively"),
    ("positive", "negative"),
    ("above", "below"),
    ("gain", "loss"),
)
_ANTONYM_PAIRS = (
    ("effective", "ineffective"),
    ("safe", "unsafe"),
    ("benign", "malignant"),
    ("present", "absent"),
    ("high", "low"),
    ("early", "late"),
    ("better", "worse"),
    ("promotes", "inhibits"),
    ("activates", "inhibits"),
    ("induces", "suppresses"),
    ("protects", "harms"),
    ("sensitive", "resistant"),
    ("stable", "unstable"),
    ("common", "rare"),
    ("beneficial", "harmful"),
    ("accurate", "inaccurate"),
    ("associated", "unassociated"),
    ("significant", "insignificant"),
)


def _swap_table(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for a, b in pairs:
        table.setdefault(a, b)
        table.setdefault(b, a)
    return table


_DIRECTION = _swap_table(_DIRECTION_PAIRS)
_ANTONYM = _swap_table(_ANTONYM_PAIRS)


def _swap_first(claim: str, table: dict[str, str]) -> str | None:
    for m in re.finditer(r"[A-Za-z][A-Za-z\-]*", claim):
        word = m.group(0)
        swap = table.get(word.lower())
        if swap:
            swap = swap.capitalize() if word[0].isupper() else swap
            return claim[: m.start()] + swap + claim[m.end() :]
    return None


def flip_direction(claim: str) -> str | None:
    """The claim with its first direction word reversed, or None if it has none."""
    return _swap_first(claim, _DIRECTION)


def flip_antonym(claim: str) -> str | None:
    """The claim with its first listed antonym swapped, or None."""
    return _swap_first(claim, _ANTONYM)


def flip_negation(claim: str) -> str | None:
    """Remove an "X not" negation, else add "not" after the first auxiliary; None if neither."""
    m = _NOT.search(claim)
    if m:
        return claim[: m.start()] + m.group(1) + " " + claim[m.end() :]
    m = _AUXILIARY.search(claim)
    if m:
        return claim[: m.end()] + " not" + claim[m.end() :]
    return None


def _changed(number: str) -> str:
    if "." in number:
        digits = len(number.split(".")[1])
        return f"{float(number) * 2 + 1:.{digits}f}"
    n = int(number)
    return str(n * 2 if n > 2 else n + 3)


def flip_number(claim: str, evidence: str) -> str | None:
    """The claim with a number the evidence also states changed, or None."""
    stated = set(_NUMBER.findall(evidence))
    for m in _NUMBER.finditer(claim):
        if m.group(1) in stated:
            return claim[: m.start(1)] + _changed(m.group(1)) + claim[m.end(1) :]
    return None


_REPORTING_LEAD = re.compile(
    r"^(?:(?:here|in this study|in this work),?\s+)?"
    r"(?:we|our (?:results|data|findings|analyses)|these (?:results|data|findings)|this study"
    r"|the results|results)\s+(?:also\s+)?(?:show|shows|showed|shown|demonstrate|demonstrated"
    r"|indicate|indicated|suggest|suggested|find|found|reveal|revealed|confirm|confirmed)"
    r"\s+that\s+",
    re.IGNORECASE,
)
_SECTION_HEADER = re.compile(r"^(?:[A-Z]{4,}(?:\s(?:AND\s)?[A-Z]{4,})?)\s+(?=[A-Z])")
_PARENTHESES = re.compile(r"\s+\([^()]*\)")
_TRAILING_CLAUSE = re.compile(
    r"(?:,\s*(?:which|while|whereas|but|although|thus|suggesting|indicating|and thus)\b|;\s)"
)
_OF_NAME = re.compile(r"\bthe ([a-z]+) of ((?:[A-Z0-9][\w\-.]*[\w])(?:\s[A-Z0-9][\w\-]*)*)")


def restate(sentence: str) -> str | None:
    """The sentence cut and reworded so it still follows from itself, or None if unchanged or
    too short to stand as a claim."""
    text = _SECTION_HEADER.sub("", sentence.strip())
    text = _REPORTING_LEAD.sub("", text)
    text = _PARENTHESES.sub("", text)
    cut = _TRAILING_CLAUSE.search(text)
    if cut and len(text[: cut.start()].split()) >= 6:
        text = text[: cut.start()]
    text = _OF_NAME.sub(lambda m: f"{m.group(2)} {m.group(1)}", text, count=1)
    text = text.rstrip(" ,;.") + "."
    if text[:2].islower():  # a cut lead left "the vaccine ..."; "cDNA ..." stays as it is
        text = text[0].upper() + text[1:]
    if len(text.split()) < 6 or text.rstrip(".") == sentence.strip().rstrip("."):
        return None
    return text


@dataclass(frozen=True)
class HardCase:
    """A generated pair and how it was made."""

    kind: str
    claim: str
    evidence: str
    label: int


def _pick(key: str, n: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % n


def leave_rationale_out(ex: Example, order: np.ndarray) -> HardCase | None:
    """The evidence without the rationale sentences: the claim loses its support."""
    if ex.label != SUPPORTED or not ex.rationale:
        return None
    drop = set(ex.rationale)
    keep = [int(i) for i in order if int(i) not in drop]
    if not keep:
        return None
    return HardCase("leave_rationale_out", ex.claim, evidence_text(ex.sentences, keep, TOP_K), NEI)


def flipped(ex: Example, order: np.ndarray) -> HardCase | None:
    """One contradicting flip of a supported claim (number, negation, direction or antonym)."""
    if ex.label != SUPPORTED:
        return None
    evidence = evidence_text(ex.sentences, order, TOP_K)
    flips: list[tuple[str, Callable[[str], str | None]]] = [
        ("number", lambda c: flip_number(c, evidence)),
        ("direction", flip_direction),
        ("antonym", flip_antonym),
        ("negation", flip_negation),
    ]
    made = [(kind, f(ex.claim)) for kind, f in flips]
    usable = [(kind, c) for kind, c in made if c and c != ex.claim]
    if not usable:
        return None
    # numbers and directions first (the checkable conflicts); otherwise a hash-picked flip
    first = [u for u in usable if u[0] in ("number", "direction")]
    kind, claim = first[0] if first else usable[_pick(ex.claim, len(usable))]
    return HardCase(f"flip_{kind}", claim, evidence, CONTRADICTED)


def _with_flip(kind: str, claim: str, evidence: str) -> list[HardCase]:
    """The claim as supported, then its first number/direction/negation flip as contradicted."""
    out = [HardCase(kind, claim, evidence, SUPPORTED)]
    for flip_kind, flip in (
        ("number", flip_number(claim, evidence)),
        ("direction", flip_direction(claim)),
        ("negation", flip_negation(claim)),
    ):
        if flip and flip != claim:
            out.append(HardCase(f"{kind}_flip_{flip_kind}", flip, evidence, CONTRADICTED))
            break
    return out


def _rationale_in_evidence(ex: Example, order: np.ndarray) -> tuple[str, str] | None:
    if ex.label != SUPPORTED or not ex.rationale:
        return None
    evidence = evidence_text(ex.sentences, order, TOP_K)
    sentence = ex.sentences[ex.rationale[0]]
    return (sentence, evidence) if sentence in evidence else None


def quoted(ex: Example, order: np.ndarray) -> list[HardCase]:
    """A rationale sentence the model reads as the claim (supported) and its flip (contradicted)."""
    found = _rationale_in_evidence(ex, order)
    return _with_flip("quoted", *found) if found else []


def paraphrased(ex: Example, order: np.ndarray) -> list[HardCase]:
    """A rationale sentence restated (:func:`restate`) as the claim, and its flip."""
    found = _rationale_in_evidence(ex, order)
    claim = restate(found[0]) if found else None
    return _with_flip("paraphrased", claim, found[1]) if found and claim else []


def hard_cases(
    examples: Sequence[Example], orders: Sequence[np.ndarray], limit: int | None = None
) -> list[HardCase]:
    """The hard cases the examples yield (call with fit-part examples only); with ``limit``, a
    fixed hash sample of that many, a quarter each of leave-rationale-out, flips, quoted and
    restated sentences (with their flips) where possible."""
    made: list[HardCase] = []
    for ex, order in zip(examples, orders, strict=True):
        for case in (leave_rationale_out(ex, order), flipped(ex, order)):
            if case is not None:
                made.append(case)
        made += quoted(ex, order) + paraphrased(ex, order)
    # identical cases once: claims about one abstract share its rationale sentence to quote
    made = list({(h.kind, h.claim, h.evidence): h for h in made}.values())
    if limit is None or len(made) <= limit:
        return made
    made.sort(key=lambda h: hashlib.sha256(f"{h.kind}\t{h.claim}\t{h.evidence}".encode()).digest())
    lanes = [
        [h for h in made if h.kind == "leave_rationale_out"],
        [h for h in made if h.kind.startswith("flip_")],
        [h for h in made if h.kind.startswith("quoted")],
        [h for h in made if h.kind.startswith("paraphrased")],
    ]
    out: list[HardCase] = []
    # equal shares; the shortest lanes go first, so room one cannot fill goes to the others
    for i, lane in enumerate(sorted(lanes, key=len)):
        out += lane[: (limit - len(out)) // (len(lanes) - i)]
    return out
