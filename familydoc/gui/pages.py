"""The pages of the main window. Each shows what the database holds now.

Later work fills them further (search and forms for residents, contract
lifecycle, charts, sync controls); what is here already reads real data.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.db import schema_revision
from familydoc.core.errors import FamilydocError
from familydoc.gui.accounts import AccountsPanel
from familydoc.gui.backup_ui import SafetyPanel
from familydoc.gui.errors import show_error
from familydoc.gui.runner import OperationRunner
from familydoc.gui.table_model import PagedTableModel
from familydoc.gui.upstream_panel import UpstreamPanel

ENDING_SOON_COLOUR = QColor("#fff3cd")
ENDED_COLOUR = QColor("#eeeeee")


class Page(QWidget):
    """A page with a title; ``refresh`` reloads it from the database (off the UI thread)."""

    def __init__(
        self, context: AppContext, runner: OperationRunner, actor: Actor, title: str
    ) -> None:
        super().__init__()
        self.context = context
        self.runner = runner
        self.actor = actor
        self.title = title
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        font = QFont(heading.font())
        font.setPointSize(15)
        font.setBold(True)
        heading.setFont(font)
        self.layout_.addWidget(heading)
        self.loaded = False

    def refresh(self) -> None:
        """Reload from the database (each page's own query); every page defines it."""
        raise NotImplementedError

    def _failed(self, error: BaseException, details: str) -> None:
        show_error(self, error, details)


def _table_view(model: PagedTableModel, widths: dict[int, int] | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in (widths or {}).items():
        view.setColumnWidth(column, width)
    return view


class _ListPage(Page):
    """A page made of a count line and an SQL-windowed table."""

    def __init__(
        self,
        context: AppContext,
        runner: OperationRunner,
        actor: Actor,
        title: str,
        model: PagedTableModel,
        widths: dict[int, int],
    ) -> None:
        super().__init__(context, runner, actor, title)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.model = model
        self.view = _table_view(model, widths)
        self.view.setObjectName("listView")
        model.countChanged.connect(self._show_count)
        model.modelReset.connect(lambda: self._apply_widths(widths))
        self.layout_.addWidget(self.count_label)
        self.layout_.addWidget(self.view, 1)

    def _apply_widths(self, widths: dict[int, int]) -> None:
        for column, width in widths.items():
            self.view.setColumnWidth(column, width)

    def _show_count(self, count: int) -> None:
        self.count_label.setText(self.count_text(count))
        self.loaded = True

    def count_text(self, count: int) -> str:
        """The line above the list, in the page's own words; every list page defines it."""
        raise NotImplementedError

    def refresh(self) -> None:
        self.model.refresh()


def _top_aligned(panel: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.addWidget(panel)
    layout.addStretch(1)
    return holder


class SettingsPage(Page):
    def __init__(self, context: AppContext, runner: OperationRunner, actor: Actor) -> None:
        super().__init__(context, runner, actor, self.tr("Settings"))
        self.may_change = actor.can(Permission.MANAGE_SETTINGS)
        info = QFormLayout()
        self.institution = QLabel()
        self.institution.setObjectName("settingsInstitution")
        self.home = QLabel(str(context.home.path))
        self.database = QLabel(self._database_text())
        self.schema = QLabel()
        for label in (self.home, self.database):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        info.addRow(self.tr("Institution"), self.institution)
        info.addRow(self.tr("Data folder"), self.home)
        info.addRow(self.tr("Database"), self.database)
        info.addRow(self.tr("Schema version"), self.schema)

        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.auto_lock = QSpinBox()
        self.auto_lock.setObjectName("autoLockMinutes")
        self.auto_lock.setRange(0, 240)
        self.auto_lock.setSuffix(self.tr(" minutes"))
        self.auto_lock.setSpecialValueText(self.tr("never"))
        self.save_button = QPushButton(self.tr("Save settings"))
        self.save_button.setObjectName("saveSettings")
        self.save_button.clicked.connect(self._save)
        options = QFormLayout()
        options.addRow(self.tr("Language (after restart)"), self.language)
        options.addRow(self.tr("Lock the screen after idle"), self.auto_lock)
        for widget in (self.language, self.auto_lock, self.save_button):
            widget.setEnabled(self.may_change)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        if not self.may_change:
            save_row.addWidget(QLabel(self.tr("Only an administrator can change settings.")))

        general = QWidget()
        general_layout = QVBoxLayout(general)
        grid = QGridLayout()
        grid.addLayout(info, 0, 0)
        grid.addLayout(options, 0, 1)
        general_layout.addLayout(grid)
        general_layout.addLayout(save_row)
        general_layout.addStretch(1)
        self.upstream = UpstreamPanel(context, actor)
        self.upstream.setObjectName("upstreamPanel")
        self.safety = SafetyPanel(context, runner, actor)
        # One tab per subject, so each gets the page's height (the accounts list above all).
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.addTab(general, self.tr("General"))
        self.tabs.addTab(_top_aligned(self.upstream), self.tr("County server"))
        self.tabs.addTab(_top_aligned(self.safety), self.tr("Data safety"))
        self.users = AccountsPanel(runner, actor, self)
        self.users.changed.connect(self._users_shown)
        if actor.can(Permission.MANAGE_USERS):
            self.tabs.addTab(self.users, self.tr("User accounts"))
        else:
            self.users.hide()
        self.layout_.addWidget(self.tabs, 1)

    def show_accounts(self) -> AccountsPanel:
        self.tabs.setCurrentWidget(self.users)
        return self.users

    def _database_text(self) -> str:
        path = self.context.database.path
        return str(path) if path else self.context.database.engine.url.render_as_string()

    def refresh(self) -> None:
        self.safety.refresh()
        self.upstream.load()
        config = self.context.config()
        self.language.setCurrentIndex(max(0, self.language.findData(config.get("ui.lang"))))
        self.auto_lock.setValue(int(config.get("ui.auto_lock_minutes")))
        institution = self.context.institution()
        self.institution.setText(
            f"{institution.name}（{institution.code}）" if institution else "—"
        )
        self.schema.setText(schema_revision(self.context.database) or "—")
        if self.actor.can(Permission.MANAGE_USERS):
            self.users.refresh()
        else:
            self.loaded = True

    def _users_shown(self) -> None:
        self.loaded = True

    def _save(self) -> None:
        config = self.context.config()
        try:
            config.set("ui.lang", self.language.currentData())
            config.set("ui.auto_lock_minutes", self.auto_lock.value())
        except FamilydocError as error:
            show_error(self, error)
            return
        window = self.window()
        if hasattr(window, "set_auto_lock_minutes"):
            window.set_auto_lock_minutes(self.auto_lock.value())
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Settings"),
            self.tr("Settings saved."),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.open()
