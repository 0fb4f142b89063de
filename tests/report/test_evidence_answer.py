"""Findings, agreement/conflict across sources, and the template answer drafted from them."""

from __future__ import annotations

from litsynth.report import answer, evidence
from litsynth.text.findings import is_own_result
from litsynth.text.subject import subject_of
from tests.synthesis_fixtures import (
    ASR,
    GPTQ,
    INT4_DECODER,
    INT8_BACKGROUND,
    KBIT,
    QUESTION,
    claim,
    passage,
)


def _findings(*sources):
    claims = [claim(i, s) for i, s in enumerate(sources, start=1)]
    subject = subject_of(QUESTION)
    on_topic = evidence.on_topic_sources(subject, [passage(s) for s in sources], claims)
    return claims, [evidence.read_finding(c, QUESTION, c.doc_id in on_topic) for c in claims]


def test_background_and_off_topic_sentences_are_not_answer_bearing() -> None:
    _, found = _findings(GPTQ, INT8_BACKGROUND, ASR)
    bearing = {f.doc_id: f.answer_bearing for f in found}
    assert bearing == {"gptq": True, "int8": False, "asr": False}


def test_two_sources_keeping_accuracy_at_4_bit_agree_and_a_loss_conflicts() -> None:
    _, found = _findings(GPTQ, KBIT, INT4_DECODER)
    agree = evidence.agreements(found)
    kinds = {(a.kind, a.setting) for a in agree}
    assert ("agreement", "4-bit weights, accuracy") in kinds
    conflict = next(a for a in agree if a.kind == "conflict")
    assert set(conflict.doc_ids) == {"gptq", "int4"}
    assert "decoder-only models" in conflict.explanation  # the condition that differs
    assert "unstated" not in conflict.explanation


SPQR_PRIOR = (
    "spqr",
    "SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression",
    "However, quantization down to 3-4 bits per parameter usually leads to moderate-to-high "
    "accuracy losses, especially for smaller models in the 1-10B parameter range.",
)


def test_a_conflict_names_the_model_sizes_that_differ_and_not_the_paper_as_the_method() -> None:
    """The demo's conflict read 'GPTQ GPT 3-4-bit keeps accuracy while 3-4-bit loses it; they
    differ in method (GPTQ vs unstated), model (GPT vs unstated)'."""
    claims, found = _findings(GPTQ, SPQR_PRIOR)
    conflict = next(a for a in evidence.agreements(found) if a.kind == "conflict")
    assert conflict.explanation == (
        "At 3-bit weights, GPTQ (175 billion parameter GPT, 3-4-bit) keeps accuracy while the "
        "SpQR paper (1-10B parameter models, 3-4-bit) loses it; they differ in model (175 "
        "billion parameter GPT vs 1-10B parameter models); only one states the method."
    )
    drafts = answer.direct_answer(
        found, {c.id: c for c in claims}, [conflict], "large language models", {3}
    )
    differ = drafts[-1].text()
    assert differ.startswith(
        "Accuracy is lost under other conditions, so the sources conflict at 3-bit weights, "
        "where they differ by model (175 billion parameter GPT vs 1-10B parameter models): "
        "the SpQR paper (1-10B parameter models, 3-4 bits per parameter): quantization"
    )
    # both sides are already clauses of the answer: the conflict is named, not re-quoted
    texts = [d.text() for d in drafts]
    assert sum("negligible accuracy degradation" in t for t in texts) == 1
    assert sum("moderate-to-high accuracy losses" in t for t in texts) == 1


def test_a_conflict_whose_sides_are_not_in_the_answer_gets_its_own_sentence() -> None:
    claims, found = _findings(GPTQ, SPQR_PRIOR)
    conflict = next(a for a in evidence.agreements(found) if a.kind == "conflict")
    # the loss side states no setting of its own here, so no loss sentence carries it
    found = [
        f.model_copy(update={"direction": "none"}) if f.direction == "loss" else f for f in found
    ]
    drafts = answer.direct_answer(
        found, {c.id: c for c in claims}, [conflict], "large language models", {3}
    )
    assert not any("conflict at" in d.text() for d in drafts)
    assert drafts[-1].text().startswith("At 3-bit weights the sources differ by model")


def test_direct_answer_states_effect_with_conditions_and_cites_every_source() -> None:
    claims, found = _findings(GPTQ, KBIT, INT4_DECODER)
    by_id = {c.id: c for c in claims}
    drafts = answer.direct_answer(
        found, by_id, evidence.agreements(found), "large language models", {4}
    )
    first = drafts[0]
    assert first.text().startswith(
        "2 sources find that 4-bit weight quantization of large language models costs little "
        "or no accuracy: GPTQ (175 billion parameter GPT, 3 or 4 bits per weight): negligible "
        "accuracy degradation"
    )
    assert first.claim_ids() == ["C1", "C2"]
    failure = drafts[1]
    assert failure.lead.startswith(
        "Accuracy is lost under other conditions, so the sources conflict at 4-bit weights, "
        "where they differ by method (GPTQ vs INT4 quantization) and model (175 billion "
        "parameter GPT vs decoder-only models)"
    )
    assert len(drafts) == 2  # kept and lost: no third sentence re-quoting the conflict
    assert failure.claim_ids() == ["C3"]


def test_result_span_is_the_clause_carrying_the_result() -> None:
    assert answer.result_span(GPTQ[2]) == (
        "negligible accuracy degradation relative to the uncompressed baseline"
    )


SPEEDUP = (
    "int4s",
    "Understanding INT4 Quantization for Language Models",
    "Our INT4 pipeline is 8.5x faster for latency-oriented scenarios than FP16 inference of "
    "large language models.",
)


def test_a_question_not_about_accuracy_gets_the_other_effects_first() -> None:
    claims, found = _findings(GPTQ, SPEEDUP)
    by_id = {c.id: c for c in claims}
    asked = "How much faster is inference of large language models after quantization?"
    drafts = answer.direct_answer(found, by_id, [], "large language models", set(), asked)
    assert drafts[0].claim_ids() == ["C2"] and drafts[0].text().startswith("One source finds: ")
    assert "costs little or no accuracy" in drafts[1].text()
    about_accuracy = answer.direct_answer(
        found, by_id, [], "large language models", set(), QUESTION
    )
    assert about_accuracy[0].claim_ids() == ["C1"]


def test_a_question_not_about_quantization_is_not_answered_as_if_it_were() -> None:
    claims, found = _findings(GPTQ)
    by_id = {c.id: c for c in claims}
    asked = "Can large language models keep their accuracy with fewer GPU hours?"
    text = answer.direct_answer(found, by_id, [], "large language models", set(), asked)[0].text()
    assert "quantization of large language models" not in text
    assert text.startswith("One source finds little or no loss of accuracy: GPTQ")


def test_a_verifier_contradiction_counts_as_a_conflict_only_on_a_shared_setting() -> None:
    from litsynth.schema.records import Contradiction

    claims, found = _findings(GPTQ, KBIT, INT8_BACKGROUND)

    def contra(a: str, b: str) -> Contradiction:
        return Contradiction(claim_a=a, claim_b=b, confidence=0.9, reason="negation")

    conflicts = evidence.verifier_conflicts([contra("C1", "C2"), contra("C1", "C3")], claims, found)
    assert [(c.claim_ids, c.setting) for c in conflicts] == [(["C1", "C2"], "4-bit weights")]
    assert evidence.verifier_conflicts([contra("C1", "C3")], claims, []) == [], "no findings"
    # a setup sentence on the same setting is no conflict: it states no result
    setup = [
        f.model_copy(update={"answer_bearing": False}) if f.claim_id == "C2" else f for f in found
    ]
    assert evidence.verifier_conflicts([contra("C1", "C2")], claims, setup) == []


def test_evidence_table_rows_name_what_they_are_about() -> None:
    _, found = _findings(GPTQ, INT8_BACKGROUND)
    assert [evidence.has_setting(f) for f in found] == [True, False]


PRIOR_WORK = (
    "int8p",
    "Understanding INT4 Quantization for Transformer Models",
    "While INT8 quantization has recently been shown to be effective in reducing both the memory "
    "cost and latency while preserving model accuracy, it remains unclear whether we can "
    "leverage INT4 to achieve further latency improvement of large language models.",
)
ANNOUNCED = (
    "int4f",
    "Understanding INT4 Quantization for Transformer Models",
    "We also provide insights into the failure cases when applying INT4 to decoder-only large "
    "language models.",
)


WIDELY_STUDIED = (
    "int8w",
    "Understanding INT4 Quantization for Transformer Models",
    "As described in the introduction, the 8-bit quantization for LLMs, and/or mixing with "
    "other precision, has been widely studied and proven to be effective in recent years.",
)
STUDIES_SHOW = (
    "spqrs",
    "SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression",
    "Specifically, studies show that, although accurate, existing techniques for 3 to 4-bit "
    "quantization still lead to significant accuracy loss.",
)
RECENT_METHODS = (
    "qlorar",
    "QLoRA: Efficient Finetuning of Quantized LLMs",
    "While recent quantization methods can reduce the memory footprint of LLMs [14, 13, 18, 66], "
    "such techniques only work for inference and break down during training.",
)


def test_statements_about_prior_work_are_not_the_sources_result() -> None:
    """Claims for the 8-bit question: three sources describing what earlier work found."""
    _, found = _findings(GPTQ, WIDELY_STUDIED, STUDIES_SHOW, RECENT_METHODS)
    assert [f.answer_bearing for f in found] == [True, False, False, False]


def test_others_results_and_announced_studies_do_not_answer() -> None:
    """Demo report: 'INT8 quantization has recently been shown...' and 'we also provide
    insights into the failure cases' were answer clauses; neither states the source's result."""
    _, found = _findings(GPTQ, PRIOR_WORK, ANNOUNCED)
    bearing = {f.doc_id: f.answer_bearing for f in found}
    assert bearing == {"gptq": True, "int8p": False, "int4f": False}


def test_result_clause_keeps_its_condition_and_drops_the_reporting_verb() -> None:
    spqr = (
        "However, quantization down to 3-4 bits per parameter usually leads to moderate-to-high "
        "accuracy losses, especially for smaller models in the 1-10B parameter range, which are "
        "well-suited for edge deployments."
    )
    assert answer.result_span(spqr) == (
        "quantization down to 3-4 bits per parameter usually leads to moderate-to-high accuracy "
        "losses, especially for smaller models in the 1-10B parameter range"
    )
    assert answer.result_span(
        "We show that using INT4 introduces no or negligible accuracy degradation for "
        "encoder-only models, but causes a drop for decoder-only models."
    ) == ("using INT4 introduces no or negligible accuracy degradation for encoder-only models")


def test_other_effects_at_bits_not_asked_about_stay_out_of_the_answer() -> None:
    int8_speed = (
        "int8s",
        "SmoothQuant for large language models",
        "SmoothQuant enables W8A8 quantization of large language models with a 1.56x speedup.",
    )
    claims, found = _findings(GPTQ, int8_speed)
    drafts = answer.direct_answer(found, {c.id: c for c in claims}, [], "LLMs", {4}, QUESTION)
    assert all("C2" not in d.claim_ids() for d in drafts)


def test_a_study_description_with_a_count_is_not_a_result() -> None:
    """Chat follow-up: 'We run more than 35,000 experiments ... to examine which ... improve
    scaling' was the one-source answer to 'What about 3-bit?'."""
    study = (
        "kbit",
        "The case for 4-bit precision: k-bit Inference Scaling Laws",
        "We run more than 35,000 experiments with 16-bit inputs and k-bit parameters to examine "
        "which zero-shot quantization methods improve scaling for 3 to 8-bit precision across "
        "large language models.",
    )
    _, found = _findings(GPTQ, study)
    assert [f.answer_bearing for f in found] == [True, False]


def test_an_effect_with_no_setting_is_not_an_other_effect_in_the_answer() -> None:
    """'Quantization methods reduce the number of bits ... trading accuracy for smaller memory
    footprints' defines quantization; it names no method, model or bits it was measured on."""
    generic = (
        "kbit",
        "The case for 4-bit precision: k-bit Inference Scaling Laws",
        "Quantization methods reduce the number of bits required to represent each parameter in "
        "large language models, trading accuracy for smaller memory footprints.",
    )
    claims, found = _findings(GPTQ, generic)
    drafts = answer.direct_answer(found, {c.id: c for c in claims}, [], "LLMs", {4}, QUESTION)
    assert all("C2" not in d.claim_ids() for d in drafts)


def test_bit_counts_read_per_weight_not_as_an_adjective() -> None:
    """The chat answer once read 'SpQR (LLaMA, 3-4 bits weights)'."""
    spqr = (
        "spqr",
        "SpQR: A Sparse-Quantized Representation",
        "SpQR compresses all other weights to 3-4 bits and achieves relative accuracy losses of "
        "less than 1% in perplexity for LLaMA large language models.",
    )
    _, found = _findings(spqr)
    assert answer.conditions(found[0]) == "LLaMA, 3-4 bits per weight"


def test_result_span_stops_at_a_colon_and_drops_pointers_into_the_paper() -> None:
    """e2e: '... while staying nearlossless: specifically.' and '... (see Appendix C.3).'"""
    assert (
        answer.result_span(
            "We introduce SpQR, a format which can compress pretrained LLMs to 3-4 bits per "
            "parameter while staying nearlossless: specifically, SpQR is the first to do so."
        )
        == "a format which can compress pretrained LLMs to 3-4 bits per parameter while staying "
        "nearlossless"
    )
    assert (
        answer.result_span(
            "We combine all methods with 6 to 8-bit quantization, and we find that none of these "
            "methods improve bit-level scaling (see Appendix C.3)."
        )
        == "none of these methods improve bit-level scaling"
    )


def test_beliefs_and_prior_applications_are_not_results() -> None:
    for sentence in (
        "While we believe that lower than 8-bit width with some performance degradation is "
        "possible for billion-scale transformers, we focus on 8-bit transformers.",
    ):
        assert not is_own_result(sentence), sentence


INT4_BOTH = (
    "int4b",
    "Understanding INT4 Quantization for Language Models",
    "In this work, we fully investigate the feasibility of using INT4 quantization for language "
    "models, and show that using INT4 introduces no or negligible accuracy degradation for "
    "encoder-only and encoder-decoder models, but causes a significant accuracy drop for "
    "decoder-only models.",
)


def test_a_quote_contrasting_a_kept_and_a_lost_accuracy_gives_both_findings() -> None:
    """Demo: the answer kept 'no or negligible accuracy degradation for encoder-only and
    encoder-decoder models' and lost 'a significant accuracy drop for decoder-only models'."""
    claims = [claim(1, GPTQ), claim(2, INT4_BOTH)]
    found = [f for c in claims for f in evidence.read_findings(c, QUESTION, True)]
    int4 = [f for f in found if f.doc_id == "int4b"]
    assert [(f.direction, f.model, f.method, f.weight_bits) for f in int4] == [
        ("no_loss", "encoder-decoder models", "INT4 quantization", [4]),
        ("loss", "decoder-only models", "INT4 quantization", [4]),
    ]
    drafts = answer.direct_answer(
        found, {c.id: c for c in claims}, evidence.agreements(found), "large language models", {4}
    )
    lost = next(d for d in drafts if d.lead.startswith("Accuracy is lost"))
    assert lost.text().endswith(
        "INT4 quantization (decoder-only models, INT4 weights): causes a significant accuracy "
        "drop for decoder-only models."
    )
    one = evidence.read_findings(claim(3, GPTQ), QUESTION, True)
    assert len(one) == 1 and one[0].span == ""


def test_a_section_agreement_reads_each_contrasting_quote_on_the_agreeing_side() -> None:
    """Demo: 'Sources agree on an accuracy loss at 4-bit weights: GPTQ: negligible accuracy
    degradation ...; INT4 (decoder-only models): ... significant accuracy drop' read INT4's
    quote on its lost side for an agreement on kept accuracy."""
    # on transformers at large, where encoder models count (on LLMs they do not, see below)
    asked = "How does 4-bit weight quantization affect the accuracy of transformer models?"
    claims = [claim(1, GPTQ), claim(2, INT4_BOTH)]
    found = [f for c in claims for f in evidence.read_findings(c, asked, True)]
    agreed = [a for a in evidence.agreements(found) if a.kind == "agreement"]
    assert [a.claim_ids for a in agreed] == [["C1", "C2"]]
    (draft,) = answer.section(asked, found, {c.id: c for c in claims}, agreed)
    assert draft.lead.startswith("Sources agree on little or no accuracy loss at 4-bit")
    assert "encoder-decoder models" in draft.text()
    assert "decoder-only" not in draft.text()


def test_a_finding_on_encoder_models_is_no_evidence_about_large_language_models() -> None:
    """Demo: '2 sources find that 4-bit weight quantization of large language models costs
    little or no accuracy: GPTQ ...; INT4 quantization (encoder-decoder models, INT4 weights):
    ... no or negligible accuracy degradation for encoder-only and encoder-decoder models'."""
    claims = [claim(1, GPTQ), claim(2, INT4_BOTH)]
    found = [f for c in claims for f in evidence.read_findings(c, QUESTION, True)]
    encoder, decoder = [f for f in found if f.claim_id == "C2"]
    assert not encoder.answer_bearing and decoder.answer_bearing
    agree = evidence.agreements(found)
    assert [a.kind for a in agree] == ["conflict"]  # GPTQ against INT4 on decoder-only models
    drafts = answer.direct_answer(
        found, {c.id: c for c in claims}, agree, "large language models", {4}, QUESTION
    )
    assert drafts[0].text().startswith("One source finds that 4-bit weight quantization")
    assert all("encoder-decoder" not in d.text() for d in drafts)


def test_a_conflict_at_4_bits_is_not_shown_in_a_3_bit_answer() -> None:
    """Chat follow-up 'What about 3-bit quantization of these models?' showed 'At 4-bit weights
    the sources differ by method ...': GPTQ's '3 or 4 bits' put the 4-bit conflict at 3 bits."""
    claims, found = _findings(GPTQ, INT4_DECODER)
    conflict = next(a for a in evidence.agreements(found) if a.kind == "conflict")
    assert conflict.setting.startswith("4-bit weights")
    pair = [f for f in found if f.claim_id in conflict.claim_ids]
    assert not evidence.at_asked_bits(conflict, pair, {3})
    assert evidence.at_asked_bits(conflict, pair, {4})
    drafts = answer.direct_answer(
        found, {c.id: c for c in claims}, [conflict], "large language models", {3}
    )
    assert not any("4-bit weights" in d.text() for d in drafts)


GPTQ_BLOOM = (
    "gptq",
    GPTQ[1],
    "Quantizing BLOOM-176B to 3 bits per weight with GPTQ gives negligible accuracy degradation.",
)


def test_a_conflict_with_a_source_already_in_the_answer_is_named_not_requoted() -> None:
    """Chat's 3-bit follow-up added 'At 3-bit weights the sources differ by model (1-10B
    parameter models vs 176B parameter BLOOM): the SpQR paper (...): ...' after a loss sentence
    that already quoted SpQR and a kept one that quoted GPTQ for OPT-175B."""
    from litsynth.schema.records import SourceAgreement

    claims, found = _findings(GPTQ, SPQR_PRIOR, GPTQ_BLOOM)
    agree = evidence.agreements(found)
    # the verifier's own conflict between SpQR's quote and GPTQ's BLOOM result
    agree.append(
        SourceAgreement(
            kind="conflict",
            setting="3-bit weights, accuracy",
            width=3,
            claim_ids=["C3", "C2"],
            doc_ids=["gptq", "spqr"],
            explanation="The verifier finds C3 contradicted by C2's quote.",
        )
    )
    drafts = answer.direct_answer(
        found, {c.id: c for c in claims}, agree, "large language models", {3}
    )
    texts = [d.text() for d in drafts]
    assert sum("moderate-to-high accuracy losses" in t for t in texts) == 1
    assert "so the sources conflict at 3-bit weights" in texts[1]


def test_a_clause_cut_short_keeps_its_ellipsis_without_a_fourth_dot() -> None:
    part = answer.Part("GPTQ: improves scaling for 3 to 8-bit precision at scales of...", "C1", "d")
    assert answer.Draft("One source reports", [part]).text().endswith("scales of...")
    assert part.as_sentence().endswith("scales of...")


def test_a_section_states_the_agreement_at_the_asked_bits_first() -> None:
    """Demo: the 4-bit section said 'Sources agree on little or no accuracy loss at 3-bit
    weights', since GPTQ's and SpQR's '3-4 bits' agree at 3 and at 4 bits."""
    spqr_own = (
        "spqr",
        SPQR_PRIOR[1],
        "SpQR compresses all other weights to 3-4 bits and achieves relative accuracy losses of "
        "less than 1% in perplexity for LLaMA and Falcon LLMs.",
    )
    claims, found = _findings(GPTQ, spqr_own)
    agreed = [a for a in evidence.agreements(found) if a.kind == "agreement"]
    assert [a.width for a in agreed] == [3, 4]
    drafts = answer.section(QUESTION, found, {c.id: c for c in claims}, agreed)
    assert drafts[0].lead == "Sources agree on little or no accuracy loss at 4-bit weights"
