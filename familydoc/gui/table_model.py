"""An SQL-windowed table model: row count from SQL, rows fetched a page at a time.

Pages are fetched on the database worker (never on the UI thread); until a page
arrives its cells show an ellipsis. Only a bounded number of pages stay cached,
so memory stays flat whatever the number of rows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from sqlalchemy.orm import Session

from familydoc.core.queries import PagedQuery
from familydoc.gui.runner import OperationRunner

PAGE_SIZE = 256
MAX_CACHED_PAGES = 32
LOADING = "…"

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    format: Callable[[Any], str] = lambda value: "" if value is None else str(value)
    align_right: bool = False
    sort_key: str | None = None  # the query's sort key when the column can be sorted
    # The text from the whole row, when one value is not enough (replaces ``format``).
    row_format: Callable[[tuple[Any, ...]], str] | None = None


class PagedTableModel(QAbstractTableModel):
    countChanged = Signal(int)
    # A header click: (sort key, descending); the owner re-queries in that order in SQL.
    sortRequested = Signal(str, bool)

    def __init__(
        self,
        runner: OperationRunner,
        query_factory: Callable[[Session], PagedQuery],
        columns: Sequence[Column],
        row_background: Callable[[tuple[Any, ...]], QColor | None] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._query_factory = query_factory
        self._columns = list(columns)
        self._row_background = row_background
        self._count = 0
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._query: PagedQuery | None = None
        self._positions: dict[str, int] = {}

    def count_is_at_least(self) -> bool:
        """The row count is a lower bound (a search that matched too many to count)."""
        return self._query is not None and self._query.count_is_at_least()

    def set_query_factory(self, factory: Callable[[Session], PagedQuery]) -> None:
        self._query_factory = factory
        self.refresh()

    # -- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-count and reload the first page; earlier pages in flight are ignored."""
        self._generation += 1
        generation = self._generation

        def load(session: Session) -> tuple[PagedQuery, int, list[tuple[Any, ...]]]:
            query = self._query_factory(session)
            return query, query.count(session), query.fetch(session, 0, PAGE_SIZE)

        self._runner.run(load, on_success=lambda result: self._loaded(generation, *result))

    def _loaded(
        self, generation: int, query: PagedQuery, count: int, first: list[tuple[Any, ...]]
    ) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._query = query
        self._positions = {name: i for i, name in enumerate(query.columns)}
        self._count = count
        self._pages = OrderedDict({0: first})
        self._pending = set()
        self.endResetModel()
        self.countChanged.emit(count)

    def _request_page(self, page: int) -> None:
        if page in self._pending or self._query is None:
            return
        self._pending.add(page)
        query, generation = self._query, self._generation

        def fetch(session: Session) -> list[tuple[Any, ...]]:
            return query.fetch(session, page * PAGE_SIZE, PAGE_SIZE)

        self._runner.run(fetch, on_success=lambda rows: self._page_arrived(generation, page, rows))

    def _page_arrived(self, generation: int, page: int, rows: list[tuple[Any, ...]]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(self._count, first + len(rows)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def row_values(self, row: int) -> tuple[Any, ...] | None:
        """The raw tuple of ``row`` if its page is loaded (asks for it otherwise)."""
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            self._request_page(page)
            return None
        self._pages.move_to_end(page)
        offset = row - page * PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def value(self, row: int, key: str) -> Any:
        values = self.row_values(row)
        return None if values is None else values[self._positions[key]]

    # -- Qt model interface ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self._columns[column].sort_key
        if key is not None:
            self.sortRequested.emit(key, order == Qt.SortOrder.DescendingOrder)

    def sortable(self, column: int) -> bool:
        return self._columns[column].sort_key is not None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.BackgroundRole,
        ):
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        values = self.row_values(index.row())
        if values is None:
            return LOADING if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self._row_background(values) if self._row_background else None
            return QBrush(color) if color is not None else None
        if column.row_format is not None:
            return column.row_format(values)
        return column.format(values[self._positions[column.key]])
