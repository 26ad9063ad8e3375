"""No view bypasses the policy: view modules never query records themselves.

Views parse input, call one selector or service, render. A view module that touches a
model's manager (``Person.objects``) or the raw database could read records the policy would
hide; this test reads every view module's source and fails if one does.
"""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[3] / "src" / "refuge" / "web"
GUARDED = {
    "Person",
    "Source",
    "Incident",
    "Claim",
    "Event",
    "VictimGroup",
    "Victimhood",
    "PersonNameTerm",
    "CustodyEntry",
    "IncidentSource",
    "VictimFigureClaim",
}


def _view_modules() -> list[Path]:
    return sorted(
        p for p in WEB.rglob("*.py") if p.name == "views.py" or p.name.endswith("_views.py")
    )


def test_there_are_view_modules_to_check() -> None:
    assert len(_view_modules()) >= 3


def test_no_view_module_queries_a_record_model_or_the_database() -> None:
    offences = []
    for path in _view_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
                base = node.value
                if isinstance(base, ast.Name) and base.id in GUARDED:
                    offences.append(f"{path.name}:{node.lineno} {base.id}.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module in ("django.db",):
                names = {a.name for a in node.names}
                if names & {"connection", "connections"}:
                    offences.append(f"{path.name}:{node.lineno} raw database access")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("get_object_or_404", "get_list_or_404")
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in GUARDED
            ):
                offences.append(f"{path.name}:{node.lineno} {node.func.id}")
    assert offences == []
