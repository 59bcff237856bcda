"""Fuzz every command of ``shenguan`` (found by walking the argparse tree) with random arguments.

In process, on a copy of a prepared data folder per example: the exit status is 0, 1 or 2 and
a failure is exactly one ``错误：`` line on stderr — never a traceback, never "程序内部错误".
Random text never contains a path separator, so every file named lands in the test's folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import cli, clock
from app.models import LicensingItem, Office
from app.services import offices
from app.services.demo import MAX_RESULTS
from tests.fuzzing import fuzz_settings
from tests.test_cli import RECORD, with_db

pytestmark = pytest.mark.sqlite_only(reason="the command line is fuzzed once, on its default SQLite")
GLOBAL_ONLY = {"--home", "--db"}  # never fuzzed: they would point outside the test's folder


def _commands(parser: argparse.ArgumentParser, path: tuple = ()) -> list[tuple[tuple, argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(path, parser)]
    found = []
    for name, child in subs[0].choices.items():
        found += _commands(child, (*path, name))
    return found


COMMANDS = _commands(cli.build_parser())


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return sorted(o for a in parser._actions for o in a.option_strings
                  if o.startswith("--") and o not in GLOBAL_ONLY | {"--help", "--version"})


SAFE = st.characters(blacklist_characters="/\\~", blacklist_categories=("Cs",))
word = st.one_of(
    st.text(SAFE, max_size=12),
    st.integers(-10**6, 10**12).map(str),
    st.dates().map(str),
    st.sampled_from(["2026-02-30", "2026-13-01", "0", "-1", "", " ", "YK-SPJ", "YK-ZJJ", "ZJ-001",
                     "\x00", "\u202e", "𠮷", "ＹＫ－ＳＰＪ", "1e309", "nan", "--bogus", "-x",
                     "13904171234", "91210800MA0TEXT01X", "approval", "letter", "city", "all"]),
).map(lambda s: "_" if s.strip(".") == "" and s else s)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """An approval bureau with offices, items and one recorded result."""
    home = tmp_path_factory.mktemp("fuzz-cli") / "sg"
    clock.freeze(datetime(2026, 11, 25, 10, 0, 0))
    try:
        run(home, "init", "--code", "YK-SPJ", "--name", "营口市行政审批局", "--role", "approval",
            "--jurisdiction", "市本级", "--operator", "王芳")

        def setup(s):
            zj = offices.add_office(s, "YK-ZJJ", "营口市住房和城乡建设局", "competent", "市本级",
                                    local=True)
            offices.add_office(s, "YK-YSJ", "营口市营商环境建设局", "oversight", "市本级")
            s.add(LicensingItem(code="ZJ-001", name="建筑工程施工许可证核发", competent_office_id=zj.id))

        with_db(home, setup)
        assert run(home, *RECORD, "--as", "YK-SPJ")[0] == 0
    finally:
        clock.freeze(None)
    return home


def run(home: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(["--home", str(home), *args])
        except SystemExit as exc:  # argparse's own exit (e.g. -h inside a subcommand)
            rc = exc.code if isinstance(exc.code, int) else 0
    return rc, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[0]) for c in COMMANDS])
def test_command_never_crashes(prepared, tmp_path, monkeypatch, frozen, command):
    path, parser = command  # demo here meets a database with offices: refused before it builds
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    options = _options(parser)
    token = st.one_of(word, st.sampled_from(options) if options else word)
    counter = iter(range(10**6))

    @fuzz_settings(5)
    @given(args=st.lists(token, max_size=6))
    def one(args):
        home = tmp_path / f"h{next(counter)}"
        shutil.copytree(prepared, home)
        rc, out, err = run(home, *path, *args)
        where = (path, args, rc, err)
        assert rc in (0, 1, 2), where
        assert "Traceback" not in err + out and "程序内部错误" not in err, where
        if rc != 0:
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("错误："), where
        shutil.rmtree(home, ignore_errors=True)

    one()


# -- demo on an empty database: refusals before the city is built, and one real run -------------

BAD_COUNT = st.one_of(st.integers(MAX_RESULTS + 1, 10**40).map(str), st.integers(max_value=-1).map(str),
                      st.sampled_from(["", " ", "1e3", "3.5", "二十", "nan", "１２３４５６７８９", "\u202e5", "--"]))


def _office_count(home: Path) -> int:
    return with_db(home, lambda s: s.query(Office).count())


def test_demo_refuses_bad_arguments_on_an_empty_database(tmp_path, monkeypatch, frozen):
    """Random arguments end with an impossible --results (argparse keeps the last one): every run
    is refused with one line before anything is built, and the empty database stays empty."""
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "empty"
    token = st.one_of(word, st.sampled_from(_options(dict(COMMANDS)[("demo",)])))

    @fuzz_settings(5)
    @given(args=st.lists(token, max_size=4), bad=BAD_COUNT)
    def one(args, bad):
        rc, out, err = run(home, "demo", *args, "--results", bad)
        where = (args, bad, rc, out, err)
        assert rc in (0, 1, 2) and "已生成" not in out, where  # 0: a random -h asked for the help
        assert "Traceback" not in err + out and "程序内部错误" not in err, where
        if rc:
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("错误："), where
        assert not home.exists() or _office_count(home) == 0, where

    one()


def test_demo_builds_on_a_fresh_home_once(tmp_path, frozen):
    home = tmp_path / "demo"
    rc, out, err = run(home, "demo", "--results", str(MAX_RESULTS + 1))
    assert rc == 2 and err == f"错误：演示审批结果数量应为 0 到 {MAX_RESULTS} 之间的整数，现在是 {MAX_RESULTS + 1}。\n"
    rc, out, err = run(home, "demo", "--results", "３", "--seed", " 7 ")  # full-width and spaced counts
    assert (rc, err) == (0, ""), err
    assert "已生成营口市演示数据（随机种子 7" in out and "审批结果 3 条" in out, out
    rc, out, err = run(home, "demo", "--results", "0")
    assert rc == 1 and err.startswith("错误：") and len(err.strip().splitlines()) == 1, err
    assert "已经是演示数据库" in err, err
