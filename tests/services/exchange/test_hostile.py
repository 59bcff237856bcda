"""The hostile corpus: every file is refused (or held, or a no-op) with a clear message, and the
database of the office that imported it is exactly as before (a logical dump of all tables)."""

from __future__ import annotations

from datetime import datetime

import pytest

from app import clock
from app.models import OfficeKey
from app.services import results
from app.services.exchange import bundle, importer, keys
from tests.conftest import a_result_input
from tests.services.exchange.conftest import (
    build_world,
    close_world,
    export,
    import_file,
    logical_dump,
    ship,
)
from tests.services.exchange.corpus import CASES, Parts, load_keys, write_corpus


def _push(home, **kw):
    with home.session() as s:
        r = results.record(s, a_result_input(**kw), office=home.office(s), operator="王芳")
        results.push(s, r, office=home.office(s), operator="王芳")
        s.commit()


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    """Bundle 1 applied at the department; bundle 2 exported, valid, not imported yet."""
    folder = tmp_path_factory.mktemp("hostile")
    clock.freeze(datetime(2026, 11, 25, 15, 0))
    w = build_world(folder)
    _push(w.ap)
    b1 = export(w.ap, "YK-ZJJ", folder)
    assert import_file(w.zj, b1).status == importer.APPLIED
    assert ship(w.zj, w.ap, folder).acknowledged == 1  # bundle 2 carries only the new push
    _push(w.ap, licence_number="LIC-2")
    b2 = export(w.ap, "YK-ZJJ", folder)
    with w.zj.session() as s:
        own = keys.decryption_key(s.query(OfficeKey).one())
    payload1 = bundle.decrypt(bundle.read_envelope(b1.read_bytes()), own)
    payload2 = bundle.decrypt(bundle.read_envelope(b2.read_bytes()), own)
    sign, enc = load_keys(w)
    parts = Parts(sign, enc, payload2, b1.read_bytes(), payload1, b2.read_bytes())
    built = {name: (make(parts), expect) for name, (make, expect) in CASES.items()}
    write_corpus(folder / "corpus", built)
    clock.freeze(None)
    yield w, built, b2
    close_world(w)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_refused_and_changes_nothing(stage, name):
    w, built, _ = stage
    data, expect = built[name]
    before = logical_dump(w.zj)
    with w.zj.session() as s:  # as the CLI does: commit only when applied
        report = importer.import_bundle(s, data, file_name=f"{name}.json")
        if report.status == importer.APPLIED:
            s.commit()
    assert report.status != importer.APPLIED
    assert expect in report.message, report.message
    assert "\n" not in report.message and "Traceback" not in report.message
    assert logical_dump(w.zj) == before


def test_the_valid_bundle_still_imports_after_the_corpus(stage):
    w, _, b2 = stage
    assert import_file(w.zj, b2).status == importer.APPLIED
