"""Cues that tell a finding ("4-bit models lose 1 point") from background or method prose."""

from __future__ import annotations

import re

_RESULT = re.compile(
    r"\b(outperform\w*|improv\w*|reduc\w*|degrad\w*|drop\w*|loss(es)?|lower|higher|better|"
    r"worse|faster|slower|speed-?ups?|match(es|ed)?|retain\w*|preserv\w*|recover\w*|comparable|"
    r"negligible|optimal|pareto|accura\w+|perplexit\w+|increas\w*|decreas\w*|surpass\w*|"
    r"exceed\w*|competitive|significant\w*|minimal|saves?|achiev\w*)\b",
    re.I,
)
_CLAIM_VERB = re.compile(
    r"\b(we|results?|experiments?|this|our \w+) (show|find|found|observe|demonstrate|reveal|"
    r"indicate|confirm|suggest)\w*\b",
    re.I,
)
_QUANTITY = re.compile(r"\d+(\.\d+)?\s?(%|×|x\b|-?bits?\b|points?\b|pp\b|[kmb]\b|gb\b)", re.I)
_METHOD = re.compile(
    r"^(in this (paper|work)|we (propose|introduce|present|describe|follow|use|adopt|consider|"
    r"define|denote|refer)|our (method|approach|framework)|this (paper|work) (proposes|presents)|"
    r"the rest of|section \d)",
    re.I,
)
_JUNK = re.compile(
    r"(∗|†|‡|equal contribution|@|github\.com|https?://|arxiv preprint|in proceedings|"
    r"preprint arxiv|\bet al\.,? (19|20)\d\d\.$|, (19|20)\d\d[a-z]?\.$)",
    re.I,
)
_ENUMERATED = re.compile(r"^(\d+|[ivx]+|[a-z])[.)]\s", re.I)
# A reference-list entry: "[44] Ying Sheng, Lianmin Zheng, ..." or a bare author list.
_REFERENCE = re.compile(r"^\[\d{1,3}\]\s|^(?:[A-Z][\w'-]+ (?:[A-Z]\.? )*[A-Z][\w'-]+, ){3,}")
# What others found ("has recently been shown", "prior work") or what the paper will do ("we
# also provide insights into"): about a result, but not one the source states.
_NOT_OWN_RESULT = re.compile(
    r"\b(ha(s|ve) (recently |previously |already )?been (shown|demonstrated|reported|found)|"
    r"ha(s|ve) been (widely |extensively |well |previously )?(studied|explored|investigated|"
    r"proposed|adopted)|"
    r"we (believe|hypothesi[sz]e|conjecture|speculate|expect|can expect|anticipate)|"
    r"(prior|previous|existing|earlier|recent) (\w+ ){0,2}(work|works|studies|methods|"
    r"techniques|approaches) (\[[\d, ]+\] )?(can|ha(s|ve)|shows?|showed|finds?|found|reports?|"
    r"reported|demonstrat\w*)|"
    r"\b(studies|(prior|previous|earlier|recent) work) (have )?(show|shown|showed|found|report)|"
    r"we (also )?(provide|give|offer) (\w+ )?(insights?|analys[ie]s|discussion)|"
    r"we (also )?(study|investigate|explore|examine|discuss|analy[sz]e) (how|whether|why|the)|"
    r"remains? (an )?(open|unclear|unknown)|it is (unclear|unknown) (whether|how)|"
    # a back-reference restates the paper's method ("As discussed above our method has ...")
    r"as (discussed|described|mentioned|noted) (above|earlier|before|previously)|"
    # an aim is not a result ("both nuQmm and ZeroQuant aim to ... reduce the memory footprint")
    r"aims? to|"
    # a setup choice ("We use 8-bit Floats ... as no degradation is observed"), not a result
    r"^we (use|employ|adopt|follow)\b|"
    r"we (run|ran|conduct\w*|perform\w*|carr(y|ied) out) (\w+ ){0,4}"
    r"(experiments|evaluations|setups)|"
    r"to (examine|investigate|study|understand|determine|explore) (which|whether|how|why)|"
    # motivation and outlook are not results ("this raises the question of how many bits ...",
    # "one major promising research direction is to focus on ...")
    r"raises? the question|(most )?(closely )?related work (is|includes)|"
    # a need or a common practice is not a result ("To ensure reliable quality, it is critical
    # to design ...", "One of the widely used compression techniques is quantization ...")
    r"it is (critical|crucial|essential|important|necessary|vital) to|"
    r"^to (ensure|scale|enable|make|achieve|reduce|improve)\b|"
    r"one of the (most )?(widely|commonly|frequently) used|in addition to showing|"
    # what the methods before this one do ("While these methods reduce memory use, they degrade
    # performance ...")
    r"^while (these|such|existing|prior|previous) (\w+ )?(methods|approaches|techniques)|"
    # an illustration of what may happen is not a result ("For example, a 30B 8-bit model and a
    # 60B 4-bit model have the same number of bits but may have very different accuracies")
    r"^(for (example|instance)|e\.g\.),? [^.]{0,200}\b(may|might|could)\b|"
    r"promising (research )?directions?|(future|further) work (is|could|"
    r"should|will)|it (might|may) (be|seem) (unintuitive|surprising|counterintuitive))\b",
    re.I,
)


def finding_score(sentence: str) -> float:
    """0 (background) to 1 (a stated, measured result); a ranking signal, not a verdict."""
    score = 0.0
    if _RESULT.search(sentence):
        score += 0.4
    if _CLAIM_VERB.search(sentence):
        score += 0.3
    if _QUANTITY.search(sentence):
        score += 0.3
    if _METHOD.search(sentence) and not _CLAIM_VERB.search(sentence):
        score -= 0.3
    return max(0.0, min(1.0, score))


def is_boilerplate(sentence: str) -> bool:
    """References, footnotes, affiliations, URLs and enumerated list fragments."""
    return bool(_JUNK.search(sentence) or _ENUMERATED.match(sentence) or _REFERENCE.match(sentence))


def is_own_result(sentence: str) -> bool:
    """False for a sentence reporting others' findings or announcing what the paper studies."""
    return not _NOT_OWN_RESULT.search(sentence)
