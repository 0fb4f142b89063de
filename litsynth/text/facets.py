"""Question facets and literal coverage matching.

A *facet* is one checkable part of a research question: an entity it names (a model,
method, benchmark, hardware, metric or bit width) or the relation it asks about. Facets are
found deterministically (a small model cannot be trusted to find them); a facet is matched
against a claim's quoted span literally: case-insensitive, on token boundaries, so "3-bit"
matches "3-bit", "3 bit" and "3-bits" but never "13-bit", and "Llama-2-7B" matches only a
span that names that model. A *near neighbour* is the same model family with another size
or version ("LLaMA-65B" for "Llama-2-7B") or the same kind of setting with another value
("4-bit" for "3-bit"); it makes a facet ``partial`` at best, never ``answered``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from litsynth.schema.records import Claim, Facet, FacetCoverage, FacetKind
from litsynth.text.finding_fields import read_fields
from litsynth.text.grounding import entities
from litsynth.text.terms import key_terms, term_stem


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BENCHMARKS = _words(
    """
    gsm8k mmlu hellaswag arc arc-e arc-c arc-easy arc-challenge piqa winogrande lambada wikitext
    wikitext2 wikitext-2 wikitext-103 c4 ptb boolq truthfulqa humaneval mbpp mt-bench big-bench
    bbh squad glue superglue asqa eli5 qampari strategyqa openbookqa obqa copa rte storycloze
    triviaqa naturalquestions nq math svamp drop alpacaeval vicuna-bench
    """
)
_HARDWARE = _words(
    """
    a100 h100 v100 t4 a10 a10g a6000 l4 l40 rtx3090 rtx4090 3090 4090 gpu gpus tpu tpus cpu cpus
    jetson mi250 mi300 m1 m2 raspberry
    """
)
_MODEL_FAMILIES = _words(
    """
    llama llama2 llama-2 llama3 opt bloom bloomz falcon mistral mixtral gpt gpt-2 gpt-3 gpt-4
    gpt-j gpt-neox pythia t5 flan-t5 bert roberta vicuna guanaco gemma qwen phi chatglm
    baichuan yi olmo stablelm cerebras galactica
    """
)
_METHODS = _words(
    """
    gptq awq spqr qlora lora smoothquant llm.int8 llm.int8() rtn zeroquant omniquant quip
    squeezellm nf4 int4 int8 int3 fp16 fp8 fp4 bf16 int2
    """
)
_METRICS = _words("f1 bleu rouge rouge-l em ppl mrr ndcg mauve")
_GENERIC = _words(
    """
    large language models model llm llms neural network networks deep learning paper papers
    study studies result results performance method methods approach approaches work
    """
)
_SIZE = re.compile(r"^\d+(\.\d+)?[bBmMkK]$")
_BITS = re.compile(r"^(\d+)[-\s]?bits?$", re.I)
_BIT_SPAN = re.compile(r"(?<![A-Za-z0-9.])(\d+)[-\s]?bits?(?![A-Za-z0-9])", re.I)
_NAMED = re.compile(
    r"(?<![\w-])([A-Z][A-Za-z]*[a-z][A-Za-z0-9]*|[A-Z]{2,})((?:\s+\d+(?:\.\d+)?[A-Za-z]{0,2})*)"
    r"(?![\w-])"
)
_SENTENCE_START = re.compile(r"(^|[.?!]\s+)$")
_LEADING_ALPHA = re.compile(r"^[A-Za-z]+")
_QUESTION_WORDS = _words(
    "how what which why when where who does do is are can could should would will"
)
MIN_FAMILY = 3


def _parts(name: str) -> list[str]:
    return [p for p in re.split(r"[-\s_]+", name.strip()) if p]


def literal_pattern(name: str) -> re.Pattern[str]:
    """Token-boundary, case-insensitive pattern for a name; hyphen, space or nothing between
    its parts; a bit width also matches its plural ("3-bits")."""
    bits = _BITS.match(name)
    if bits:
        body = rf"{bits.group(1)}[-\s]?bits?"
    else:
        body = r"[-\s]?".join(re.escape(p) for p in _parts(name))
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.I)


def family_of(name: str, kind: FacetKind) -> str:
    """The family prefix of a model/benchmark name ("Llama-2-7B" -> "llama"); '' if none."""
    if kind not in ("model", "benchmark", "method", "other"):
        return ""
    m = _LEADING_ALPHA.match(name)
    fam = m.group(0).lower() if m else ""
    return fam if len(fam) >= MIN_FAMILY and fam != name.lower() else ""


def classify(name: str) -> FacetKind:
    """The kind of an entity name, by gazetteer and shape."""
    low = name.lower()
    if _BITS.match(name):
        return "precision"
    if low in _BENCHMARKS:
        return "benchmark"
    if low in _HARDWARE or re.fullmatch(r"(rtx|gtx)?[-\s]?\d{3,4}(ti)?", low):
        return "hardware"
    if low in _METHODS:
        return "method"
    if low in _METRICS:
        return "metric"
    lead = _LEADING_ALPHA.match(name)
    fam = lead.group(0).lower() if lead else ""
    sized = any(_SIZE.match(p) for p in _parts(name))
    if low in _MODEL_FAMILIES or fam in _MODEL_FAMILIES or sized:
        return "model"
    return "other"


def _entity_names(question: str) -> list[str]:
    """Entity tokens of the question, plus capitalised names inside it ("Mistral", "Falcon"),
    with a name and a following size/version joined ("Llama 2 7B" -> "Llama-2-7B")."""
    names: list[str] = []
    for tok in entities(question):
        tok = tok.strip("?,;:()")
        if tok and tok not in names:
            names.append(tok)
    for m in _NAMED.finditer(question):
        word = m.group(1)
        if word.lower() in _QUESTION_WORDS or (
            not any(c.isupper() for c in word[1:])
            and not m.group(2)
            and _SENTENCE_START.search(question[: m.start()])
        ):
            continue
        if m.group(2):
            parts = [word, *m.group(2).split()]
            names = [n for n in names if n not in parts]
            word = "-".join(parts)
        if word.lower() not in _GENERIC and word not in names:
            names.append(word)
    order = {n: question.find(n.split("-")[0]) for n in names}
    names.sort(key=lambda n: order[n])
    return [n for n in names if n.lower() not in _GENERIC]


def relation_terms(question: str, names: Sequence[str]) -> list[str]:
    """Content words of the question that are not entity names nor generic: the relation."""
    covered = {n.lower() for n in names} | {p.lower() for n in names for p in _parts(n)}
    return [
        t
        for t in key_terms(question)
        if t not in covered and t not in _GENERIC and t not in _QUESTION_WORDS
    ]


def find_facets(question: str) -> list[Facet]:
    """The question's facets: one per entity it names, then the relation it asks about."""
    names = _entity_names(question)
    rel = relation_terms(question, names)
    facets = [
        Facet(
            id=f"F{i}",
            name=name,
            kind=classify(name),
            sub_question=f"What does the corpus report about {name}?",
            queries=[" ".join([name, *rel[:3]])],
        )
        for i, name in enumerate(names, 1)
    ]
    if rel:
        facets.append(
            Facet(
                id=f"F{len(facets) + 1}",
                name=" / ".join(rel),
                kind="relation",
                terms=rel,
                sub_question=question,
                queries=[" ".join(rel)],
            )
        )
    return facets


def merge_plan(facets: list[Facet], plan_subs: Sequence[tuple[str, list[str]]]) -> list[Facet]:
    """Attach the LLM plan's sub-questions to the facets they literally name.

    A sub-question serves a facet when it names the entity (token-boundary match) or, for the
    relation, shares one of its terms; its queries then serve the facet too. Facets the plan
    invents are not accepted: only the question's own entities are facets.
    """
    out = []
    for f in facets:
        sub, queries = f.sub_question, list(f.queries)
        for text, qs in plan_subs:
            hit = (
                any(term_stem(t) in text.lower() for t in f.terms)
                if f.kind == "relation"
                else bool(literal_pattern(f.name).search(text))
            )
            if hit:
                sub = text if f.kind != "relation" else sub
                queries += [q for q in qs if q not in queries]
                break
        out.append(f.model_copy(update={"sub_question": sub, "queries": queries[:4]}))
    return out


@dataclass(frozen=True)
class Match:
    """How one claim's quote bears on one facet."""

    status: str  # "answered" | "partial" | ""
    neighbour: str = ""


def _neighbour(facet: Facet, quote: str) -> str:
    """A near neighbour of the facet named in the quote, or ''."""
    bits = _BITS.match(facet.name)
    if bits:
        other = [m.group(0) for m in _BIT_SPAN.finditer(quote) if m.group(1) != bits.group(1)]
        return other[0] if other else ""
    fam = family_of(facet.name, facet.kind)
    if not fam:
        return ""
    m = re.search(
        rf"(?<![A-Za-z0-9]){re.escape(fam)}[A-Za-z]*(?:[-\s]?\d+(?:\.\d+)?[A-Za-z]?)*"
        r"(?![A-Za-z0-9])",
        quote,
        re.I,
    )
    return m.group(0) if m else ""


def match(facet: Facet, quote: str) -> Match:
    """Whether a quoted span answers the facet, names a near neighbour only, or neither."""
    if facet.kind == "relation":
        low = quote.lower()
        hits = [t for t in facet.terms if term_stem(t) in low]
        need = min(2, len(facet.terms))
        if len(hits) >= need:
            return Match("answered")
        if hits:
            missing = [t for t in facet.terms if t not in hits]
            return Match("partial", f"mentions {', '.join(hits)} but not {', '.join(missing)}")
        return Match("")
    if literal_pattern(facet.name).search(quote):
        return Match("answered")
    bits = _BITS.match(facet.name)
    if bits and int(bits.group(1)) in read_fields(quote).weight_bits:
        return Match("answered")  # "3 or 4 bits per weight", "3-4 bits", "INT3" state 3-bit
    near = _neighbour(facet, quote)
    return Match("partial", near) if near else Match("")


def coverage(facets: Sequence[Facet], claims: Sequence[Claim]) -> list[FacetCoverage]:
    """Status per facet from the supported claims' quoted spans (literal matching)."""
    supported = sorted((c for c in claims if c.verdict == "supported"), key=lambda c: int(c.id[1:]))
    out = []
    for f in facets:
        answered: list[str] = []
        partial: list[tuple[str, str]] = []
        for c in supported:
            m = match(f, c.quote)
            if m.status == "answered":
                answered.append(c.id)
            elif m.status == "partial":
                partial.append((c.id, m.neighbour))
        if answered:
            out.append(FacetCoverage(facet=f, status="answered", claim_ids=answered))
        elif partial:
            names = list(dict.fromkeys(n for _, n in partial))
            closest = (
                f"near neighbour only: {', '.join(names[:3])}"
                if f.kind != "relation"
                else partial[0][1]
            )
            out.append(
                FacetCoverage(
                    facet=f,
                    status="partial",
                    claim_ids=[cid for cid, _ in partial],
                    closest=closest,
                )
            )
        else:
            out.append(FacetCoverage(facet=f, status="gap", claim_ids=[]))
    return out


def summary(cov: Sequence[FacetCoverage]) -> dict[str, int]:
    """Counts per status, for the manifest."""
    return {s: sum(1 for c in cov if c.status == s) for s in ("answered", "partial", "gap")}
