"""The local default model server: start-up time, decode speed, structured-call success.

Run: ``python benchmarks/llm_local_server.py [--trials 10] [--threads 1 2]``. For each thread
count it starts the llama-cpp-python server on the shipped SmolLM2-135M GGUF, prints the
start-up seconds, the decode tokens/s of a 64-token completion (ratio to the first thread
count), then runs ``--trials`` structured ``{claim, quote}`` extractions with
``function_calling`` and no retries, printing schema-valid and verbatim-quote rates and the
mean seconds per call. Numbers depend on what else runs on the machine (load average printed).
"""

from __future__ import annotations

import argparse
import os
import time

PASSAGES = [
    "In a randomized trial of 412 adults, daily vitamin D supplementation did not reduce the "
    "incidence of acute respiratory infections compared with placebo.",
    "Masks reduced household transmission of influenza by 20% when worn within 36 hours of "
    "symptom onset.",
    "The new catalyst doubled the yield of ammonia at 300 degrees Celsius compared with "
    "iron-based catalysts.",
    "Children who slept less than nine hours scored lower on memory tests than children who "
    "slept longer.",
    "Remdesivir shortened the median time to recovery from 15 to 10 days in hospitalized "
    "patients with COVID-19.",
]


def main() -> None:
    """Start the server per thread count and time it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=10, help="structured calls per run")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="n_threads values")
    args = parser.parse_args()

    from langchain_core.messages import HumanMessage, SystemMessage
    from pydantic import BaseModel

    from litsynth.llm.chat import make_chat_model
    from litsynth.llm.local_server import LocalServer
    from litsynth.llm.structured import invoke_structured
    from litsynth.settings import Settings

    class Claim(BaseModel):
        claim: str
        quote: str

    base_speed: float | None = None
    for threads in args.threads:
        settings = Settings.model_validate({"local_llm": {"n_threads": threads}})
        print(f"load average {os.getloadavg()[0]:.1f}; n_threads={threads}")
        with LocalServer(settings.local_llm, model_alias=settings.llm.model) as server:
            print(f"  start-up {server.startup_s:.2f} s (log {server.log_path})")
            fast = settings.llm.model_copy(update={"max_tokens": 64})
            chat = make_chat_model(fast, base_url=server.base_url, api_key=None)
            t0 = time.perf_counter()
            reply = chat.invoke("Write a paragraph about the moon.")
            seconds = time.perf_counter() - t0
            tokens = reply.usage_metadata["output_tokens"] if reply.usage_metadata else 0
            speed = tokens / seconds
            base_speed = base_speed or speed
            print(
                f"  decode {tokens} tokens in {seconds:.2f} s = {speed:.1f} tok/s "
                f"(x{speed / base_speed:.2f} vs n_threads={args.threads[0]})"
            )
            chat = make_chat_model(settings.llm, base_url=server.base_url, api_key=None)
            valid = verbatim = 0
            t0 = time.perf_counter()
            for i in range(args.trials):
                passage = PASSAGES[i % len(PASSAGES)]
                ask = f"Passage: {passage}\nExtract one claim and an exact supporting quote."
                if i >= len(PASSAGES):
                    ask += f" (trial {i + 1})"
                messages = [
                    SystemMessage("You extract claims from scientific passages."),
                    HumanMessage(ask),
                ]
                result = invoke_structured(chat, Claim, messages, max_retries=0)
                if result.value is not None:
                    valid += 1
                    verbatim += result.value.quote.strip().strip('"') in passage
            per_call = (time.perf_counter() - t0) / max(args.trials, 1)
            print(
                f"  structured: {valid}/{args.trials} schema-valid, "
                f"{verbatim}/{args.trials} verbatim quotes, {per_call:.1f} s per call"
            )


if __name__ == "__main__":
    main()
