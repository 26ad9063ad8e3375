"""Extraction accuracy: runs the shared scorer on the seed article and on the development
corpus and records its last line for each in benchmarks/RESULTS.md ("Extraction accuracy").

Run from the project root: .venv/bin/python benchmarks/bench_extract_accuracy.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from results import command_line, record

ROOT = Path(__file__).resolve().parent.parent
SCORER = "../shared/tools/score_extraction.py"
CMD = ".venv/bin/refuge extract"
# corpus/heldout is scored to report generalisation only; nobody tunes the extractor on it.
CORPORA = ("../shared/corpus/seed", "corpus/en", "corpus/heldout")


def main() -> None:
    lines: list[str] = []
    for corpus in CORPORA:
        args = [sys.executable, SCORER, "--cmd", CMD, corpus]
        out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
        if out.returncode != 0 or not out.stdout.strip():
            sys.exit(f"scorer failed on {corpus}: {out.stderr.strip()[:300]}")
        last = out.stdout.strip().splitlines()[-1]
        lines += [f'- `python3 {SCORER} --cmd "{CMD}" {corpus}`', f"  - {last}"]
        print(f"{corpus}: {last}")
    record("Extraction accuracy", command_line(), lines)


if __name__ == "__main__":
    main()
