"""Writing benchmark figures into benchmarks/RESULTS.md, one section per benchmark."""

from __future__ import annotations

import datetime as _dt
import platform
import re
import sys
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = (
    "# Benchmark results\n\n"
    "Each section is rewritten by its benchmark; the command is the one that produced it.\n"
    "Absolute times depend on the machine; compare the ratios to the same-run baselines.\n"
)


def command_line() -> str:
    """The command that ran this benchmark, as typed from the project root."""
    script = Path(sys.argv[0]).resolve()
    try:
        shown = script.relative_to(Path(__file__).resolve().parents[1]).as_posix()
    except ValueError:
        shown = script.name
    return " ".join([".venv/bin/python", shown, *sys.argv[1:]])


def record(title: str, command: str, lines: list[str]) -> None:
    """Replace (or add) the section ``title`` of RESULTS.md."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"## {title}\n\n"
        f"Command: `{command}`  \n"
        f"Run: {when} on {platform.machine()}, Python {platform.python_version()}\n\n"
        + "\n".join(lines)
        + "\n"
    )
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
