"""Extraction speed: reports/s of ``refuge.extract.extract`` against spaCy's blank English
tokenizer alone, and time per character as texts grow.

Builds 1,000 reports in the run by cycling the texts of ``corpus/en`` (the development
corpus; nothing is copied into the project), then in one process measures (a) the
tokenizer of ``spacy.blank("en")`` on every report, (b) ``extract()`` with its defaults
(language detection included) and a fixed publication date, and reports the ratio b/a.
The two are interleaved in batches of 50 reports, so that both see the same state of the
machine: on a shared virtual machine the speed of the CPU drifts by half within seconds,
and timing the tokenizer in one block and extraction in another gave ratios anywhere from
12x to 19x for the same code. Each round times every report once both ways; the figure is
the median of the rounds' ratios, with their range.
Linearity: one report of 1x, 4x and 16x length, made by concatenating paragraphs of the
corpus, each extracted several times; time per character should stay flat.
Times are the process's CPU time (``time.process_time``), best of several runs, so that
other work on a shared machine does not distort the ratio; extraction is single-threaded
and CPU-bound, so CPU time is its cost.
Writes the figures to benchmarks/RESULTS.md ("Extraction speed").

Run: .venv/bin/python benchmarks/bench_extract.py [--reports 1000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import spacy
from results import command_line, record

from refuge.extract import extract

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "en"
PUBLISHED = date(2020, 1, 1)


def _reports(n: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    if not texts:
        sys.exit(f"no texts in {CORPUS}")
    return [texts[i % len(texts)] for i in range(n)]


def _best_of(runs: int, fn: object) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()  # type: ignore[operator]
        best = min(best, time.process_time() - t0)
    return best


def _interleaved(
    rounds: int, reports: list[str], nlp: spacy.language.Language, batch: int = 50
) -> tuple[list[float], list[float], list[float]]:
    """Per round: the ratio extract/tokenizer, the tokenizer's and extract's CPU seconds."""
    ratios, tok_times, ext_times = [], [], []
    clock = time.process_time
    for _ in range(rounds):
        tok = ext = 0.0
        for i in range(0, len(reports), batch):
            part = reports[i : i + batch]
            t0 = clock()
            for t in part:
                nlp.tokenizer(t)
            t1 = clock()
            for t in part:
                extract(t, published=PUBLISHED)
            t2 = clock()
            tok += t1 - t0
            ext += t2 - t1
        ratios.append(ext / tok)
        tok_times.append(tok)
        ext_times.append(ext)
    return ratios, tok_times, ext_times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    reports = _reports(args.reports)
    chars = sum(len(t) for t in reports)
    nlp = spacy.blank("en")
    extract(reports[0], published=PUBLISHED)  # build and cache the pipeline outside the timing
    tokens = sum(len(nlp.tokenizer(t)) for t in reports)  # also warms the tokenizer's cache

    ratios, tok_times, ext_times = _interleaved(args.rounds, reports, nlp)
    tok, ext = min(tok_times), min(ext_times)
    ratio = statistics.median(ratios)

    paragraphs = [p for t in reports[:45] for p in t.split("\n\n") if p.strip()]
    base = "\n\n".join(paragraphs)[:6000]
    growth = []
    for factor in (1, 4, 16):
        text = "\n\n".join([base] * factor)
        runs = max(3, 32 // factor)
        t = _best_of(runs, lambda text=text: extract(text, published=PUBLISHED))
        growth.append((factor, len(text), t, t / len(text) * 1e6))

    lines = [
        f"- reports: {len(reports):,} ({chars:,} characters), cycled from corpus/en",
        f"- spaCy blank English tokenizer alone: {tok:.3f} s CPU, best round "
        f"({len(reports) / tok:,.0f} reports/s, {tokens / tok:,.0f} tokens/s)",
        f"- extract(): {ext:.3f} s CPU, best round ({len(reports) / ext:,.0f} reports/s; "
        f"{tokens / ext / 350:,.0f} reports/s of 350 tokens)",
        f"- ratio extract / tokenizer, interleaved in batches of 50: **{ratio:.1f}x** "
        f"(median of {len(ratios)} rounds; range {min(ratios):.1f}x to {max(ratios):.1f}x)",
        "",
        "| length | characters | CPU seconds | µs per character |",
        "| --- | --- | --- | --- |",
        *(f"| {f}x | {n:,} | {t:.4f} | {per:.2f} |" for f, n, t, per in growth),
    ]
    print("\n".join(lines))
    record("Extraction speed", command_line(), lines)


if __name__ == "__main__":
    main()
