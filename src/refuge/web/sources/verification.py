"""`refuge verify`: recompute every stored hash and every custody chain."""

from __future__ import annotations

from dataclasses import dataclass, field

from refuge.evidence.chain import Checkpoint, verify_chain
from refuge.web.sources.custody import chain_name, custody_checkpoint, custody_verify
from refuge.web.sources.models import Source
from refuge.web.sources.originals import original_intact, text_intact


@dataclass
class VerifyReport:
    sources: int = 0
    originals: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)


def sources_verify(checkpoints: dict[str, Checkpoint] | None = None) -> VerifyReport:
    """Check every original, derived text and chain; compare with checkpoints when given.

    A checkpoint names a chain; a chain the checkpoint knows but the database no longer
    holds (its source deleted) is reported too.
    """
    report = VerifyReport()
    checked: dict[str, bool] = {}
    seen_chains: set[str] = set()
    for source in Source.objects.order_by("pk").iterator():
        report.sources += 1
        label = f"source {source.uuid}"
        if source.sha256 not in checked:
            checked[source.sha256] = original_intact(source)
            report.originals += 1
        if not checked[source.sha256]:
            report.problems.append(f"{label}: original {source.sha256[:12]}… missing or altered")
        if not text_intact(source):
            report.problems.append(f"{label}: derived text altered (hash differs)")
        name = chain_name(source)
        seen_chains.add(name)
        report.chains += 1
        for problem in custody_verify(source, (checkpoints or {}).get(name)):
            report.problems.append(
                f"{label}: custody entry {problem.seq}: {problem.kind} ({problem.detail})"
            )
    for name, checkpoint in sorted((checkpoints or {}).items()):
        if name in seen_chains:
            continue
        for problem in verify_chain([], checkpoint=checkpoint):
            report.problems.append(f"{name}: {problem.kind} ({problem.detail}); the source is gone")
    return report


def sources_checkpoints() -> list[Checkpoint]:
    return [custody_checkpoint(s) for s in Source.objects.order_by("pk").iterator()]
