"""SQLAlchemy 2 typed models. No Qt here."""

from app.models.base import Base
from app.models.calendar import CalendarOverride, CalendarYear
from app.models.org import Jurisdiction, LiaisonOfficer, Office

__all__ = [
    "Base",
    "CalendarOverride",
    "CalendarYear",
    "Jurisdiction",
    "LiaisonOfficer",
    "Office",
]
