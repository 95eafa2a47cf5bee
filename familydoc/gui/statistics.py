"""The statistics page: signing rates as of a day, the figures of a period, the trend.

The summary arrives first (one job on the database worker); the period figures and the
12-month trend follow in a second job, so the tables show before the slower trend. Rows
are coloured against the supervisor's targets of the report year (green met, yellow
within 5 points, red behind). A double click on a village or a key population — or a
click on a village's bar — opens the outreach list of its unsigned residents and those
whose contract ends soon.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from familydoc.core import exports, statistics
from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.statistics import (
    ANY_KEY,
    OVERALL,
    POPULATION_CODES,
    PeriodFigures,
    Summary,
    SummaryRow,
    Trend,
    target_level,
)
from familydoc.gui import labels
from familydoc.gui.errors import show_error
from familydoc.gui.outreach import OutreachDialog
from familydoc.gui.pages import Page
from familydoc.gui.runner import OperationRunner

LEVEL_COLOURS = {
    "met": QColor("#e2f0d9"),
    "near": QColor("#fff2cc"),
    "behind": QColor("#f8d7da"),
}
BAR_COLOURS = {
    "met": QColor("#5b9bd5"),
    "near": QColor("#f4b183"),
    "behind": QColor("#c0504d"),
}
TARGET_COLOUR = QColor("#c00000")
VERTICAL_NAMES_FROM = 13  # villages in the chart from which names are set vertically
TREND_CODES = (OVERALL, "elderly_65", "child_0_6", "hypertension", "diabetes", ANY_KEY)
TREND_COLOURS = ("#1f4e79", "#c0504d", "#70ad47", "#ed7d31", "#7030a0", "#2e75b6")
BAR_WIDTH_PX = 30


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _date_edit(value: dt.date) -> QDateEdit:
    edit = QDateEdit(_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate(2100, 12, 31))
    edit.setMinimumDate(QDate(2000, 1, 1))
    return edit


class SortItem(QTableWidgetItem):
    """A cell shown as text and sorted by a number (or any comparable key)."""

    def __init__(self, text: str, key: Any = None, align_right: bool = False) -> None:
        super().__init__(text)
        self.key = text if key is None else key
        if align_right:
            self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, SortItem):
            mine, theirs = self.key, other.key
            if mine is None or theirs is None:
                return mine is None and theirs is not None
            try:
                return bool(mine < theirs)
            except TypeError:
                return str(mine) < str(theirs)
        return super().__lt__(other)


def village_axis_labels(names: Sequence[str]) -> list[str]:
    """The chart's village names; with many villages each set vertically, one upright
    character under the other (Chinese is not turned on its side)."""
    if len(names) < VERTICAL_NAMES_FROM:
        return list(names)
    return ["<br>".join(html.escape(ch) for ch in name) for name in names]


def _table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


def _fill(
    table: QTableWidget,
    rows: Sequence[Sequence[tuple[str, Any]]],
    *,
    right: Sequence[int] = (),
    backgrounds: Sequence[QColor | None] = (),
    data: Sequence[Any] = (),
) -> None:
    """Rows of (text, sort key) cells; ``data`` is kept on each row's first cell."""
    sorting = table.isSortingEnabled()
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for row_index, cells in enumerate(rows):
        colour = backgrounds[row_index] if row_index < len(backgrounds) else None
        for column, (text, key) in enumerate(cells):
            item = SortItem(text, key, column in right)
            if colour is not None:
                item.setBackground(QBrush(colour))
            if column == 0 and row_index < len(data):
                item.setData(Qt.ItemDataRole.UserRole, data[row_index])
            table.setItem(row_index, column, item)
    table.setSortingEnabled(sorting)


def _number(value: int | None) -> tuple[str, int | None]:
    return ("—" if value is None else f"{value:,}", value)


def _rate(value: float | None) -> tuple[str, float | None]:
    return (labels.percent(value), value)


@dataclass(frozen=True)
class _Loaded:
    summary: Summary
    targets: dict[str, float]


@dataclass(frozen=True)
class _Later:
    period: PeriodFigures
    trend: Trend


class StatisticsPage(Page):
    outreachOpened = Signal(object)  # the OutreachDialog

    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        super().__init__(context, runner, actor, self.tr("Statistics"))
        self.summary: Summary | None = None
        self.targets: dict[str, float] = {}
        self.period: PeriodFigures | None = None
        self.trend: Trend | None = None
        self.later_loaded = False
        self._generation = 0
        self.outreach_dialogs: list[OutreachDialog] = []
        today = dt.date.today()

        controls = QHBoxLayout()
        self.as_of = _date_edit(today)
        self.as_of.setObjectName("asOfDate")
        self.as_of.setMaximumDate(_qdate(today + dt.timedelta(days=366)))
        self.period_choice = QComboBox()
        self.period_choice.setObjectName("periodChoice")
        for key, text in (
            ("year", self.tr("This year to the date")),
            ("month", self.tr("This month")),
            ("last_month", self.tr("Last month")),
            ("quarter", self.tr("This quarter")),
            ("custom", self.tr("Other period")),
        ):
            self.period_choice.addItem(text, key)
        self.period_from = _date_edit(dt.date(today.year, 1, 1))
        self.period_to = _date_edit(today)
        self.period_from.setObjectName("periodFrom")
        self.period_to.setObjectName("periodTo")
        self.refresh_button = QPushButton(self.tr("Show"))
        self.refresh_button.setObjectName("showButton")
        self.targets_button = QPushButton(self.tr("Targets…"))
        self.targets_button.setObjectName("targetsButton")
        self.targets_button.setVisible(actor.can(Permission.SET_TARGETS))
        # A push button with a menu keeps room for its arrow (a tool button drew it over
        # the text).
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setObjectName("exportButton")
        menu = QMenu(self.export_button)
        self.export_actions: dict[str, QAction] = {}
        for fmt, text in (
            ("xlsx", self.tr("Excel workbook (.xlsx)…")),
            ("pdf", self.tr("PDF report (.pdf)…")),
            ("csv", self.tr("CSV for other programs (.csv)…")),
        ):
            action = menu.addAction(text)
            action.triggered.connect(lambda _=False, fmt=fmt: self.export(fmt))
            self.export_actions[fmt] = action
        self.export_button.setMenu(menu)
        self.export_button.setEnabled(actor.can(Permission.VIEW_STATISTICS))
        controls.addWidget(QLabel(self.tr("As of")))
        controls.addWidget(self.as_of)
        controls.addSpacing(16)
        controls.addWidget(QLabel(self.tr("Period")))
        controls.addWidget(self.period_choice)
        controls.addWidget(self.period_from)
        controls.addWidget(QLabel("—"))
        controls.addWidget(self.period_to)
        controls.addWidget(self.refresh_button)
        controls.addStretch(1)
        controls.addWidget(self.targets_button)
        controls.addWidget(self.export_button)
        self.layout_.addLayout(controls)

        headline = QHBoxLayout()
        self.overall_card = self._card("overallCard")
        self.key_card = self._card("keyCard")
        self.note = QLabel()
        self.note.setObjectName("denominatorNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")
        headline.addWidget(self.overall_card)
        headline.addWidget(self.key_card)
        headline.addWidget(self.note, 1)
        self.layout_.addLayout(headline)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("statisticsTabs")
        self.tabs.addTab(self._villages_tab(), self.tr("Villages"))
        self.tabs.addTab(self._populations_tab(), self.tr("Key populations"))
        self.tabs.addTab(self._teams_tab(), self.tr("Teams and doctors"))
        self.tabs.addTab(self._period_tab(), self.tr("Period"))
        self.tabs.addTab(self._trend_tab(), self.tr("12-month trend"))
        self.layout_.addWidget(self.tabs, 1)
        self.status = QLabel()
        self.status.setObjectName("statisticsStatus")
        self.layout_.addWidget(self.status)

        self.refresh_button.clicked.connect(self.refresh)
        self.as_of.dateChanged.connect(self._as_of_changed)
        self.period_choice.currentIndexChanged.connect(self._period_chosen)
        self.targets_button.clicked.connect(self.edit_targets)
        self._period_chosen()

    # --- layout --------------------------------------------------------------------------

    def _card(self, name: str) -> QLabel:
        card = QLabel()
        card.setObjectName(name)
        card.setTextFormat(Qt.TextFormat.RichText)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMinimumWidth(230)
        card.setContentsMargins(10, 4, 10, 4)
        return card

    def _villages_tab(self) -> QWidget:
        self.village_chart = QChartView()
        self.village_chart.setObjectName("villageChart")
        self.village_chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.village_chart.setMinimumHeight(240)
        self.village_scroll = QScrollArea()
        self.village_scroll.setWidgetResizable(True)
        self.village_scroll.setWidget(self.village_chart)
        self.village_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.village_scroll.setMinimumHeight(260)
        self.village_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.village_table = _table(
            [
                self.tr("Village code"),
                self.tr("Village"),
                self.tr("Denominator"),
                self.tr("Denominator source"),
                self.tr("Signed"),
                self.tr("Signing rate"),
                self.tr("Compared with the target"),
            ],
            "villageTable",
        )
        self.village_table.setSortingEnabled(True)
        self.village_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate((120, 120, 90, 110, 80, 90)):
            self.village_table.setColumnWidth(column, width)
        self.table = self.village_table  # the name the shell tests use
        self.village_table.itemActivated.connect(self._village_activated)
        hint = QLabel(
            self.tr(
                "Double-click a village (or click its bar) for the residents to call: not"
                " signed, or their contract ends within 30 days."
            )
        )
        hint.setStyleSheet("color: #555555;")
        # The chart's title and key stay above the chart: with many villages the chart
        # scrolls sideways, and a title drawn in it would be centred out of view.
        self.village_caption = QLabel()
        self.village_caption.setObjectName("villageCaption")
        self.village_caption.setTextFormat(Qt.TextFormat.RichText)
        self.village_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.setSpacing(2)
        chart_layout.addWidget(self.village_caption)
        chart_layout.addWidget(self.village_scroll, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(chart_box)
        splitter.addWidget(self.village_table)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 220])
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        return box

    def _populations_tab(self) -> QWidget:
        self.population_table = _table(
            [
                self.tr("Population group"),
                self.tr("Residents"),
                self.tr("Signed"),
                self.tr("Signing rate"),
                self.tr("Target"),
                self.tr("Compared with the target"),
            ],
            "populationTable",
        )
        for column, width in enumerate((230, 90, 90, 90, 80)):
            self.population_table.setColumnWidth(column, width)
        self.population_table.itemActivated.connect(self._population_activated)
        hint = QLabel(
            self.tr(
                "Double-click a key population for its residents to call, in every village."
                " The denominator is the residents of the population living here on the day;"
                " a resident of several populations counts once in the total."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(hint)
        layout.addWidget(self.population_table, 1)
        return box

    def _teams_tab(self) -> QWidget:
        headers = [
            self.tr("Capacity"),
            self.tr("Signed"),
            self.tr("Share of the capacity"),
        ]
        self.team_table = _table([self.tr("Team"), *headers], "teamTable")
        self.doctor_table = _table([self.tr("Responsible doctor"), *headers], "doctorTable")
        for table in (self.team_table, self.doctor_table):
            table.setSortingEnabled(True)
            table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
            table.setColumnWidth(0, 200)
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.team_table, 1)
        layout.addWidget(self.doctor_table, 1)
        return box

    def _period_tab(self) -> QWidget:
        self.period_title = QLabel()
        self.period_title.setObjectName("periodTitle")
        self.period_table = _table([self.tr("Figure"), self.tr("Value")], "periodTable")
        self.period_table.setColumnWidth(0, 300)
        self.package_table = _table(
            [
                self.tr("Personalised package"),
                self.tr("Contracts"),
                self.tr("Fees (yuan)"),
                self.tr("Insurance fund"),
                self.tr("Public-health funds"),
                self.tr("Self-pay"),
            ],
            "packageTable",
        )
        self.package_table.setColumnWidth(0, 180)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.period_title)
        row = QHBoxLayout()
        row.addWidget(self.period_table, 2)
        row.addWidget(self.package_table, 3)
        layout.addLayout(row, 1)
        return box

    def _trend_tab(self) -> QWidget:
        self.trend_chart = QChartView()
        self.trend_chart.setObjectName("trendChart")
        self.trend_chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.trend_chart.setMinimumHeight(200)
        self.trend_table = _table([self.tr("Population group")], "trendTable")
        self.trend_table.setMinimumHeight(120)
        # The month columns keep their width; the label column takes what is left.
        header = self.trend_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # At 1366x768 the chart and the twelve rows do not both fit: the supervisor drags
        # the handle between them.
        self.trend_splitter = QSplitter(Qt.Orientation.Vertical)
        self.trend_splitter.setObjectName("trendSplitter")
        self.trend_splitter.addWidget(self.trend_chart)
        self.trend_splitter.addWidget(self.trend_table)
        self.trend_splitter.setChildrenCollapsible(False)
        self.trend_splitter.setSizes([270, 250])
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.trend_splitter, 1)
        return box

    # --- dates -----------------------------------------------------------------------------

    @property
    def as_of_date(self) -> dt.date:
        return _pydate(self.as_of.date())

    @property
    def period_dates(self) -> tuple[dt.date, dt.date]:
        return _pydate(self.period_from.date()), _pydate(self.period_to.date())

    def _as_of_changed(self) -> None:
        if self.period_choice.currentData() != "custom":
            self._period_chosen()

    def _period_chosen(self) -> None:
        key = self.period_choice.currentData()
        day = self.as_of_date
        custom = key == "custom"
        self.period_from.setEnabled(custom)
        self.period_to.setEnabled(custom)
        if custom:
            return
        if key == "month":
            start, end = day.replace(day=1), day
        elif key == "last_month":
            end = day.replace(day=1) - dt.timedelta(days=1)
            start = end.replace(day=1)
        elif key == "quarter":
            start, end = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), day
        else:
            start, end = dt.date(day.year, 1, 1), day
        self.period_from.setDate(_qdate(start))
        self.period_to.setDate(_qdate(end))

    # --- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        day = self.as_of_date
        start, end = self.period_dates
        self.status.setText(self.tr("Counting…"))

        def load(session: Session) -> _Loaded:
            return _Loaded(
                statistics.signing_summary(session, day),
                statistics.get_targets(session, day.year),
            )

        def load_later(session: Session) -> _Later:
            return _Later(
                statistics.period_figures(session, start, end),
                statistics.signing_trend(session, day),
            )

        self.runner.run(
            load,
            on_success=lambda result: self._show(generation, result),
            on_failure=self._failed,
        )
        self.runner.run(
            load_later,
            on_success=lambda result: self._show_later(generation, result),
            on_failure=self._failed,
        )

    def _show(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:
            return
        self.summary, self.targets = loaded.summary, loaded.targets
        self._show_headline()
        self._show_villages()
        self._show_populations()
        self._show_capacity(self.team_table, self.summary.of("team"))
        self._show_capacity(self.doctor_table, self.summary.of("doctor"))
        self.status.setText(
            self.tr("Figures as of {date}.").format(date=self.summary.as_of.isoformat())
        )
        self.loaded = True

    def _show_later(self, generation: int, later: _Later) -> None:
        if generation != self._generation:
            return
        self.period, self.trend = later.period, later.trend
        self._show_period()
        self._show_trend()
        self.later_loaded = True

    def _target_for(self, row: SummaryRow) -> float | None:
        if row.dimension in ("overall", "village"):
            return self.targets.get(OVERALL)
        if row.dimension == "key_population":
            return self.targets.get(row.key)
        return None

    def level_of(self, row: SummaryRow) -> str:
        return target_level(row.rate, self._target_for(row))

    def _level_text(self, level: str) -> str:
        return {
            "met": self.tr("Target met"),
            "near": self.tr("Within 5 points"),
            "behind": self.tr("Behind the target"),
        }.get(level, "")

    def _show_headline(self) -> None:
        assert self.summary is not None
        overall = self.summary.overall
        key = self.summary.row("key_population", ANY_KEY)
        for card, row, title in (
            (self.overall_card, overall, self.tr("Overall signing rate")),
            (self.key_card, key, self.tr("Key populations")),
        ):
            if row is None:
                continue
            target = self._target_for(row)
            level = self.level_of(row)
            colour = {"met": "#2e7d32", "near": "#b8860b", "behind": "#c00000"}.get(
                level, "#1f4e79"
            )
            target_text = (
                self.tr("target {rate}").format(rate=labels.percent(target))
                if target is not None
                else self.tr("no target set")
            )
            card.setText(
                f"<span style='font-size:9pt;color:#555'>{title}</span><br>"
                f"<span style='font-size:17pt;font-weight:bold;color:{colour}'>"
                f"{labels.percent(row.rate)}</span>"
                f"&nbsp;&nbsp;<span style='color:#555'>{row.numerator:,} / "
                f"{row.denominator:,} · {target_text}</span>"
            )
        with_population = self.summary.villages_with_population
        self.note.setText(
            self.tr(
                "Denominators: {population} of {villages} villages use their official"
                " population for {year}, the others the residents registered on the day."
                " Overall denominator: {source}."
            ).format(
                population=with_population,
                villages=self.summary.villages,
                year=self.summary.as_of.year,
                source=labels.denominator_source(overall.denominator_source),
            )
            + " "
            + self.total_sentence()
        )

    def total_sentence(self) -> str:
        """Why the overall denominator differs from the residents registered (one sentence)."""
        assert self.summary is not None
        total, registered = self.summary.overall.denominator, self.summary.registered_residents
        if total == registered:
            return self.tr(
                "The total, {total}, is the number of residents registered on the day."
            ).format(total=f"{total:,}")
        return self.tr(
            "The total, {total}, differs from the {registered} residents registered on the day"
            " because {population} villages count their official population (常住人口), not"
            " their registered residents."
        ).format(
            total=f"{total:,}",
            registered=f"{registered:,}",
            population=self.summary.villages_with_population,
        )

    def _show_villages(self) -> None:
        assert self.summary is not None
        villages = self.summary.of("village")
        rows, backgrounds, codes = [], [], []
        for row in villages:
            level = self.level_of(row)
            rows.append(
                [
                    (row.key, row.key),
                    (row.label, row.label),
                    _number(row.denominator),
                    (labels.denominator_source(row.denominator_source), row.denominator_source),
                    _number(row.numerator),
                    _rate(row.rate),
                    (self._level_text(level), ("none", "behind", "near", "met").index(level)),
                ]
            )
            backgrounds.append(LEVEL_COLOURS.get(level))
            codes.append(row.key)
        _fill(self.village_table, rows, right=(2, 4, 5), backgrounds=backgrounds, data=codes)
        self._draw_village_chart(villages)

    def _draw_village_chart(self, villages: list[SummaryRow]) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        target = self.targets.get(OVERALL)
        sets = {
            level: QBarSet(self._level_text(level) or self.tr("Signing rate"))
            for level in ("met", "near", "behind")
        }
        for level, bar_set in sets.items():
            bar_set.setColor(BAR_COLOURS[level])
            bar_set.setBorderColor(BAR_COLOURS[level])
        self._chart_codes = [row.key for row in villages]
        for row in villages:
            level = self.level_of(row)
            level = level if level in sets else "met"
            for name, bar_set in sets.items():
                bar_set.append(round((row.rate or 0) * 100, 1) if name == level else 0)
        series = QStackedBarSeries()
        for bar_set in sets.values():
            series.append(bar_set)
            bar_set.clicked.connect(self._bar_clicked)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(village_axis_labels([row.label for row in villages]))
        font = QFont(axis_x.labelsFont())
        font.setPointSize(8)
        axis_x.setLabelsFont(font)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setTickCount(6)
        axis_y.setLabelFormat("%d%%")
        axis_y.setLabelsFont(font)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        if target is not None and villages:
            line = QLineSeries()
            line.append(QPointF(-0.5, target * 100))
            line.append(QPointF(len(villages) - 0.5, target * 100))
            pen = QPen(TARGET_COLOUR)
            pen.setWidth(2)
            pen.setStyle(Qt.PenStyle.DashLine)
            line.setPen(pen)
            chart.addSeries(line)
            line.attachAxis(axis_x)
            line.attachAxis(axis_y)
        self.village_caption.setText(self._village_caption(target))
        old = self.village_chart.chart()
        self.village_chart.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.village_chart.setMinimumWidth(max(400, 80 + BAR_WIDTH_PX * len(villages)))
        self.village_series = series

    def _village_caption(self, target: float | None) -> str:
        """The chart's title, and with a target its key: bar colours and the target line."""
        title = self.tr("Signing rate by village as of {date}").format(
            date=self.summary.as_of.isoformat() if self.summary else ""
        )
        parts = [f"<b>{html.escape(title)}</b>"]
        if target is not None:
            for level in ("met", "near", "behind"):
                colour = BAR_COLOURS[level].name()
                parts.append(
                    f'<span style="color:{colour}">■</span> {html.escape(self._level_text(level))}'
                )
            rate = self.tr("Target {rate}").format(rate=labels.percent(target))
            parts.append(
                f'<span style="color:{TARGET_COLOUR.name()}">╍╍ {html.escape(rate)}</span>'
            )
        return "&nbsp;&nbsp;&nbsp;".join(parts)

    def _show_populations(self) -> None:
        assert self.summary is not None
        rows, backgrounds, codes = [], [], []
        for row in [self.summary.overall, *self.summary.of("key_population")]:
            level = self.level_of(row)
            target = self._target_for(row)
            label = (
                self.tr("All residents")
                if row.dimension == "overall"
                else labels.population(row.key)
            )
            rows.append(
                [
                    (label, label),
                    _number(row.denominator),
                    _number(row.numerator),
                    _rate(row.rate),
                    _rate(target) if target is not None else ("", None),
                    (self._level_text(level), level),
                ]
            )
            backgrounds.append(LEVEL_COLOURS.get(level))
            codes.append(row.key)
        _fill(self.population_table, rows, right=(1, 2, 3, 4), backgrounds=backgrounds, data=codes)

    def _show_capacity(self, table: QTableWidget, rows: list[SummaryRow]) -> None:
        cells = [
            [
                (row.label, row.label),
                _number(row.denominator or None),
                _number(row.numerator),
                _rate(row.rate),
            ]
            for row in rows
        ]
        over = [LEVEL_COLOURS["behind"] if (row.rate or 0) > 1 else None for row in rows]
        _fill(table, cells, right=(1, 2, 3), backgrounds=over)

    def _show_period(self) -> None:
        period = self.period
        assert period is not None
        self.period_title.setText(
            self.tr("From {start} to {end} (signing date; endings by their date)").format(
                start=period.start.isoformat(), end=period.end.isoformat()
            )
        )
        items: list[tuple[str, str]] = [
            (self.tr("New contracts (first signing)"), f"{period.new_contracts:,}"),
            (self.tr("Renewals signed"), f"{period.renewals_signed:,}"),
            (self.tr("Contracts due for renewal"), f"{period.renewals_due:,}"),
            (self.tr("Of those renewed"), f"{period.renewed:,}"),
            (self.tr("Renewal rate"), labels.percent(period.renewal_rate)),
        ]
        for reason, count in period.ended:
            items.append(
                (self.tr("Ended: {reason}").format(reason=ended_reason(reason)), f"{count:,}")
            )
        items += [
            (self.tr("Contracts with a personalised package"), f"{period.paid_contracts:,}"),
            (
                self.tr("Personalised package fees (yuan)"),
                f"{period.fee_total('price_fen') / 100:,.2f}",
            ),
        ]
        _fill(self.period_table, [[(a, a), (b, b)] for a, b in items], right=(1,))
        packages = [
            [
                (package.name, package.name),
                _number(package.contracts),
                *(
                    (f"{fen / 100:,.2f}", fen)
                    for fen in (
                        package.price_fen,
                        package.fund_insurance_fen,
                        package.fund_public_health_fen,
                        package.self_pay_fen,
                    )
                ),
            ]
            for package in period.packages
        ]
        _fill(self.package_table, packages, right=(1, 2, 3, 4, 5))

    def _show_trend(self) -> None:
        trend = self.trend
        assert trend is not None
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setTitle(self.tr("Signing rate at each month end (this month: the report day)"))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        axis_x = QBarCategoryAxis()
        axis_x.append([point.month for point in trend.points])
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setTickCount(6)
        axis_y.setLabelFormat("%d%%")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        # QtCharts wants a bar series on a category axis before lines can use it.
        anchor = QBarSeries()
        chart.addSeries(anchor)
        anchor.attachAxis(axis_x)
        anchor.attachAxis(axis_y)
        for code, colour in zip(TREND_CODES, TREND_COLOURS, strict=True):
            series = QLineSeries()
            series.setName(self.tr("All residents") if code == OVERALL else labels.population(code))
            for index, rate in enumerate(trend.rates(code)):
                series.append(QPointF(index, (rate or 0) * 100))
            pen = QPen(QColor(colour))
            pen.setWidth(3 if code == OVERALL else 2)
            series.setPen(pen)
            series.setPointsVisible(True)
            chart.addSeries(series)
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        for marker in chart.legend().markers(anchor):
            marker.setVisible(False)
        old = self.trend_chart.chart()
        self.trend_chart.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.trend_table.setColumnCount(1 + len(trend.points))
        self.trend_table.setHorizontalHeaderLabels(
            [self.tr("Population group"), *(point.month for point in trend.points)]
        )
        rows = []
        for code in (OVERALL, *POPULATION_CODES):
            label = self.tr("All residents") if code == OVERALL else labels.population(code)
            rows.append([(label, label), *(_rate(rate) for rate in trend.rates(code))])
        _fill(self.trend_table, rows, right=tuple(range(1, 1 + len(trend.points))))
        for column in range(1, 1 + len(trend.points)):
            self.trend_table.setColumnWidth(column, 72)

    # --- outreach --------------------------------------------------------------------------

    def _village_activated(self, item: QTableWidgetItem) -> None:
        first = self.village_table.item(item.row(), 0)
        if first is not None:
            self.open_outreach(village_code=first.data(Qt.ItemDataRole.UserRole))

    def _population_activated(self, item: QTableWidgetItem) -> None:
        first = self.population_table.item(item.row(), 0)
        if first is None:
            return
        code = first.data(Qt.ItemDataRole.UserRole)
        self.open_outreach(population=None if code == OVERALL else code)

    def _bar_clicked(self, index: int) -> None:
        if 0 <= index < len(self._chart_codes):
            self.open_outreach(village_code=self._chart_codes[index])

    def open_outreach(
        self, *, village_code: str | None = None, population: str | None = None
    ) -> OutreachDialog:
        village_name = None
        if village_code and self.summary is not None:
            row = self.summary.row("village", village_code)
            village_name = row.label if row else village_code
        dialog = OutreachDialog(
            self.runner,
            self.actor,
            as_of=self.as_of_date,
            village_code=village_code,
            village_name=village_name,
            population=population,
            font_setting=self._font_setting(),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.outreach_dialogs = [d for d in self.outreach_dialogs if _alive(d)] + [dialog]
        dialog.show()
        self.outreachOpened.emit(dialog)
        return dialog

    def _font_setting(self) -> str:
        try:
            return str(self.context.config().get("printing.font"))
        except Exception:  # a broken config.toml must not stop the statistics
            return ""

    # --- targets -----------------------------------------------------------------------------

    def edit_targets(self) -> TargetsDialog:
        dialog = TargetsDialog(self.runner, self.actor, self.as_of_date.year, self)
        dialog.saved.connect(lambda _targets: self.refresh())
        dialog.open()
        return dialog

    # --- exports -----------------------------------------------------------------------------

    def ask_save_path(self, fmt: str) -> str:
        """The save dialog; empty when cancelled (replaced in tests)."""
        filters = {
            "xlsx": self.tr("Excel workbook (*.xlsx)"),
            "pdf": self.tr("PDF report (*.pdf)"),
            "csv": self.tr("CSV file (*.csv)"),
        }
        name = f"签约统计-{self.as_of_date:%Y%m%d}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the signing summary"), str(Path.home() / name), filters[fmt]
        )
        if path and not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        return path

    def export(self, fmt: str) -> None:
        path = self.ask_save_path(fmt)
        if not path:
            return
        day = self.as_of_date
        period = self.period_dates
        font_setting = self._font_setting()
        actor = self.actor

        def task(session: Session) -> exports.ExportResult:
            if fmt == "pdf":
                from familydoc.printing.summary_pdf import export_summary_pdf

                return export_summary_pdf(
                    session, actor, path, as_of=day, period=period, font_setting=font_setting
                )
            return exports.export_summary(
                session, actor, path, as_of=day, format=fmt, period=period
            )

        self.status.setText(self.tr("Exporting…"))
        self.runner.run(task, write=True, on_success=self._exported, on_failure=self._failed)

    def _exported(self, result: exports.ExportResult) -> None:
        self.last_export = result
        self.status.setText(self.tr("Saved {path}.").format(path=result.path))

    def _failed(self, error: BaseException, details: str) -> None:
        self.status.setText("")
        show_error(self, error, details)


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:
        return False
    return True


def ended_reason(code: str) -> str:
    """Why contracts ended (the statistics' rows): the labels of the end-contract dialog."""
    return labels.termination_reason(code)


class TargetsDialog(QDialog):
    """The signing-rate targets of a year: overall and per key population."""

    saved = Signal(dict)

    def __init__(
        self, runner: OperationRunner, actor: Actor, year: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.setWindowTitle(self.tr("Signing-rate targets"))
        self.year = QSpinBox()
        self.year.setObjectName("targetYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.fields: dict[str, QDoubleSpinBox] = {}
        form = QFormLayout()
        form.addRow(self.tr("Year"), self.year)
        for code in statistics.TARGET_CODES:
            field = QDoubleSpinBox()
            field.setObjectName(f"target_{code}")
            field.setRange(-1, 100)
            field.setDecimals(1)
            field.setSuffix(" %")
            field.setSpecialValueText(self.tr("not set"))
            field.setValue(-1)
            label = (
                self.tr("Overall (all residents)") if code == OVERALL else labels.population(code)
            )
            form.addRow(label, field)
            self.fields[code] = field
        note = QLabel(
            self.tr(
                "Villages are compared with the overall target. Leave a field at “not set”"
                " to have no target for it."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.year.valueChanged.connect(self.load)
        self.load()

    def load(self) -> None:
        year = self.year.value()
        self.runner.run(
            lambda session: statistics.get_targets(session, year),
            on_success=self._loaded,
            on_failure=lambda error, details: show_error(self, error, details),
        )

    def _loaded(self, targets: dict[str, float]) -> None:
        for code, field in self.fields.items():
            value = targets.get(code)
            field.setValue(-1 if value is None else round(value * 100, 1))
        self.loaded = True

    def values(self) -> dict[str, float | None]:
        return {
            code: None if field.value() < 0 else round(field.value() / 100, 4)
            for code, field in self.fields.items()
        }

    def save(self) -> None:
        year, values, actor = self.year.value(), self.values(), self.actor

        def task(session: Session) -> dict[str, float]:
            return statistics.set_targets(session, actor, year, values)

        self.runner.run(task, write=True, on_success=self._saved, on_failure=self._failed)

    def _saved(self, targets: dict[str, float]) -> None:
        self.saved.emit(targets)
        self.accept()

    def _failed(self, error: BaseException, details: str) -> None:
        show_error(self, error, details)
