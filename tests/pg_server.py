"""A throw-away PostgreSQL server for tests: its own cluster in a temporary folder.

Used when the PostgreSQL server binaries are installed (Debian's ``postgresql`` package;
.ci/run installs it). It listens only on a Unix socket in the temporary folder and on no
TCP port. As root, the server runs as the ``postgres`` system user (it refuses root).
Durability is switched off (fsync, synchronous commit, full-page writes): the cluster is
deleted at the end of the run anyway, and tests create and drop many databases.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SPEED = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=300",
         "shared_buffers=64MB", "checkpoint_timeout=1h", "max_wal_size=4GB")


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
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        except subprocess.CalledProcessError as exc:
            log = self.dir / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed: {exc.stderr.decode(errors='replace')}"
                               f"{tail}") from exc

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://shenguan@/{name}?host={self.dir}"

    def start(self) -> str:
        """Create and start the cluster; the URL of its ``postgres`` database."""
        self._run(self.bin / "initdb", "-D", self.data, "-U", "shenguan", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        opts = f"-k {self.dir} -c listen_addresses='' " + " ".join(f"-c {o}" for o in SPEED)
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", opts, "-w", "-l",
                  self.dir / "log", "start")
        return self.url("postgres")

    def create_database(self, name: str) -> str:
        self._run(self.bin / "createdb", "-h", self.dir, "-U", "shenguan", name)
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
