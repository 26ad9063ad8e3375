"""The published aggregate tables, with statistical disclosure control.

``build_tables`` counts the people of released incidents by month, province, facility, age
group and sex, and by province x month (with its margins), from ``AggregateInput`` rows. It
withholds (``None``) every count from 1 to k-1 (primary suppression) and then as many other
cells as it takes (complementary suppression) for the tables to pass the linear-programming
audit of ``refuge.publish.sdc_audit``: no withheld count can be worked out, or narrowed to
less than k, from everything published together. Zeros are published: a 0 says that nobody
of the released incidents falls in a category; it counts no one who could be recognised.

Which people an incident adds (docs/publishing.md has the details): its total, or when the
total is unknown or smaller than its breakdown, the larger sum of its breakdown (adults +
minors, women + men); an incident with no figure at all adds nobody. The part of the total
that its breakdown does not cover is counted as "unknown" age group or sex.

Error codes (PublicationError): R151 an aggregate input is malformed, R152 k is not a whole
number >= 1, R153 the tables cannot be protected (should not happen: suppressing every
cell always passes).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from refuge.errors import PublicationError
from refuge.publish.records import AggregateInput, PublishedTable
from refuge.publish.sdc_audit import MARGIN, CellRef, cell_bounds, check_threshold

UNKNOWN: Final = "unknown"
AGE_GROUPS: Final = ("adults", "minors", UNKNOWN)
SEXES: Final = ("women", "men", UNKNOWN)
DEFAULT_K: Final = 5
# The published tables: name and dimensions, in publication order. Changing this list
# changes what outsiders can combine; the audit checks whatever is listed.
TABLE_LAYOUT: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("total", ()),
    ("by_month", ("month",)),
    ("by_province", ("province",)),
    ("by_facility", ("facility",)),
    ("by_age_group", ("age_group",)),
    ("by_sex", ("sex",)),
    ("by_province_month", ("province", "month")),
)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_INCIDENT_DIMENSIONS: Final = ("month", "province", "facility")

Key = tuple[tuple[str, str], ...]  # (dimension, category) pairs, sorted by dimension


def aggregate_month(start: date | None, end: date | None, precision: str) -> str:
    """The month an incident's tables count it in ("2024-04"), or "" when its period is not
    known to one month (unknown, coarser than a month, or spanning months)."""
    if start is None or precision not in ("day", "month"):
        return ""
    last = end or start
    if (start.year, start.month) != (last.year, last.month):
        return ""
    return f"{start.year:04d}-{start.month:02d}"


def build_tables(inputs: Sequence[AggregateInput], *, k: int = DEFAULT_K) -> list[PublishedTable]:
    """The aggregate tables of ``TABLE_LAYOUT`` with primary and complementary suppression;
    they pass ``sdc_audit.audit_tables(tables, k)`` by construction."""
    check_threshold(k)
    grid = _Grid(inputs)
    suppressed = {key for key, value in grid.values.items() if 0 < value < k}
    suppressed |= grid.rectangles(suppressed, k)
    pending = set(suppressed)
    while pending:
        tables = grid.tables(suppressed, k)
        bounds = cell_bounds(tables, only={grid.ref(key) for key in pending})
        failing = sorted({grid.key(b.table, b.categories) for b in bounds if b.width < k})
        added = grid.complements(failing, suppressed)
        suppressed |= added
        # Withholding more only widens intervals, so cells that passed stay passing.
        pending = set(failing) | added
    return grid.tables(suppressed, k)


@dataclass(slots=True)
class _Relation:
    """A parent cell and the cells it is the sum of (one row or column of a table)."""

    parent: Key
    children: list[Key]

    @property
    def members(self) -> list[Key]:
        return [self.parent, *self.children]


@dataclass(slots=True)
class _Grid:
    """Every cell of every table, its value, and which cells sum to which."""

    inputs: Sequence[AggregateInput]
    categories: dict[str, list[str]] = field(default_factory=dict)
    values: dict[Key, int] = field(default_factory=dict)
    relations: dict[Key, list[_Relation]] = field(default_factory=dict)
    refs: dict[Key, CellRef] = field(default_factory=dict)
    keys: dict[CellRef, Key] = field(default_factory=dict)

    def __post_init__(self) -> None:
        people = [_people(row) for row in self.inputs]
        cats: dict[str, set[str]] = {d: set() for d in _INCIDENT_DIMENSIONS}
        for row, counted in zip(self.inputs, people, strict=True):
            if counted is not None:
                for dim, category in _incident_categories(row).items():
                    cats[dim].add(category)
        for dim in _INCIDENT_DIMENSIONS:
            # Known categories in order, "unknown" last.
            self.categories[dim] = sorted(cats[dim] - {UNKNOWN}) + sorted(cats[dim] & {UNKNOWN})
        self.categories["age_group"] = list(AGE_GROUPS)
        self.categories["sex"] = list(SEXES)
        for name, dims in TABLE_LAYOUT:
            for combo in itertools.product(*(self.categories[d] for d in dims)):
                key = _key(zip(dims, combo, strict=True))
                self.values.setdefault(key, 0)
                self.refs.setdefault(key, (name, combo))
                self.keys[(name, combo)] = key
        for row, counted in zip(self.inputs, people, strict=True):
            if counted is None:
                continue
            total, parts = counted
            where = _incident_categories(row)
            for key in self.values:
                fixed = dict(key)
                if any(fixed.get(d, where[d]) != where[d] for d in _INCIDENT_DIMENSIONS):
                    continue
                breakdown = [d for d in ("age_group", "sex") if d in fixed]
                if len(breakdown) > 1:
                    raise PublicationError("no table crosses age group with sex", code="R151")
                if breakdown:
                    self.values[key] += parts[breakdown[0]][fixed[breakdown[0]]]
                else:
                    self.values[key] += total
        self._relate()

    def _relate(self) -> None:
        layouts = {dims for _, dims in TABLE_LAYOUT}
        for name, dims in TABLE_LAYOUT:
            for dim in dims:
                rest = tuple(d for d in dims if d != dim)
                if rest not in layouts:
                    continue
                for combo in itertools.product(*(self.categories[d] for d in rest)):
                    parent = _key(zip(rest, combo, strict=True))
                    children = [
                        _key([*zip(rest, combo, strict=True), (dim, c)])
                        for c in self.categories[dim]
                    ]
                    relation = _Relation(parent, children)
                    for member in relation.members:
                        self.relations.setdefault(member, []).append(relation)
                if len(dims) < 2:
                    continue
                # Margins of a two-way table are published within it, marked "*".
                for combo in itertools.product(*(self.categories[d] for d in rest)):
                    margin = tuple(MARGIN if d == dim else combo[rest.index(d)] for d in dims)
                    self.keys[(name, margin)] = _key(zip(rest, combo, strict=True))
            if len(dims) > 1:
                self.keys[(name, (MARGIN,) * len(dims))] = ()

    def ref(self, key: Key) -> CellRef:
        return self.refs[key]

    def key(self, table: str, categories: tuple[str, ...]) -> Key:
        return self.keys[(table, categories)]

    def rectangles(self, primary: set[Key], k: int) -> set[Key]:
        """For each small inner cell of a two-way table, the cheapest rectangle hiding it.

        Withholding the corners (i, j), (i, j'), (i', j), (i', j') lets an outsider move
        people around the rectangle without changing any margin: (i, j) can rise by
        min(x[i, j'], x[i', j]) and fall by min(x[i, j], x[i', j']). The rectangle chosen
        is one where that range is at least k wide, adding the fewest people (cells already
        withheld are free); the audit then checks the whole.
        """
        added: set[Key] = set()
        for _, dims in TABLE_LAYOUT:
            if len(dims) != 2:
                continue
            first, second = (self.categories[d] for d in dims)

            def cell(a: str, b: str, dims: tuple[str, ...] = dims) -> Key:
                return _key(zip(dims, (a, b), strict=True))

            for a, b in itertools.product(first, second):
                if cell(a, b) not in primary:
                    continue
                options = []
                hidden = primary | added
                for a2, b2 in itertools.product(first, second):
                    if a2 == a or b2 == b:
                        continue
                    corners = [cell(a, b2), cell(a2, b), cell(a2, b2)]
                    x = [self.values[c] for c in corners]
                    width = min(x[0], x[1]) + min(self.values[cell(a, b)], x[2])
                    cost = sum(v for c, v in zip(corners, x, strict=True) if c not in hidden)
                    options.append((width < k, cost, -width, (a2, b2), corners))
                if options:
                    added.update(min(options)[4])
        return added - primary

    def complements(self, failing: list[Key], suppressed: set[Key]) -> set[Key]:
        """Cells to withhold next so that the failing cells widen.

        For each failing cell, in the row or column (relation) where it is least hidden,
        the smallest other cell still published: inner cells before totals, non-zero
        before zero (withholding a 0 moves no people around). One addition per relation
        per round, then the audit decides again.
        """
        added: set[Key] = set()
        touched: set[int] = set()
        for cell in failing:
            relations = self.relations.get(cell, [])
            if any(id(r) in touched for r in relations):
                continue
            options = []
            for relation in relations:
                members = relation.members
                hidden = sum(1 for m in members if m in suppressed or m in added)
                for member in members:
                    if member in suppressed or member in added:
                        continue
                    value = self.values[member]
                    is_total = member == relation.parent
                    rank = (hidden, value == 0, is_total, value, self.refs[member])
                    options.append((rank, member, relation))
            if options:
                _, member, relation = min(options)
                added.add(member)
                touched.update(id(r) for r in self.relations[member])
        if failing and not added:
            # Every related cell is withheld already: widen with the smallest cell left.
            rest = [(v == 0, v, self.refs[c], c) for c, v in self.values.items()]
            rest = [r for r in rest if r[3] not in suppressed]
            if not rest:
                raise PublicationError(
                    "the aggregate tables cannot be protected at this threshold", code="R153"
                )
            added.add(min(rest)[3])
        return added

    def tables(self, suppressed: set[Key], k: int) -> list[PublishedTable]:
        result = []
        for name, dims in TABLE_LAYOUT:
            rows = []
            for (table, categories), key in self.keys.items():
                if table == name:
                    value = None if key in suppressed else self.values[key]
                    rows.append((categories, value))
            result.append(PublishedTable(name, dims, tuple(rows), k))
        return result


def _key(pairs: Iterable[tuple[str, str]]) -> Key:
    return tuple(sorted(pairs))


def _incident_categories(row: AggregateInput) -> dict[str, str]:
    return {
        "month": row.month or UNKNOWN,
        "province": row.province or UNKNOWN,
        "facility": row.facility or UNKNOWN,
    }


def _people(row: AggregateInput) -> tuple[int, dict[str, dict[str, int]]] | None:
    """(people counted, their split by age group and by sex), None if no figure is known."""
    figures = {
        "total": row.total,
        "adults": row.adults,
        "minors": row.minors,
        "women": row.women,
        "men": row.men,
    }
    for name, value in figures.items():
        if value is not None and (isinstance(value, bool) or value < 0):
            raise PublicationError(
                f"incident {row.public_id}: {name} must be a count >= 0", code="R151"
            )
    if row.month and not _MONTH.match(row.month):
        raise PublicationError(
            f"incident {row.public_id}: month {row.month!r} is not YYYY-MM", code="R151"
        )
    if all(value is None for value in figures.values()):
        return None
    adults, minors = row.adults or 0, row.minors or 0
    women, men = row.women or 0, row.men or 0
    total = max(row.total or 0, adults + minors, women + men)
    parts = {
        "age_group": {"adults": adults, "minors": minors, UNKNOWN: total - adults - minors},
        "sex": {"women": women, "men": men, UNKNOWN: total - women - men},
    }
    return total, parts


__all__ = [
    "AGE_GROUPS",
    "DEFAULT_K",
    "SEXES",
    "TABLE_LAYOUT",
    "UNKNOWN",
    "aggregate_month",
    "build_tables",
]
