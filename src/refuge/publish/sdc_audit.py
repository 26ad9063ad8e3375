"""The disclosure audit: what an outsider can work out about each withheld cell.

An outsider who reads every published table knows, for each published cell, that the people
it counts sum to its value, and that nobody is counted negatively. This module writes down
exactly that knowledge as a linear system over the underlying cross-classification and asks
``scipy.optimize.linprog`` (HiGHS) for the smallest and largest value each withheld cell can
take. The tables fail the audit when any withheld cell's interval is narrower than the
threshold k, or when a published cell is itself below k.

The model (docs/publishing.md, "Disclosure control of the aggregate tables"):

- Dimensions that appear together in a table are *linked*; linked dimensions form a
  component, whose unknowns are the counts of its full cross-classification (for the
  standard tables: province x month; facility; age group; sex). Every component counts the
  same people, so each component's unknowns sum to one shared unknown N, the grand total.
- A table row fixes some dimensions and marginalises the others (``"*"``): a published row
  says that the unknowns matching it sum to its value; a row fixing no dimension is N.
- A combination of a table's categories that the table does not list is taken as a
  published 0. That is the conservative reading: it can only narrow the intervals.
- Tables published together are audited together, as one system: an outsider combines them.

With at most two dimensions per component the system is a network-flow (circulation)
problem, whose constraint matrix is totally unimodular, so the linear programme's bounds are
whole numbers and equal the bounds over whole-number solutions. A component of three or
more dimensions does not have that property, so such audits solve the integer programme
(``scipy.optimize.milp``) instead, which is slower but never looser than what an outsider
who reasons in whole people can find.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array

from refuge.errors import PublicationError
from refuge.publish.records import PublishedTable

# The category of a dimension a row adds up over (the margins of a two-way table).
MARGIN: Final = "*"
# Solver results within this distance of a whole number are that number.
_TOLERANCE: Final = 1e-6

CellRef = tuple[str, tuple[str, ...]]  # (table name, categories)
FindingReason = Literal["narrow_interval", "published_below_threshold", "inconsistent"]


@dataclass(frozen=True, slots=True)
class CellBounds:
    """The whole-number interval an outsider can derive for one withheld cell."""

    table: str
    categories: tuple[str, ...]
    low: int
    high: int | None  # None: no upper bound can be derived

    @property
    def width(self) -> float:
        return math.inf if self.high is None else self.high - self.low


@dataclass(frozen=True, slots=True)
class AuditFinding:
    """One reason the tables must not be published as they are."""

    table: str
    categories: tuple[str, ...]
    reason: FindingReason
    low: int | None = None
    high: int | None = None

    def describe(self) -> str:
        where = f"{self.table}[{', '.join(self.categories)}]" if self.table else "the tables"
        if self.reason == "narrow_interval":
            return f"{where}: withheld but derivable to {self.low}..{self.high}"
        if self.reason == "published_below_threshold":
            return f"{where}: published although below the threshold"
        return f"{where}: the published values contradict each other"


def audit_tables(tables: Sequence[PublishedTable], k: int) -> list[AuditFinding]:
    """Every way the tables, published together, would disclose a small count.

    A finding for each published cell with a value from 1 to k-1, and for each withheld
    cell whose interval [low, high] (see ``cell_bounds``) is narrower than k:
    ``high - low < k``. An interval at least k wide holds k+1 whole numbers, so it is never
    inside 1..k-1 and never pins the cell; and an outsider cannot tell an empty cell from
    one of k or more. Tables that contradict each other give one "inconsistent" finding.
    """
    check_threshold(k)
    findings = [
        AuditFinding(table.name, key, "published_below_threshold")
        for table in tables
        for key, value in table.rows
        if value is not None and 0 < value < k
    ]
    try:
        bounds = cell_bounds(tables)
    except _Inconsistent:
        return [*findings, AuditFinding("", (), "inconsistent")]
    findings += [
        AuditFinding(b.table, b.categories, "narrow_interval", b.low, b.high)
        for b in bounds
        if b.width < k
    ]
    return findings


def check_tables(tables: Sequence[PublishedTable], k: int) -> None:
    """Raise PublicationError R153 unless the tables pass ``audit_tables``."""
    findings = audit_tables(tables, k)
    if findings:
        shown = "; ".join(f.describe() for f in findings[:3])
        more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
        raise PublicationError(
            f"the aggregate tables fail the disclosure audit at k={k}: {shown}{more}",
            code="R153",
        )


def check_threshold(k: int) -> None:
    """Raise PublicationError R152 unless k is a whole number of at least 1."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise PublicationError(
            f"the threshold k must be a whole number >= 1 (got {k!r})", code="R152"
        )


def cell_bounds(
    tables: Sequence[PublishedTable], *, only: Collection[CellRef] | None = None
) -> list[CellBounds]:
    """The tightest bounds an outsider can derive for each withheld cell (or for ``only``
    those of them), from every table together. Raises ``_Inconsistent`` (a
    PublicationError R153) when no count of people fits all published values."""
    model = _Model(tables)
    system = model.system()
    if not system.feasible():
        raise _Inconsistent("the published tables contradict each other", code="R153")
    cache: dict[frozenset[tuple[str, str]], tuple[int, int | None]] = {}
    result = []
    for table in tables:
        for key, value in table.rows:
            if value is not None or (only is not None and (table.name, key) not in only):
                continue
            fixed = model.fixed(table, key)
            if fixed not in cache:
                cache[fixed] = system.bounds(model.indicator(fixed))
            low, high = cache[fixed]
            result.append(CellBounds(table.name, key, low, high))
    return result


class _Inconsistent(PublicationError):
    pass


class _Model:
    """The unknowns behind a set of tables and which of them each row adds up."""

    def __init__(self, tables: Sequence[PublishedTable]) -> None:
        self.tables = tables
        self.categories: dict[str, list[str]] = {}
        parent: dict[str, str] = {}

        def root(dim: str) -> str:
            while parent[dim] != dim:
                dim = parent[dim]
            return dim

        for table in tables:
            if len(set(table.dimensions)) != len(table.dimensions):
                raise _malformed(table, "names a dimension twice")
            for dim in table.dimensions:
                parent.setdefault(dim, dim)
                self.categories.setdefault(dim, [])
            for dim in table.dimensions[1:]:
                parent[root(dim)] = root(table.dimensions[0])
            for key, value in table.rows:
                if len(key) != len(table.dimensions):
                    raise _malformed(table, f"has a row {key!r} of the wrong length")
                if value is not None and (isinstance(value, bool) or value < 0):
                    raise _malformed(table, f"has a count {value!r} that is not a count")
                for dim, category in zip(table.dimensions, key, strict=True):
                    if category != MARGIN and category not in self.categories[dim]:
                        self.categories[dim].append(category)
        groups: dict[str, list[str]] = {}
        for dim in parent:
            groups.setdefault(root(dim), []).append(dim)
        self.components = list(groups.values())
        self.component_of = {dim: i for i, dims in enumerate(self.components) for dim in dims}
        self.offsets: list[int] = []
        size = 0
        for dims in self.components:
            self.offsets.append(size)
            size += math.prod(len(self.categories[d]) for d in dims)
        self.n_index = size  # the last unknown is N, the grand total
        self.size = size + 1
        # Whole-number bounds equal the linear ones only for components of up to two
        # dimensions (see the module docstring).
        self.integer = any(len(dims) > 2 for dims in self.components)

    def fixed(self, table: PublishedTable, key: tuple[str, ...]) -> frozenset[tuple[str, str]]:
        return frozenset(
            (dim, category)
            for dim, category in zip(table.dimensions, key, strict=True)
            if category != MARGIN
        )

    def indicator(self, fixed: Iterable[tuple[str, str]]) -> NDArray[np.intp]:
        """The indices of the unknowns that a row fixing ``fixed`` adds up."""
        chosen = dict(fixed)
        if not chosen:
            return np.array([self.n_index], dtype=np.intp)
        component = {self.component_of[dim] for dim in chosen}
        if len(component) != 1:
            raise PublicationError("a row fixes dimensions of unlinked tables", code="R151")
        c = component.pop()
        dims = self.components[c]
        shape = tuple(len(self.categories[d]) for d in dims)
        mask = np.zeros(shape, dtype=bool)
        selector = tuple(
            self.categories[d].index(chosen[d]) if d in chosen else slice(None) for d in dims
        )
        mask[selector] = True
        return np.flatnonzero(mask).astype(np.intp) + self.offsets[c]

    def system(self) -> _System:
        rows: list[NDArray[np.intp]] = []
        coefficients: list[NDArray[np.float64]] = []
        values: list[float] = []
        for c, dims in enumerate(self.components):
            # Every component counts the same people: its unknowns sum to N.
            size = math.prod(len(self.categories[d]) for d in dims)
            members = np.arange(self.offsets[c], self.offsets[c] + size, dtype=np.intp)
            rows.append(np.append(members, self.n_index))
            coefficients.append(np.append(np.ones(size), -1.0))
            values.append(0.0)
        for table in self.tables:
            listed: set[tuple[str, ...]] = set()
            for key, value in table.rows:
                listed.add(key)
                if value is None:
                    continue
                index = self.indicator(self.fixed(table, key))
                rows.append(index)
                coefficients.append(np.ones(len(index)))
                values.append(float(value))
            for key in _interior(table.dimensions, self.categories):
                if key not in listed:  # not listed: read as a published 0
                    index = self.indicator(zip(table.dimensions, key, strict=True))
                    rows.append(index)
                    coefficients.append(np.ones(len(index)))
                    values.append(0.0)
        return _System(rows, coefficients, values, self.size, self.integer)


def _interior(
    dimensions: tuple[str, ...], categories: dict[str, list[str]]
) -> Iterable[tuple[str, ...]]:
    if not dimensions:
        return ()
    grids = np.meshgrid(*(np.arange(len(categories[d])) for d in dimensions), indexing="ij")
    flat = [g.ravel() for g in grids]
    return (
        tuple(categories[d][int(i)] for d, i in zip(dimensions, combo, strict=True))
        for combo in zip(*flat, strict=True)
    )


class _System:
    """sum(A[i] * x) == b[i] for every row, x >= 0: what an outsider knows.

    Before any solving, unknowns that a row pins (a published inner cell, or a margin whose
    other unknowns are pinned) are fixed and substituted away, and the remaining rows are
    split into independent blocks; each bound is then solved over the blocks its cell
    touches only. This is exact algebra on the equalities, so the bounds are unchanged; it
    only makes the programmes small.
    """

    def __init__(
        self,
        rows: list[NDArray[np.intp]],
        coefficients: list[NDArray[np.float64]],
        values: list[float],
        size: int,
        integer: bool,
    ) -> None:
        self.integer = integer
        self.consistent = True
        fixed = np.full(size, np.nan)
        remaining = list(range(len(rows)))
        changed = True
        while changed and self.consistent:
            changed = False
            still = []
            for r in remaining:
                index, coefficient = rows[r], coefficients[r]
                free = np.isnan(fixed[index])
                rest = values[r] - float(np.dot(coefficient[~free], fixed[index[~free]]))
                if not free.any():
                    self.consistent &= abs(rest) <= _TOLERANCE
                    continue
                if free.sum() == 1:
                    value = rest / float(coefficient[free][0])
                    self.consistent &= value >= -_TOLERANCE
                    fixed[index[free][0]] = max(value, 0.0)
                    changed = True
                    continue
                still.append(r)
            remaining = still
        self.fixed = fixed
        self.free = np.flatnonzero(np.isnan(fixed))
        column = np.full(size, -1, dtype=np.intp)
        column[self.free] = np.arange(len(self.free))
        self.column = column
        # The remaining rows over the free unknowns, and the independent blocks they form.
        block = np.arange(len(self.free))

        def root(i: int) -> int:
            while block[i] != i:
                block[i] = block[block[i]]
                i = int(block[i])
            return i

        data, indices, indptr, rhs = [], [], [0], []
        for r in remaining:
            index, coefficient = rows[r], coefficients[r]
            free = np.isnan(fixed[index])
            rhs.append(values[r] - float(np.dot(coefficient[~free], fixed[index[~free]])))
            cols = column[index[free]]
            data.append(coefficient[free])
            indices.append(cols)
            indptr.append(indptr[-1] + len(cols))
            first = root(int(cols[0]))
            for c in cols[1:]:
                block[root(int(c))] = first
        self.matrix = csr_array(
            (
                np.concatenate(data) if data else np.zeros(0),
                np.concatenate(indices) if indices else np.zeros(0, dtype=np.intp),
                np.array(indptr),
            ),
            shape=(len(remaining), len(self.free)),
        )
        self.values = np.array(rhs)
        self.block_of_column = np.array([root(i) for i in range(len(self.free))], dtype=np.intp)
        first_columns = [int(indices[i][0]) for i in range(len(indices))]
        self.block_of_row = self.block_of_column[first_columns] if first_columns else np.zeros(0)

    def feasible(self) -> bool:
        if not self.consistent:
            return False
        # HiGHS' integer solver reports "infeasible or unbounded" as status 4; with a zero
        # objective nothing is unbounded, so 2 and 4 both mean no solution at all.
        status, _ = _optimise(
            self.matrix, self.values, np.zeros(self.matrix.shape[1]), self.integer
        )
        return status not in (2, 4)

    def bounds(self, cell: NDArray[np.intp]) -> tuple[int, int | None]:
        pinned = ~np.isnan(self.fixed[cell])
        constant = float(self.fixed[cell[pinned]].sum())
        columns = self.column[cell[~pinned]]
        if not len(columns):
            return math.ceil(constant - _TOLERANCE), math.floor(constant + _TOLERANCE)
        blocks = np.unique(self.block_of_column[columns])
        keep_columns = np.flatnonzero(np.isin(self.block_of_column, blocks))
        keep_rows = np.flatnonzero(np.isin(self.block_of_row, blocks))
        objective = np.isin(keep_columns, columns).astype(np.float64)
        if len(keep_rows) == 0:  # unknowns no published value mentions: 0 to anything
            return math.ceil(constant - _TOLERANCE), None
        matrix = self.matrix[keep_rows][:, keep_columns]
        values = self.values[keep_rows]
        single_sum = matrix.nnz == len(keep_columns) and np.all(matrix.data == 1.0)
        if len(keep_rows) == 1 and single_sum:
            # One sum of unknowns (a one-way table under a known total): no solver needed.
            whole = float(values[0])
            low = whole if objective.all() else 0.0
            return math.ceil(constant + low - _TOLERANCE), math.floor(constant + whole + _TOLERANCE)
        status, low = _optimise(matrix, values, objective, self.integer)
        _check(status)
        # An integer programme over rational data is unbounded exactly when its linear
        # relaxation is (and is known to be feasible), so ask the linear one first.
        status, negated_high = _optimise(matrix, values, -objective, False)
        if status == 3:
            return math.ceil(constant + low - _TOLERANCE), None
        _check(status)
        if self.integer:
            status, negated_high = _optimise(matrix, values, -objective, True)
            _check(status)
        # Rounding inwards: the whole-number interval is what an outsider can rule out.
        return (
            math.ceil(constant + low - _TOLERANCE),
            math.floor(constant - negated_high + _TOLERANCE),
        )


def _optimise(
    matrix: csr_array, values: NDArray[np.float64], objective: NDArray[np.float64], integer: bool
) -> tuple[int, float]:
    """(status, optimum) of min objective.x subject to matrix.x == values, x >= 0; status 0
    solved, 2 infeasible, 3 unbounded (4 from milp: infeasible or unbounded)."""
    has_rows = matrix.shape[0] > 0
    if not len(objective):
        return 0, 0.0
    if integer:
        solved = milp(
            objective,
            constraints=LinearConstraint(matrix, values, values) if has_rows else (),
            integrality=np.ones(len(objective), dtype=np.int64),
            bounds=Bounds(0, np.inf),
        )
        return _outcome(int(solved.status), solved.fun)
    # The stubs do not list sparse matrices, which linprog (HiGHS) takes as they are.
    sparse: Any = matrix
    relaxed = linprog(
        objective,
        A_eq=sparse if has_rows else None,
        b_eq=values if has_rows else None,
        bounds=(0, None),
        method="highs",
    )
    return _outcome(int(relaxed.status), relaxed.fun)


def _outcome(status: int, optimum: float | None) -> tuple[int, float]:
    return status, float(optimum) if status == 0 and optimum is not None else math.nan


def _check(status: int) -> None:
    if status != 0:
        raise PublicationError(f"the audit's solver failed (status {status})", code="R153")


def _malformed(table: PublishedTable, what: str) -> PublicationError:
    return PublicationError(f"table {table.name!r} {what}", code="R151")


__all__ = [
    "MARGIN",
    "AuditFinding",
    "CellBounds",
    "CellRef",
    "FindingReason",
    "audit_tables",
    "cell_bounds",
    "check_tables",
    "check_threshold",
]
