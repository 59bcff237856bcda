"""办件（全部事项）: every dispatch of the acting office, whatever its kind, in one window.

A filter bar (kind, 收到/发出, state, text), the rows sorted by the awaited step's due date, and
for the chosen row its details, the steps this office may take now (buttons generated from the
rules table) and its timeline. 新建 starts the flows that begin here; 打印 shows the printed
form of the chosen row where its flow has one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import worklist
from app.ui import dispatch_actions
from app.ui.audit_model import AuditSection, audit_rows
from app.ui.dispatch_models import DispatchTimelineModel, WorkRowModel
from app.ui.pages import show_once
from app.ui.workspace import Workspace

__all__ = ["DispatchPage", "open_dispatch_page"]

SUMMARY_COLUMN = 4  # 事由


def _table(model, name: str) -> QTableView:
    t = QTableView(objectName=name)
    t.setModel(model)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().lineSpacing() + 10)
    t.setWordWrap(False)
    header = t.horizontalHeader()
    header.setResizeContentsPrecision(200)  # columns fitted to the first rows, not to thousands
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return t


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    c = QComboBox(objectName=name)
    for text, data in items:
        c.addItem(text, data)
    return c


class DispatchPage(QDialog):
    """A window of its own beside the main window (not modal)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("办件（全部事项）")
        self.resize(1240, 780)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.rows: list[worklist.WorkRow] = []
        self.current: worklist.WorkDetail | None = None
        self.model = WorkRowModel(self)
        self.timeline_model = DispatchTimelineModel(self)
        layout = QVBoxLayout(self)
        self.identity = QLabel(objectName="identity")
        layout.addWidget(self.identity)
        self.message = QLabel(objectName="dispatchMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addLayout(self._filter_bar())
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = _table(self.model, "workTable")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_current())
        split.addWidget(self.table)
        split.addWidget(self._detail_panel())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        ws.changed.connect(lambda *_: self.refresh())
        ws.office_changed.connect(self.refresh)
        ws.operator_changed.connect(lambda *_: self.show_current())  # the steps the role allows
        self.refresh()

    # -- layout ---------------------------------------------------------------------------

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.kind_box = _combo("kindFilter", [("全部类别", None)]
                               + [(f"{name}（{article}）", kind) for kind, name, article in worklist.kinds()])
        self.direction_box = _combo("directionFilter", [("收到和发出", None)]
                                    + [(v, k) for k, v in worklist.DIRECTION_LABELS.items()])
        self.state_box = _combo("stateFilter", [("全部状态", None)]
                                + [(v, k) for k, v in worklist.STATE_LABELS.items()])
        self.search = QLineEdit(objectName="searchBox", placeholderText="搜索单位、事由…（空格分隔多个词）")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.refresh)
        for label, box in (("类别：", self.kind_box), ("收发：", self.direction_box), ("状态：", self.state_box)):
            bar.addWidget(QLabel(label))
            bar.addWidget(box)
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.search, 1)
        self.refresh_button = QPushButton("刷新", objectName="refreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        self.new_button = QPushButton("新建", objectName="newButton")
        self.new_menu = QMenu(self.new_button)
        self.new_menu.aboutToShow.connect(self._fill_new_menu)
        self.new_button.setMenu(self.new_menu)
        bar.addWidget(self.new_button)
        self.count = QLabel(objectName="countLabel")
        bar.addWidget(self.count)
        return bar

    def _detail_panel(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 4, 0, 0)
        self.header = QLabel(objectName="detailHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.header.setAlignment(Qt.AlignmentFlag.AlignTop)
        box.addWidget(self.header)
        row = QHBoxLayout()
        self.action_row = QHBoxLayout()
        row.addLayout(self.action_row)
        row.addStretch(1)
        self.print_button = QPushButton("打印…", objectName="printButton")
        self.print_button.clicked.connect(self.print_current)
        row.addWidget(self.print_button)
        box.addLayout(row)
        box.addWidget(QLabel("办理记录："))
        self.timeline = _table(self.timeline_model, "timelineTable")
        self.timeline.setWordWrap(True)
        box.addWidget(self.timeline, 1)
        self.audit = AuditSection()
        self.audit.loader = lambda record_id: audit_rows(self.ws, record_id)
        box.addWidget(self.audit)
        self.action_buttons: dict[str, QPushButton] = {}
        return panel

    # -- content --------------------------------------------------------------------------

    def current_filter(self) -> worklist.Filter:
        return worklist.Filter(kind=self.kind_box.currentData(), direction=self.direction_box.currentData(),
                               state=self.state_box.currentData(), text=self.search.text())

    def refresh(self) -> None:
        office = self.ws.office
        self.identity.setText(f"本单位：{office.name}（{office.role_label}）" if office else "本数据库尚未设置本单位。")
        chosen = self.current.row.id if self.current else None
        try:
            self.rows = dispatch_actions.fetch_rows(self.ws, self.current_filter())
        except Exception as exc:  # noqa: BLE001 - the window stays up; the reason is shown
            self.rows = []
            self.say(f"无法读取办件：{getattr(exc, 'message', None) or exc}", bad=True)
        self.model.set_rows(self.rows)
        self.count.setText(f"共 {len(self.rows)} 件")
        self._fit_columns()
        row = self.model.row_of(chosen) if chosen else -1
        if row >= 0:
            self.table.selectRow(row)
        self.show_current()

    def _fit_columns(self) -> None:
        """Every column to its contents (within bounds); 事由 takes the room that is left."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for col in range(self.model.columnCount()):
            if col == SUMMARY_COLUMN:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
                continue
            self.table.resizeColumnToContents(col)
            header.resizeSection(col, min(max(header.sectionSize(col), 60), 260))

    def selected_row(self) -> worklist.WorkRow | None:
        return self.model.item(self.table.currentIndex().row())

    def show_current(self) -> None:
        row = self.selected_row()
        self.current = dispatch_actions.fetch_detail(self.ws, row.id) if row else None
        d = self.current
        self.timeline_model.set_rows(d.timeline if d else [])
        self.timeline.resizeColumnsToContents()
        self.audit.show_record(row.id if row else None)
        self._build_buttons(d.row if d else None)
        self.print_button.setVisible(bool(d and dispatch_actions.can_print(d.row)))
        if d is None:
            self.header.setText("请在上表中选择一件办件。" if self.rows else "没有符合条件的办件。")
            return
        r = d.row
        lines = [f"<b>{r.kind_name}</b>（{r.article}）　{d.sender_name} → {d.addressee_name}",
                 f"事由：{d.subject_detail or r.summary or '—'}",
                 f"状态：<b>{r.status_label}</b>" + (f"　当前期限：{r.due_text} {r.due_state_label}"
                                                   if r.due_text else "")
                 + (f"　方式：{d.channel_label}" if d.channel_label else ""),
                 f"起算：{d.clock_start:%Y-%m-%d}（{d.clock_start_text}）　对方应：{d.reply_text}"]
        if r.actions:
            lines.append("本单位现在可以：" + "、".join(a.label for a in r.actions))
        elif r.waiting_other:
            lines.append("等待对方办理。")
        self.header.setText("<br>".join(lines))

    def _build_buttons(self, row: worklist.WorkRow | None) -> None:
        for b in self.action_buttons.values():
            self.action_row.removeWidget(b)
            b.deleteLater()
        self.action_buttons = {}
        for choice in (row.actions if row else ()):
            text = choice.label + ("…" if choice.needs_reason else "")
            self._add_button(choice.action, text, lambda _c=False, a=choice.action: self.run_action(a))
            why = self.ws.step_refusal(row.kind, row.status, choice.action)  # “仅负责人可用”
            self.action_buttons[choice.action].setEnabled(not why)
            self.action_buttons[choice.action].setToolTip(why)
        for key, text, fn in (dispatch_actions.extra_actions(self.ws, row) if row else ()):
            self._add_button(key, text, lambda _c=False, f=fn: self.run_flow(f))

    def _add_button(self, key: str, text: str, slot) -> None:
        b = QPushButton(text, objectName=f"action_{key}")
        b.clicked.connect(slot)
        self.action_row.addWidget(b)
        self.action_buttons[key] = b

    def say(self, text: str, bad: bool = False) -> None:
        color = "#A40000" if bad else "#1B5E20"
        self.message.setStyleSheet(f"QLabel {{ color:{color}; padding:4px; }}")
        self.message.setText(text)
        self.message.show()

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    # -- actions --------------------------------------------------------------------------

    def run_action(self, action: str) -> bool:
        row = self.current.row if self.current else None
        if row is None:
            return False
        try:
            done = dispatch_actions.run_action(self.ws, row, action, self)
        except Exception as exc:  # noqa: BLE001 - a refused step never closes the window
            text = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            self.say(f"未办理：{text}", bad=True)
            QMessageBox.warning(self, "办件", f"未办理：{text}")
            self.refresh()
            return False
        if done:
            label = next((a.label for a in row.actions if a.action == action), action)
            self.say(f"已{label}：{row.kind_name}（{row.counterpart_name}）")
        self.refresh()
        return done

    def run_flow(self, fn) -> bool:
        """A step of the chosen row's flow beyond the rules table (e.g. 登记立案)."""
        if self.current is None:
            return False
        return self.create(lambda ws, parent: fn(ws, self.current.row, parent))

    def print_current(self) -> None:
        if self.current is not None:
            dispatch_actions.print_row(self.ws, self.current.row, self)

    def _fill_new_menu(self) -> None:
        from app.ui.dispatch_dialogs import creators

        self.new_menu.clear()
        role = self.ws.office.role if self.ws.office else ""
        made = [(label, fn) for label, fn, roles in creators() if role in roles]
        for label, fn in made:
            act = self.new_menu.addAction(label)
            act.triggered.connect(lambda _c=False, f=fn: self.create(f))
        if not made:
            self.new_menu.addAction("（本单位没有可在此发起的事项）").setEnabled(False)

    def create(self, fn) -> bool:
        try:
            done = bool(fn(self.ws, self))
        except Exception as exc:  # noqa: BLE001
            self.say(f"未完成：{getattr(exc, 'message', None) or exc}", bad=True)
            return False
        if done:
            self.say("已办理。")
        self.refresh()
        return done


def open_dispatch_page(ws: Workspace, window) -> DispatchPage:
    """Show the one 办件 window of this main window (created on first use)."""
    return show_once(window, "dispatch_page", lambda: DispatchPage(ws, window))
