"""Read a result sentence into fields: method, model, bits, metric, value, direction, baseline.

Rules only (a 135M model cannot be trusted to fill them): gazetteers for methods, models and
metrics, patterns for bit widths ("3 or 4 bits per weight", "W8A8", "INT4", "4-bit
activations"), values (percentages, factors, points) and the direction of the effect, where
negated loss ("without degradation", "negligible loss") is read before loss.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from litsynth.schema.records import Direction

_METHOD_NAMES = (
    "GPTQ",
    "AWQ",
    "SpQR",
    "QLoRA",
    "LoRA",
    "SmoothQuant",
    "LLM.int8()",
    "LLM.int8",
    "ZeroQuant",
    "OmniQuant",
    "QuIP",
    "SqueezeLLM",
    "OBQ",
    "OBS",
    "RTN",
    "NF4",
    "NormalFloat",
    "GPTQ-R",
    "round-to-nearest",
    "mixed-precision decomposition",
    "vector-wise quantization",
    "quantization-aware training",
    "post-training quantization",
    "double quantization",
    "paged optimizers",
    "activation-aware",
)
_MODEL = re.compile(
    r"(?<![A-Za-z0-9])((?:OPT|BLOOM(?:Z)?|L[Ll][Aa][Mm][Aa](?:-?\d)?|GPT-?(?:2|3|J|NeoX|4)?|"
    r"Falcon|Pythia|Vicuna|Guanaco|Mistral|BERT|RoBERTa|T5|Gopher|Chinchilla|PaLM|Conformer)"
    r"(?:[-\s]?\d+(?:\.\d+)?[BMbm])?)(?![A-Za-z])"
)
_ARCH = re.compile(
    r"\b((?:encoder|decoder)-only|encoder-decoder) (?:models?|LMs?|transformers?)", re.I
)
_SIZE_MODEL = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?[BM])[-\s](?:parameter\s)?(?:models?|LLMs?)")
_SIZE = r"(\d+(?:\.\d+)?(?:\s?(?:-|–|to)\s?\d+(?:\.\d+)?)?)\s?(B|M|billion|million)\b"
# "GPT models with 175 billion parameters", "smaller models in the 1-10B parameter range"
_MODELS_OF_SIZE = re.compile(
    r"\b(?:models?|LLMs?)\s+(?:in the|of|with|at|up to)\s+(?:the\s)?(?:range of\s)?(?:about\s)?"
    + _SIZE
    + r"[-\s]?param",
    re.I,
)
_SIZE_PARAMETERS = re.compile(r"(?<![\w.])" + _SIZE + r"[-\s]param", re.I)
_METRICS = (
    ("zero-shot accuracy", r"zero-?shot (?:task )?(?:accuracy|performance)"),
    ("perplexity", r"perplexit(?:y|ies)"),
    ("accuracy", r"accura(?:cy|te)"),
    ("MMLU", r"MMLU"),
    ("Vicuna benchmark", r"Vicuna benchmark"),
    ("memory", r"memory|GPU hours"),
    ("speed", r"speed-?ups?|faster|latency|throughput|inference speed"),
    ("model size", r"model size|compression|size reduction"),
    ("performance", r"performance"),
)
_BENCHMARK = re.compile(
    r"(?<![A-Za-z0-9])(WikiText-?2?|C4|PTB|LAMBADA|PIQA|HellaSwag|WinoGrande|ARC(?:-[ec])?|"
    r"GSM8K|MMLU|BoolQ|LibriSpeech|GLUE)(?![A-Za-z0-9])"
)
_VALUE = re.compile(
    r"(?<![\w.])([<>~≈]?\s?\d+(?:\.\d+)?\s?(?:%|×|x(?![A-Za-z])|-?fold|\s?points?|\s?pp|\s?GB|"
    r"\s?perplexity))",
    re.I,
)
_PER_WEIGHT = r"(?:\s(?:per\s)?(?:weights?|parameters?)(?![A-Za-z]))?"
_BITS_RANGE = re.compile(
    r"(?<![\w.])(\d{1,2})\s?(?:or|to|-|–|and)\s?(\d{1,2})[-\s]?bits?" + _PER_WEIGHT, re.I
)
_BITS = re.compile(r"(?<![\w.])(\d{1,2})[-\s]?bits?(?![A-Za-z])" + _PER_WEIGHT, re.I)
_INT = re.compile(r"(?<![A-Za-z])(?:INT|Int|int|NF)(\d{1,2})(?![0-9])")
_WA = re.compile(r"(?<![A-Za-z])W(\d{1,2})A(\d{1,2})(?![0-9])")
_ACTIVATION_NEAR = re.compile(r"^\W*(?:\w+\W+){0,2}activations?", re.I)
_COMPARED = re.compile(
    r"\b(?:compared (?:to|with)|relative to|than|versus|vs\.?|over|against)\s+"
    r"((?:the\s)?[\w.()\-]+(?:\s(?!with\b|and\b|for\b|on\b|at\b|in\b)[\w.()\-]+){0,3})",
    re.I,
)
_BASELINE_WORDS = re.compile(
    r"\b(full[-\s]precision|FP16|16-bit|float32|fp32|uncompressed|unquantized|baseline|"
    r"round-to-nearest|RTN)\b",
    re.I,
)
DIRECTIONS: tuple[tuple[Direction, re.Pattern[str]], ...] = (
    (
        "no_loss",
        re.compile(
            r"without (?:any )?(?:\w+ )?(?:performance |accuracy )?(?:degradation|loss|drop)|"
            r"without (?:\w+ )?(?:degrading|sacrificing|hurting|losing)|"
            r"no (?:\w+ )?(?:performance |accuracy )?(?:degradation|loss|drop)|"
            # "a procedure that does not incur any performance degradation" (LLM.int8())
            r"\bnot (?:incur|cause|introduce|suffer|entail|show|have|lead to|result in) "
            r"(?:any |a )?(?:\w+ ){0,2}(?:degradation|loss|drop)|"
            r"without incurring (?:any )?(?:\w+ )?(?:degradation|loss|drop)|"
            r"lossless|retain\w* (?:full|the)|preserv\w* (?:the )?(?:full|accuracy|performance)|"
            r"match\w* (?:the )?(?:full|16-bit|fp16|performance)|full[-\s]precision performance|"
            r"(?:negligible|minimal|little|marginal) (?:\w+ )?(?:accuracy |performance )?"
            r"(?:degradation|loss|drop|increase|impact)|"
            r"near[-\s]lossless|on par with|comparable",
            re.I,
        ),
    ),
    (
        # usable but not lossless: "can still provide reasonable accuracy ... 2-bit"
        "small_loss",
        re.compile(
            r"\b(?:reasonable|acceptable|decent|usable) (?:\w+ )?(?:accuracy|performance)", re.I
        ),
    ),
    (
        "loss",
        re.compile(
            r"degrad\w*|collaps\w*|drops?\b|dropped|worse|los(?:s|es|ing) (?:of )?(?:\w+ )?"
            r"(?:accuracy|performance)|hurts?|fails?|breaks? down|significant(?:ly)? "
            r"(?:higher|increase)|accuracy loss|performance loss",
            re.I,
        ),
    ),
    ("speedup", re.compile(r"speed-?ups?|faster|throughput|latency", re.I)),
    (
        "memory_saving",
        re.compile(
            r"(?:reduc\w*|sav\w*|cut\w*|halv\w*|lower\w*|less)\W+(?:\w+\W+){0,3}memory|"
            # "compresses X to 3 bits" states a saving; "compression techniques" names a field
            r"memory (?:savings?|reductions?)|size reduction|compress(?:es|ed)\b|smaller",
            re.I,
        ),
    ),
    (
        "gain",
        re.compile(r"outperform\w*|improv\w*|better|higher accuracy|surpass\w*|optimal", re.I),
    ),
)
_SMALL = re.compile(
    r"(?<!-)\b(small|slight\w*|modest|minor|only)\b|\b(less than|under|within|below) \d", re.I
)


@dataclass
class FindingFields:
    """What a sentence states, field by field; empty where it does not say."""

    method: str = ""
    model: str = ""
    weight_bits: list[int] = field(default_factory=list)
    bits_text: str = ""
    activation_bits: list[int] = field(default_factory=list)
    metric: str = ""
    value: str = ""
    direction: Direction = "none"
    compared_with: str = ""


_COMPARAND_BEFORE = re.compile(r"(?:unlike|than|over|versus|vs\.?|compared (?:to|with))\s+$")
_OURS = re.compile(r"\bour (?:method|approach|technique|algorithm|quantized models)")


def title_head(title: str) -> str:
    """The title before its colon ("SpQR" of "SpQR: A Sparse-Quantized Representation ...")."""
    return title.split(":", 1)[0].strip()


def _method(sentence: str, title: str) -> str:
    """The method the sentence reports on: a listed name that is not what it is compared with
    ("Unlike LLM.int8(), ... our quantized models"), else the paper's own (its title's head)."""
    low = sentence.lower()
    head = title_head(title)
    own = ":" in title and 1 <= len(head.split()) <= 2
    if own and _OURS.search(low):
        return head
    for name in _METHOD_NAMES:
        m = re.search(rf"(?<![\w.]){re.escape(name.lower())}(?![\w])", low)
        if m and not _COMPARAND_BEFORE.search(low[max(0, m.start() - 16) : m.start()]):
            return name
    if own and head.lower() in low:
        return head
    integer = re.search(r"(?<![A-Za-z.])INT(\d{1,2})(?![0-9])", sentence)
    return f"INT{integer.group(1)} quantization" if integer else ""


_BELOW = re.compile(r"(?:fewer|less|smaller) than\s+(?:about\s)?$|(?:under|below|up to)\s+$", re.I)
_ABOVE = re.compile(
    r"(?:more|larger|greater) than\s+(?:about\s)?$"
    r"|(?:over|above|at least|starting at(?: about)?)\s+$",
    re.I,
)


def _size(m: re.Match[str]) -> tuple[str, str]:
    """The size as the sentence words it ("175 billion", "1-10B") and its bound: "under",
    "up to", "from" or ""."""
    unit = m.group(2)
    size = m.group(1) + (f" {unit}" if len(unit) > 1 else unit)
    before = m.string[max(0, m.start(1) - 24) : m.start(1)]
    below = _BELOW.search(before)
    if below:  # "up to 175B" is said as such: "under" would exclude the 175B model itself
        return size, "up to" if below.group(0).casefold().startswith("up to") else "under"
    return size, "from" if _ABOVE.search(before) else ""


def _sized(size: str, bound: str) -> str:
    return f"models {bound} {size} parameters" if bound else f"{size} parameter models"


def _model(sentence: str) -> str:
    """The model family (with its size when the sentence states one), the architecture, or the
    model size; a size matters when sources disagree ("smaller models in the 1-10B range").
    Worded as the sentence words them, so a clause naming the model names nothing its quote
    does not."""
    m = _MODEL.search(sentence)
    sized = _MODELS_OF_SIZE.search(sentence) or _SIZE_PARAMETERS.search(sentence)
    if m:
        family = m.group(1)
        if re.search(r"\d[BMbm]$", family) or sized is None:
            return family
        size, bound = _size(sized)
        return f"{family} {bound} {size} parameters" if bound else f"{size} parameter {family}"
    arch = _ARCH.search(sentence)
    if arch:
        return f"{arch.group(1)} models"
    short = _SIZE_MODEL.search(sentence)
    if short:
        return short.group(0)
    return _sized(*_size(sized)) if sized else ""


def _bits(sentence: str) -> tuple[list[int], list[int], str]:
    """Weight bits, activation bits, and the weight bits as the sentence words them."""
    weights: list[int] = []
    acts: list[int] = []
    wording: list[str] = []
    for m in _WA.finditer(sentence):
        weights.append(int(m.group(1)))
        acts.append(int(m.group(2)))
        wording.append(m.group(0))
    spans: list[tuple[int, list[int], str]] = []
    for m in _BITS_RANGE.finditer(sentence):
        spans.append((m.end(), [int(m.group(1)), int(m.group(2))], m.group(0)))
    for m in [*_BITS.finditer(sentence), *_INT.finditer(sentence)]:
        inside = any(end - 20 <= m.start() and m.end() <= end for end, _, _ in spans)
        if not inside:
            spans.append((m.end(), [int(m.group(1))], m.group(0)))
    for end, values, text in sorted(spans):
        target = acts if _ACTIVATION_NEAR.match(sentence[end:]) else weights
        if target is weights:
            wording.append(text)
        target.extend(v for v in values if 1 <= v <= 32 and v not in target)
    # 16 and 32 bits are the unquantized baseline ("20-30% faster ... compared to 16-bit")
    weights = [b for b in weights if b < 16]
    wording = [w for w in wording if any(int(n) < 16 for n in re.findall(r"\d+", w))]
    return sorted(set(weights)), sorted(set(acts)), wording[0] if wording else ""


def _metric(sentence: str) -> str:
    bench = _BENCHMARK.search(sentence)
    for name, pattern in _METRICS:
        if re.search(pattern, sentence, re.I):
            return f"{name} ({bench.group(1)})" if bench else name
    return bench.group(1) if bench else ""


_NEGATED = re.compile(r"(?:fail(?:s|ed)? to|not|unable to|cannot|can't|never)\s+(?:\w+\s+)?$", re.I)


def _direction(sentence: str) -> Direction:
    for direction, pattern in DIRECTIONS:
        m = pattern.search(sentence)
        if (
            m
            and direction == "no_loss"
            and _NEGATED.search(sentence[max(0, m.start() - 30) : m.start()])
        ):
            return "loss"  # "they fail to preserve accuracy at higher rates"
        if m:
            if direction == "loss" and _SMALL.search(sentence):
                return "small_loss"
            return direction
    return "none"


_TRAILING = frozenset(
    [
        "to",
        "it",
        "its",
        "since",
        "that",
        "which",
        "the",
        "a",
        "an",
        "by",
        "of",
        "as",
        "is",
        "are",
        "was",
        "be",
        "can",
    ]
)


def _comparand(raw: str) -> str:
    """The compared-with phrase without trailing function words; '' when it names nothing
    (a bare number or citation such as "35", or a clause fragment)."""
    words = raw.rstrip(".,;").split()
    if words and words[-1].endswith(")") and "(" not in " ".join(words):
        words[-1] = words[-1].rstrip(")")  # "than 16-bit Float)": the bracket closes outside
    while words and words[-1].casefold() in _TRAILING:
        words.pop()
    if words and re.fullmatch(r"[\d.,%]+", words[0]):
        return ""  # "over 35 of the tasks": a count, not a comparand
    phrase = " ".join(words)
    return phrase if sum(c.isalpha() for c in phrase) >= 2 else ""


def _compared(sentence: str, method: str) -> str:
    m = _COMPARED.search(sentence)
    if m and (phrase := _comparand(m.group(1))):
        return phrase
    base = _BASELINE_WORDS.search(sentence)
    if base is None or base.group(1).lower() == method.lower():
        return ""
    return base.group(1)


def read_fields(sentence: str, title: str = "") -> FindingFields:
    """The fields a sentence states; ``title`` names the method when the paper is its method."""
    weights, acts, bits_text = _bits(sentence)
    value = _VALUE.search(sentence)
    method = _method(sentence, title)
    return FindingFields(
        method=method,
        model=_model(sentence),
        weight_bits=weights,
        bits_text=bits_text,
        activation_bits=acts,
        metric=_metric(sentence),
        value=" ".join(value.group(1).split()) if value else "",
        direction=_direction(sentence),
        compared_with=_compared(sentence, method),
    )


ACCURACY_DIRECTIONS: tuple[Direction, ...] = ("no_loss", "small_loss", "loss")


def asked_bits(question: str) -> set[int]:
    """The weight widths a question asks about ("at 3 to 4 bits", "INT4", "8-bit")."""
    return set(_bits(question)[0])


def at_bits(bits: set[int], weight_bits: Sequence[int]) -> bool:
    """Whether stated ``weight_bits`` include one of ``bits``; any do when no bits are asked."""
    return not bits or bool(bits & set(weight_bits))


_ASKS_MEMORY = re.compile(r"memory|footprint", re.I)
_ASKS_SPEED = re.compile(r"speed|latency|faster|throughput", re.I)
_MEMORY_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s?(?:GB|GiB|MB)\b")
_SPEED_FACTOR = re.compile(r"\d+(?:\.\d+)?\s?[x×](?![A-Za-z])")


def asked_effects(question: str) -> tuple[Direction, ...]:
    """The effects other than accuracy the question asks about: memory saving, speed-up."""
    asked: list[Direction] = []
    if _ASKS_MEMORY.search(question):
        asked.append("memory_saving")
    if _ASKS_SPEED.search(question):
        asked.append("speedup")
    return tuple(asked)


def answers_asked(sentence: str, question: str, title: str = "") -> bool:
    """Whether the sentence states what the question asks for: accuracy kept or lost at the
    bits it names, a memory amount or saving when it asks about memory, a speed-up when it asks
    about speed. Such a sentence answers the question whatever words it uses ("converted to
    Int8 ... without performance degradation" for an 8-bit question)."""
    fields = read_fields(sentence, title)
    bits = asked_bits(question)
    if bits and at_bits(bits, fields.weight_bits) and fields.direction in ACCURACY_DIRECTIONS:
        return True
    effects = asked_effects(question)
    # "compression techniques" and "25x smaller" read as memory_saving but state no memory
    if "memory_saving" in effects and (
        _MEMORY_AMOUNT.search(sentence)
        or (fields.direction == "memory_saving" and _ASKS_MEMORY.search(sentence))
    ):
        return True
    return "speedup" in effects and bool(
        fields.direction == "speedup" or _SPEED_FACTOR.search(sentence)
    )


_ASKS_ACCURACY = re.compile(
    r"accura|perplexit|degrad|los[es]|losing|preserv|quality|perform|effect|affect", re.I
)


def asks_accuracy(question: str) -> bool:
    """Whether the question asks what happens to accuracy (not only memory, speed or how-to)."""
    return bool(_ASKS_ACCURACY.search(question))
