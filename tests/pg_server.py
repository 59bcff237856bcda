"""A throw-away PostgreSQL server for tests: its own cluster in a temporary folder.

Used when the PostgreSQL server binaries are installed (Debian's ``postgresql`` package;
.ci/run installs it). It listens only on a Unix socket in the temporary folder and on no
TCP port. As root, the server runs as the ``postgres`` system user (it refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    exe = shutil.which("pg_ctl")
    return Path(exe).parent if exe else None


class PgServer:
    def __init__(self) -> None:
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="shenguan-pg-"))
        self.data = self.dir / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            shutil.chown(self.dir, self.user)
        self.dir.chmod(0o755)

    def _run(self, *args: str) -> None:
        cmd = [str(a) for a in args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        self._run(self.bin / "initdb", "-D", self.data, "-U", "shenguan", "-A", "trust",
                  "-E", "UTF8", "--locale=C")
        opts = f"-k {self.dir} -c listen_addresses='' -c fsync=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", opts, "-w", "-l",
                  self.dir / "log", "start")
        return f"postgresql+psycopg://shenguan@/postgres?host={self.dir}"

    def create_database(self, name: str) -> str:
        self._run(self.bin / "createdb", "-h", self.dir, "-U", "shenguan", name)
        return f"postgresql+psycopg://shenguan@/{name}?host={self.dir}"

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
