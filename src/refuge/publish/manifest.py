"""The manifest written beside every export: what the file holds and how to check it.

``<export>.manifest.json`` (UTF-8, one JSON object)::

    {
      "schema": "refuge-export-manifest/1",
      "file": "incidents.csv",            # the export's name (not its folder)
      "format": "csv",                    # csv | json | geojson | xlsx
      "media_type": "text/csv; charset=utf-8",
      "audience": "partners",             # public | partners
      "export_id": "rx-…",                # required for partners; null for public unless given
      "generated_at": "2024-05-01T09:30:00+00:00",
      "records": {"incidents": 12, "tables": 5},
      "bytes": 48213,
      "sha256": "…64 hex digits…"
    }

``records.tables`` counts the aggregate tables *in the file*: CSV and GeoJSON hold
incidents only, so theirs is 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

from refuge.publish.records import Audience

ExportFormat = Literal["csv", "json", "geojson", "xlsx"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = ("csv", "json", "geojson", "xlsx")

MEDIA_TYPES: Final[dict[ExportFormat, str]] = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

MANIFEST_SCHEMA: Final = "refuge-export-manifest/1"
MANIFEST_SUFFIX: Final = ".manifest.json"


def manifest_path(export: Path) -> Path:
    """Where the manifest of ``export`` lives: beside it, its name plus ``.manifest.json``."""
    return export.with_name(export.name + MANIFEST_SUFFIX)


@dataclass(frozen=True, slots=True)
class ExportManifest:
    path: Path  # the export file
    format: ExportFormat
    audience: Audience
    export_id: str | None
    generated_at: datetime  # aware
    incidents: int
    tables: int
    size: int
    sha256: str

    @property
    def manifest_path(self) -> Path:
        return manifest_path(self.path)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": MANIFEST_SCHEMA,
            "file": self.path.name,
            "format": self.format,
            "media_type": self.media_type,
            "audience": self.audience,
            "export_id": self.export_id,
            "generated_at": self.generated_at.isoformat(),
            "records": {"incidents": self.incidents, "tables": self.tables},
            "bytes": self.size,
            "sha256": self.sha256,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, data: dict[str, Any], *, export: Path) -> ExportManifest:
        """The manifest of ``export`` as read back; KeyError/ValueError when malformed."""
        if data["schema"] != MANIFEST_SCHEMA:
            raise ValueError(f"unknown manifest schema {data['schema']!r}")
        if data["format"] not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {data['format']!r}")
        if data["audience"] not in ("public", "partners"):
            raise ValueError(f"unknown audience {data['audience']!r}")
        generated_at = datetime.fromisoformat(data["generated_at"])
        return cls(
            path=export,
            format=data["format"],
            audience=data["audience"],
            export_id=data["export_id"],
            generated_at=generated_at,
            incidents=int(data["records"]["incidents"]),
            tables=int(data["records"]["tables"]),
            size=int(data["bytes"]),
            sha256=str(data["sha256"]),
        )


__all__ = [
    "EXPORT_FORMATS",
    "MANIFEST_SCHEMA",
    "MANIFEST_SUFFIX",
    "MEDIA_TYPES",
    "ExportFormat",
    "ExportManifest",
    "manifest_path",
]
