"""事项清单 tab: the catalogue's versions and their items (Art. 7).

The oversight office drafts, edits, evaluates, approves, puts in force, files and publishes;
every office imports the published file and sees which version it works under. A button is
enabled only when the step is legal for the chosen version's status and this office's role.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.catalogue import versions, working
from app.ui import lists_actions as act
from app.ui import lists_dialogs as dlg
from app.ui.lists_models import EntryModel, VersionModel, day, filter_entries
from app.ui.lists_xlsx_dialog import (
    attempt,
    choose_open,
    choose_save,
    export_excel,
    import_excel,
    table,
)
from app.ui.workspace import Workspace

CATALOGUE_FILTER = "事项清单文件 (*.json);;所有文件 (*)"


def _buttons(owner, specs) -> QHBoxLayout:
    row = QHBoxLayout()
    for text, name, slot in specs:
        b = QPushButton(text, objectName=name)
        b.clicked.connect(lambda _checked=False, f=slot: f())
        row.addWidget(b)
        setattr(owner, name, b)
    row.addStretch(1)
    return row


class CatalogueTab(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.entries: list[dict] = []
        self.status: str | None = None
        layout = QVBoxLayout(self)
        self.working = QLabel(objectName="workingVersion")
        self.working.setWordWrap(True)
        layout.addWidget(self.working)
        self.version_model = VersionModel(self)
        self.versions = table(self.version_model, "versionTable")
        self.versions.selectionModel().currentRowChanged.connect(lambda *_a: self.load_items())
        layout.addLayout(_buttons(self, (
            ("新建草案…", "newDraftButton", self.new_draft), ("记录意见…", "opinionButton", self.opinion),
            ("评估论证", "evaluateButton", self.evaluate), ("登记批准…", "approveButton", self.approve),
            ("实施…", "enforceButton", self.enforce), ("登记备案…", "fileButton", self.file),
            ("发布…", "publishButton", self.publish), ("导入清单文件…", "importFileButton", self.import_file),
            ("比较版本…", "diffButton", self.compare))))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.versions)
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 0, 0, 0)
        search = QHBoxLayout()
        self.items_label = QLabel("事项：")
        search.addWidget(self.items_label)
        self.search = QLineEdit(objectName="itemSearch", placeholderText="按编码、名称、类别、主管部门查找")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.show_items())
        search.addWidget(self.search, 1)
        box.addLayout(search)
        self.entry_model = EntryModel(self)
        self.items = table(self.entry_model, "itemTable")
        self.items.doubleClicked.connect(lambda _i: self.edit_entry() if self.editEntryButton.isEnabled() else None)
        self.items.selectionModel().currentRowChanged.connect(lambda *_a: self.update_buttons())
        box.addWidget(self.items, 1)
        box.addLayout(_buttons(self, (
            ("添加事项…", "addEntryButton", self.add_entry), ("修改事项…", "editEntryButton", self.edit_entry),
            ("删除事项", "removeEntryButton", self.remove_entry),
            ("导入 Excel…", "importXlsxButton", self.import_xlsx),
            ("导出 Excel…", "exportXlsxButton", self.export_xlsx))))
        split.addWidget(lower)
        split.setSizes([220, 380])
        layout.addWidget(split, 1)

    # -- content ------------------------------------------------------------------------------

    def number(self) -> int | None:
        return self.version_model.number(self.versions.currentIndex().row())

    def refresh(self) -> None:
        chosen = self.number()
        rows, current = act.catalogue_versions(self.ws)
        self.version_model.set_rows(rows)
        numbers = [r["number"] for r in rows]
        w = next((r for r in rows if r["working"]), None)
        if w is None:
            self.working.setText("本单位尚未执行任何版本的事项清单" + (
                "：新建草案，评估论证、批准后实施。" if act.role(self.ws) == "oversight"
                else "：请导入营商环境建设主管部门发布的清单文件。"))
        else:
            self.working.setText(f"本单位执行第 {w['number']} 版清单：{w['title']}（{w['status_label']}，"
                                 f"{w['entries']} 项事项，{w['approved_doc_number'] or ''}，"
                                 f"自 {day(w['in_force_from'])} 起实施）")
        pick = chosen if chosen in numbers else (current if current in numbers else (numbers[-1] if numbers else None))
        if pick is not None:
            self.versions.selectRow(numbers.index(pick))
        self.load_items()

    def load_items(self) -> None:
        n = self.number()
        if n is None:
            self.entries, self.status = [], None
        else:
            ok, d = attempt(self, "事项清单", lambda: act.version_details(self.ws, n))
            self.entries, self.status = (d["items"], d["status"]) if ok else ([], None)
        self.show_items()

    def show_items(self) -> None:
        shown = filter_entries(self.entries, self.search.text())
        self.entry_model.set_rows(shown)
        n = self.number()
        self.items_label.setText(f"第 {n} 版的事项（{len(shown)}/{len(self.entries)}）：" if n else "事项：")
        self.update_buttons()

    def update_buttons(self) -> None:
        role, status = act.role(self.ws), self.status
        has_entry = self.entry_model.item(self.items.currentIndex().row()) is not None
        self.newDraftButton.setEnabled(role == "oversight")
        for name, step in (("opinionButton", "opinion"), ("evaluateButton", "evaluate"),
                           ("approveButton", "approve"), ("enforceButton", "enforce"), ("fileButton", "file"),
                           ("publishButton", "publish"), ("addEntryButton", "edit"),
                           ("importXlsxButton", "import_xlsx")):
            getattr(self, name).setEnabled(act.step_allowed(step, status, role))
        editable = act.step_allowed("edit", status, role) and has_entry
        self.editEntryButton.setEnabled(editable)
        self.removeEntryButton.setEnabled(editable)
        self.exportXlsxButton.setEnabled(status is not None)
        self.diffButton.setEnabled(self.version_model.rowCount() >= 2)
        self.importFileButton.setEnabled(self.ws.office is not None)

    def changed(self) -> None:
        self.ws.changed.emit(None)  # the window refreshes every tab; the main list re-queries

    def _form(self, dialog, submit) -> object | None:
        dialog.submit = submit
        if dialog.exec():
            self.changed()
            return dialog.result_value
        return None

    # -- versions -----------------------------------------------------------------------------

    def new_draft(self) -> int | None:
        numbers = [r["number"] for r in self.version_model.items()]
        n = self._form(dlg.NewDraftDialog(numbers, self),
                       lambda v: act.new_draft(self.ws, v["title"], v["source"]))
        if n is not None:
            self.versions.selectRow([r["number"] for r in self.version_model.items()].index(n))
        return n

    def opinion(self) -> None:
        n = self.number()
        offices = act.offices(self.ws, ("approval", "competent", "enforcement"))
        self._form(dlg.OpinionDialog(n, offices, self), lambda v: act.write(
            self.ws, lambda s, _o: versions.record_opinion(s, n, v["office"], v["agrees"], v["text"])))

    def evaluate(self) -> None:
        n = self.number()
        ok, silent = attempt(self, "评估论证", lambda: act.write(self.ws, lambda s, _o: versions.evaluate(s, n)))
        if ok:
            extra = f"\n注意：以下主管部门未提出意见：{'、'.join(silent)}。" if silent else ""
            QMessageBox.information(self, "评估论证", f"第 {n} 版清单已评估论证，可报本级政府批准。{extra}")
            self.changed()

    def approve(self) -> None:
        n = self.number()
        self._form(dlg.ApproveDialog(n, self), lambda v: act.write(
            self.ws, lambda s, _o: versions.approve(s, n, v["doc_number"], v["on"])))

    def enforce(self) -> None:
        n = self.number()
        report = self._form(dlg.EnforceDialog(n, self), lambda v: act.write(
            self.ws, lambda s, o: versions.put_in_force(s, o, n, v["start"])))
        if report is not None:
            QMessageBox.information(self, "实施", f"第 {n} 版清单已实施。\n{act.sync_text(report)}\n"
                                                 "请点“发布…”写出清单文件，分发各单位。")

    def file(self) -> None:
        n = self.number()
        self._form(dlg.FileDialog(n, self), lambda v: act.write(
            self.ws, lambda s, _o: versions.mark_filed(s, n, v["on"], v["filed_with"])))

    def publish(self, path=None) -> bool:
        n = self.number()
        path = path or choose_save(self, "发布事项清单文件", f"事项清单-第{n}版.json", CATALOGUE_FILTER)
        if path is None:
            return False
        ok, written = attempt(self, "发布事项清单", lambda: act.publish_to(self.ws, n, path))
        if ok:
            QMessageBox.information(self, "发布事项清单", f"已写出第 {n} 版事项清单文件：{written}\n"
                                                    "各单位在“导入清单文件…”中导入。")
            self.changed()
        return ok

    def import_file(self, path=None) -> bool:
        path = path or choose_open(self, "选择营商局发布的事项清单文件", CATALOGUE_FILTER)
        if path is None:
            return False
        ok, r = attempt(self, "导入事项清单", lambda: act.import_catalogue_file(self.ws, path))
        if not ok:
            return False
        if r.already:
            text = f"已是此版本：本单位已在执行第 {r.number} 版清单，未做更改。"
        else:
            text = (f"已导入第 {r.number} 版清单：{r.title}（{r.entries} 项事项），本单位按此版执行。\n"
                    + act.sync_text(r.sync))
        QMessageBox.information(self, "导入事项清单", text)
        self.changed()
        return True

    def compare(self) -> dlg.DiffDialog:
        numbers = [r["number"] for r in self.version_model.items()]
        n = self.number()
        a = n - 1 if n is not None and n - 1 in numbers else None
        d = dlg.DiffDialog(numbers, lambda x, y: act.catalogue_diff(self.ws, x, y), a, n, self)
        self.diff_dialog = d
        d.exec()
        return d

    # -- items --------------------------------------------------------------------------------

    def _competents(self) -> list[tuple[str, str]]:
        return act.offices(self.ws, working.LOCAL_ROLES)

    def add_entry(self) -> None:
        n = self.number()
        self._form(dlg.EntryDialog(self._competents(), parent=self), lambda v: act.write(
            self.ws, lambda s, _o: versions.add_entry(s, n, v["code"], v["name"], v["category"], v["competent"],
                                                      v["level"])))

    def edit_entry(self) -> None:
        n, e = self.number(), self.entry_model.item(self.items.currentIndex().row())
        if e is None:
            return
        self._form(dlg.EntryDialog(self._competents(), e, self), lambda v: act.write(
            self.ws, lambda s, _o: versions.edit_entry(s, n, e["code"], name=v["name"], category=v["category"],
                                                       competent=v["competent"], level=v["level"])))

    def remove_entry(self) -> None:
        n, e = self.number(), self.entry_model.item(self.items.currentIndex().row())
        if e is None:
            return
        answer = QMessageBox.question(self, "删除事项", f"从第 {n} 版草案删除事项 {e['code']} {e['name']}？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        ok, _ = attempt(self, "删除事项", lambda: act.write(
            self.ws, lambda s, _o: versions.remove_entry(s, n, e["code"])))
        if ok:
            self.changed()

    def import_xlsx(self, path=None):
        return import_excel(self, self.ws, "catalogue", number=self.number(), path=path)

    def export_xlsx(self, path=None):
        n = self.number()
        return export_excel(self, self.ws, "catalogue", f"事项清单-第{n}版.xlsx", number=n, path=path)
