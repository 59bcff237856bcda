"""Errors the user is meant to read. Messages are Simplified Chinese and say what to do."""

from __future__ import annotations


class ShenGuanError(Exception):
    """Base of every error shown to the user as one clear line (never a traceback)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(ShenGuanError):
    """Bad input for one field; ``field`` names it so a dialog can focus it."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFoundError(ShenGuanError):
    """A record, office or item named by the user does not exist."""


class WorkflowError(ShenGuanError):
    """An action is not allowed in the record's current state or for this office."""


class FileFormatError(ShenGuanError):
    """A file from outside (calendar, bundle, spreadsheet) was refused; nothing was written."""


class ConflictError(WorkflowError):
    """Another desk took this step (or another one) first: the message names who and when, and
    the window shows the record's new state."""


class DatabaseBusyError(ShenGuanError):
    """The database did not grant a lock within the timeout (another desk is writing)."""
