"""Printed forms in the window: preview (rendered pages), save as PDF, print, batch in the background."""

from __future__ import annotations

from datetime import date

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from app.services import results, rules
from app.ui.forms_preview import PdfPreviewDialog
from tests.conftest import a_result_input
from tests.services.forms.pdfcheck import page_count, qr_codes, text
from tests.ui.conftest import check, on_next_dialog, wait_loaded

RARE = "䶮𠮷科技有限公司"


def _faxed(session, city, name=RARE):
    r = results.record(session, a_result_input(applicant_name=name), office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳", channel="fax",
                 agreed_due=date(2026, 11, 27))
    session.commit()
    return r


def on_dialog_of(kind, handler, timeout_ms: int = 20000) -> dict:
    """Like on_next_dialog, but waits past other modal windows (the progress dialog)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    state: dict = {"done": False, "error": None, "dialog": None}
    waited = [0]

    def poll():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, kind):
            waited[0] += 20
            if waited[0] < timeout_ms:
                QTimer.singleShot(20, poll)
            return
        state["dialog"] = dlg
        try:
            handler(dlg)
        except BaseException as exc:  # noqa: BLE001 - re-raised by check()
            state["error"] = exc
            dlg.reject()
        finally:
            state["done"] = True

    QTimer.singleShot(0, poll)
    return state


def _show(qtbot, window, rid):
    window.refresh(rid)
    wait_loaded(qtbot, window.model)
    window.show_result(rid)
    qtbot.waitUntil(lambda: window.shown_result_id() == rid)


def test_preview_save_and_print_a_transmittal(qtbot, window, ui_city, session, tmp_path, monkeypatch):
    r = _faxed(session, ui_city)
    _show(qtbot, window, r.id)
    assert window.detail.print_button.isVisibleTo(window)
    saved = tmp_path / "saved.pdf"
    printed = tmp_path / "printed.pdf"
    monkeypatch.setattr("app.ui.forms_preview.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(saved), "PDF 文件 (*.pdf)"))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)

    def to_file(self):  # the printer is the edge: print into a PDF file instead of paper
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setFullPage(True)
        printer.setResolution(150)
        return printer

    monkeypatch.setattr(PdfPreviewDialog, "make_printer", to_file)
    seen = {}

    def look(dlg):
        assert isinstance(dlg, PdfPreviewDialog)
        assert dlg.count.text() == "共 2 页" and not dlg.warning.isVisible()
        qtbot.waitUntil(lambda: dlg.page_labels[0].pixmap() is not None and not dlg.page_labels[0].pixmap().isNull())
        dlg.grab().save(str(tmp_path / "preview.png"))
        seen["saved"] = dlg.save_as()
        seen["printed"] = dlg.print_()
        seen["pages"] = dlg.printed_pages
        assert dlg.printer is not None  # kept while in use
        dlg.accept()

    state = on_next_dialog(look)
    window.detail.print_button.click()
    check(state)
    assert seen["saved"] == saved and RARE in text(saved.read_bytes(), 0).replace(" ", "")
    assert seen["printed"] and seen["pages"] == 2
    assert page_count(printed.read_bytes()) == 2
    code = qr_codes(saved.read_bytes(), 1)[0]
    assert qr_codes(printed.read_bytes(), 1, dpi=150) == [code]  # the printed page still scans
    assert (tmp_path / "preview.png").stat().st_size > 10_000


def test_unpushed_result_explains_instead_of_printing(qtbot, window, ui_city, session, no_blocking_message_boxes):
    r = results.record(session, a_result_input(), office=ui_city.approval, operator="王芳")
    session.commit()
    _show(qtbot, window, r.id)
    assert not window.detail.print_button.isVisibleTo(window)
    window.form_actions["transmittal"].trigger()
    assert no_blocking_message_boxes[-1][0] == "warning" and "尚未推送" in no_blocking_message_boxes[-1][1]


def test_batch_list_is_built_in_the_background_and_previewed(qtbot, window, ui_city, session):
    made = [_faxed(session, ui_city, f"营口{i}号建筑有限公司") for i in range(3)]
    seen = {}

    def preview(dlg):
        assert isinstance(dlg, PdfPreviewDialog)
        seen["pdf"] = dlg.pdf
        dlg.accept()

    def choose(dlg):
        combo = dlg.fields["addressee"]
        combo.setCurrentIndex(combo.findText(ui_city.housing.name))
        dlg.fields["with_forms"].setChecked(True)
        seen["next"] = on_dialog_of(PdfPreviewDialog, preview)
        dlg.ok_button.click()

    state = on_next_dialog(choose)
    window.form_actions["batch"].trigger()
    check(state)
    qtbot.waitUntil(lambda: seen["next"]["done"], timeout=20000)
    check(seen["next"])
    pdf = seen["pdf"]
    assert page_count(pdf) == 2 + 3  # cover, list, three forms
    listed = "".join(text(pdf, 1).split())
    assert all(f"营口{i}号建筑有限公司" in listed for i in range(3))
    assert qr_codes(pdf, 0)[0].startswith("SG1L:")
    assert all(results.current_push(session, r).status == rules.SENT for r in made)
