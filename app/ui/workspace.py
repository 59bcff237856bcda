"""What every view shares: the one sessionmaker, the office the window acts as, the operator.

Views never keep ORM objects: they ask the workspace for plain rows and are told, through
``changed``, when an action has written something. ``fetch_rows`` and ``count_rows`` are
also called from background threads (app.ui.counter): each call opens its own session from
the one sessionmaker and returns plain values.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.db import Database
from app.models import Office
from app.services import audit, operators, queries
from app.services import offices as offices_service
from app.services import settings as settings_service
from app.services.workdays import WorkCalendar, load_calendar


@dataclass(frozen=True)
class OfficeInfo:
    id: uuid.UUID
    code: str
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return offices_service.ROLE_LABELS.get(self.role, self.role)


def _info(office: Office) -> OfficeInfo:
    return OfficeInfo(office.id, office.code, office.name, office.role)


class Workspace(QObject):
    """The session factory plus this window's acting office; emits what changed."""

    changed = Signal(object)  # after an action wrote something: the result id, or None
    office_changed = Signal()  # the window now acts as another local office
    operator_changed = Signal(str)

    def __init__(self, database: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.database = database
        self.local_offices: list[OfficeInfo] = []
        self.office: OfficeInfo | None = None
        self.operator = ""
        self.account: operators.Account | None = None  # the signed-in operator (issue 7)
        self._with_accounts = False  # cache of operators.accounts_enabled once it is True
        self._calendar: WorkCalendar | None = None
        self._calendar_lock = threading.Lock()  # loaded once, by whichever thread asks first
        self.load()

    # -- sessions ---------------------------------------------------------------------

    @contextmanager
    def session(self):
        """A session from THE sessionmaker; the caller commits, anything else rolls back."""
        with self.database.sessions() as s:
            office = self.office
            audit.set_actor(s, office.code if office else None, self.operator or None)
            if self.account is not None:
                operators.act_as(s, self.account)
            yield s

    def acting_office(self, session, office: OfficeInfo | None = None) -> Office | None:
        office = office or self.office
        return session.get(Office, office.id) if office else None

    @property
    def calendar(self) -> WorkCalendar:
        calendar = self._calendar
        if calendar is None:
            with self._calendar_lock:
                calendar = self._calendar
                if calendar is None:
                    with self.session() as s:
                        calendar = self._calendar = load_calendar(s)
        return calendar

    # -- state ------------------------------------------------------------------------

    def load(self) -> None:
        """Read local offices, the current office and the operator from the database."""
        with self.session() as s:
            self.local_offices = sorted(  # the approval bureau first, then by code
                (_info(o) for o in offices_service.local_offices(s)),
                key=lambda o: (o.role != "approval", o.code),
            )
            wanted = settings_service.get(s, settings_service.CURRENT_OFFICE)
            self.operator = (self.account.display_name if self.account is not None
                             else settings_service.get(s, settings_service.OPERATOR))
        self.office = self._pick(wanted)
        self._calendar = None

    def _pick(self, wanted: str) -> OfficeInfo | None:
        for o in self.local_offices:
            if wanted and wanted in (o.code, str(o.id)):
                return o
        return self.local_offices[0] if self.local_offices else None

    def set_office(self, office_id: uuid.UUID) -> None:
        """Act as another local office (demo mode); remembered in the settings."""
        chosen = next((o for o in self.local_offices if o.id == office_id), None)
        if chosen is None or chosen == self.office:
            return
        with self.session() as s:
            settings_service.put(s, settings_service.CURRENT_OFFICE, chosen.code)
            s.commit()
        self.office = chosen
        self.office_changed.emit()

    def set_operator(self, name: str) -> None:
        name = " ".join((name or "").split())
        with self.session() as s:
            settings_service.put(s, settings_service.OPERATOR, name)
            s.commit()
        self.operator = name
        self.operator_changed.emit(name)

    def set_account(self, account: operators.Account | None) -> None:
        """The signed-in operator: its name goes on every event, its role decides what it may do
        (the views listening to ``operator_changed`` offer what :meth:`may` allows)."""
        self.account = account
        if account is not None:
            self.operator = account.display_name
        self.operator_changed.emit(self.operator_text())

    def operator_text(self) -> str:
        """The operator as the status bar shows it: “张三（经办人）”, or the free-text name."""
        a = self.account
        return f"{a.display_name}（{a.role_label}）" if a is not None else self.operator

    def may(self, role: str | None) -> bool:
        """May the signed-in operator do work that needs ``role``? The services' own answer
        (operators.allows); without any account in the database everyone may."""
        return operators.allows(self.account, role, enabled=self._accounts_enabled())

    def refusal(self, role: str | None) -> str:
        """'' when :meth:`may`, else the tooltip of the disabled entry (“仅负责人可用”)."""
        return "" if self.may(role) else operators.only_text(role)

    def step_refusal(self, kind: str, status: str, action: str) -> str:
        """:meth:`refusal` for a step of the rules table (its ``Transition.role``)."""
        return self.refusal(operators.step_role(kind, status, action))

    def _accounts_enabled(self) -> bool:
        if self.account is not None or self._with_accounts:
            return True
        with self.session() as s:  # accounts are never deleted: remember a yes
            self._with_accounts = operators.accounts_enabled(s)
        return self._with_accounts

    def reload(self) -> None:
        """Forget cached values (calendar) and tell every view to re-query."""
        self._calendar = None
        self.changed.emit(None)

    # -- queries used by the views -------------------------------------------------------

    def views(self) -> tuple[str, ...]:
        """The work lists the acting office's role calls for, in navigation order."""
        role = self.office.role if self.office else ""
        if role == "approval":
            return (queries.TO_PUSH, queries.DUE_SOON, queries.OVERDUE, queries.ALL)
        if role == "competent":
            return (queries.TO_SIGN, queries.DUE_SOON, queries.OVERDUE, queries.ALL)
        return (queries.ALL,)

    def fetch_rows(self, view: str, text: str, sort: str, descending: bool,
                   offset: int, limit: int) -> list[queries.ResultRow]:
        """One page of a view as plain rows (runs in a worker thread; its own session)."""
        info = self.office  # read once: the GUI thread may switch offices meanwhile
        if info is None:
            return []
        with self.session() as s:
            return queries.list_results(
                s, self.acting_office(s, info), self.calendar, view=view, text=text, sort=sort,
                descending=descending, offset=offset, limit=limit,
            )

    def count_rows(self, view: str, text: str) -> int:
        """How many rows a view has (runs in a worker thread; its own session)."""
        info = self.office
        if info is None:
            return 0
        with self.session() as s:
            return queries.count_results(s, self.acting_office(s, info), self.calendar,
                                         view=view, text=text)

    def work_counts(self) -> queries.WorkCounts:
        if self.office is None:
            return queries.WorkCounts(0, 0, 0, 0)
        with self.session() as s:
            return queries.work_counts(s, self.acting_office(s), self.calendar)

    def due_state(self, row: queries.ResultRow) -> str | None:
        return queries.row_due_state(row, self.calendar)

    def detail(self, result_id: uuid.UUID):
        from app.services.detail import result_detail

        with self.session() as s:
            return result_detail(s, result_id, self.calendar)
