"""Controls for the e2e judge: statements whose answer is known, asked beside the real ones.

A judge's "supported" means something only if the judge tells a statement's own quotes from
quotes it does not rest on. From the answer statements of a run, three kinds of control:

- ``gold``: a statement that matches a gold claim, against its own quotes (known supported);
- ``other_source``: a statement against a quote of another source in the same report (known
  unsupported);
- ``edited``: a statement with one number, direction word or negation changed (never inside a
  quoted title, which only names a source), against its own quotes (known unsupported).

Each is asked as real statements are (``e2e_answer.judge_item``): the quotes and their pages.
The judge *passes* when it confirms at least ``MIN_GOLD_CONFIRMED`` of the gold controls and at
most ``MAX_WRONG_CONFIRMED`` of each unsupported kind. A judge that fails its controls gives no
evidence either way, so e2e does not report its answer-support rate as a result.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from litsynth.evals.tasks.e2e_answer import Statement, judge_item
from litsynth.evals.tasks.judge import Judge, JudgeItem
from litsynth.training.hard_cases import flip_antonym, flip_direction, flip_negation, flip_number
from litsynth.verification.features import QUOTED_TITLE

ControlKind = Literal["gold", "other_source", "edited"]
CONTROL_KINDS: tuple[ControlKind, ...] = ("gold", "other_source", "edited")
PER_KIND = 20
"""Controls asked per kind (a SmolLM2 judge call takes about 3 s)."""
MIN_GOLD_CONFIRMED = 0.8
MAX_WRONG_CONFIRMED = 0.2


@dataclass
class ControlResult:
    """Confirmed and asked counts per control kind, and whether the judge passed."""

    confirmed: dict[str, int] = field(default_factory=dict)
    asked: dict[str, int] = field(default_factory=dict)

    def rate(self, kind: ControlKind) -> float | None:
        """Share of the kind's controls the judge confirmed (None when none were asked)."""
        n = self.asked.get(kind, 0)
        return self.confirmed.get(kind, 0) / n if n else None

    @property
    def passed(self) -> bool:
        """Gold controls confirmed, unsupported ones refused, each kind asked at least once."""
        gold = self.rate("gold")
        wrong = [self.rate(k) for k in CONTROL_KINDS if k != "gold"]
        if gold is None or any(w is None for w in wrong):
            return False
        return gold >= MIN_GOLD_CONFIRMED and all(
            w is not None and w <= MAX_WRONG_CONFIRMED for w in wrong
        )

    def summary(self) -> str:
        """One line: each kind's confirmed/asked and the verdict on the judge."""
        parts = [f"{k} {self.confirmed.get(k, 0)}/{self.asked.get(k, 0)}" for k in CONTROL_KINDS]
        verdict = "passed" if self.passed else "FAILED"
        return (
            f"judge controls {verdict} (confirmed: {', '.join(parts)}; passing needs gold >= "
            f"{MIN_GOLD_CONFIRMED:.0%} and each other kind <= {MAX_WRONG_CONFIRMED:.0%})"
        )


def edited(statement: str, quote: str) -> str | None:
    """The statement with one number (one the quote states), direction word or negation changed
    outside its quoted titles; None when nothing can be changed."""
    titles = QUOTED_TITLE.findall(statement)
    masked = statement
    for i, title in enumerate(titles):
        masked = masked.replace(title, f"\x00T{i}\x00", 1)
    flipped = (
        flip_number(masked, quote)
        or flip_direction(masked)
        or flip_negation(masked)
        or flip_antonym(masked)
    )
    if flipped is None:
        return None
    for i, title in enumerate(titles):
        flipped = flipped.replace(f"\x00T{i}\x00", title, 1)
    return flipped


def control_items(
    statements: Sequence[Statement],
    cited_page: Callable[[str, int], str],
    per_kind: int = PER_KIND,
    seed: int = 0,
) -> list[tuple[ControlKind, JudgeItem]]:
    """Up to ``per_kind`` controls of each kind, chosen reproducibly."""
    rng = random.Random(seed)
    order = list(statements)
    rng.shuffle(order)
    out: dict[ControlKind, list[JudgeItem]] = {k: [] for k in CONTROL_KINDS}
    for s in order:
        own = judge_item(s.text, s.cited, cited_page)
        if s.gold:
            out["gold"].append(own)
        docs = {c.doc_id for c in s.cited}
        others = [
            c for o in statements if o.report == s.report for c in o.cited if c.doc_id not in docs
        ]
        if others:
            out["other_source"].append(judge_item(s.text, [rng.choice(others)], cited_page))
        changed = edited(s.text, own.quote)
        if changed is not None and changed != s.text:
            out["edited"].append(replace(own, claim=changed))
    return [(k, item) for k in CONTROL_KINDS for item in out[k][:per_kind]]


def run_controls(
    statements: Sequence[Statement],
    judge: Judge,
    cited_page: Callable[[str, int], str],
    per_kind: int = PER_KIND,
) -> ControlResult:
    """Ask the judge every control, as real statements are asked, and count what it confirmed."""
    items = control_items(statements, cited_page, per_kind)
    result = ControlResult()
    if not items:
        return result
    for (kind, _), j in zip(items, judge.judge_many([i for _, i in items]), strict=True):
        result.asked[kind] = result.asked.get(kind, 0) + 1
        result.confirmed[kind] = result.confirmed.get(kind, 0) + int(j.confirmed)
    return result
