"""SQLAlchemy 2 typed models. No Qt here."""

from app.models.audit import AuditEvent, AuditHead
from app.models.base import Base
from app.models.calendar import CalendarOverride, CalendarYear
from app.models.catalogue import CatalogueEntry, CatalogueOpinion, CatalogueVersion
from app.models.cooperation import Circular, Consultation, OversightReport, SupportRequest
from app.models.dispatch import Dispatch, DispatchEvent
from app.models.enforcement import LicenceChange, PenaltyDecision, Referral
from app.models.exchange import (
    BundleRecord,
    ExchangeChannel,
    InboxMessage,
    OfficeKey,
    OutboxMessage,
    RosterKey,
)
from app.models.items import LicensingItem
from app.models.operators import OPERATOR_ROLES, Operator
from app.models.org import ROLES, Jurisdiction, LiaisonOfficer, Office
from app.models.paper import PaperBatch, PaperBatchItem, PaperReceipt
from app.models.pools import Agency, Expert
from app.models.results import ApprovalResult
from app.models.settings import Setting
from app.models.sheets import ImplementationSheet, PolicyChange, PoolLetter, PushSheet, SheetChange

__all__ = [
    "OPERATOR_ROLES",
    "ROLES",
    "Agency",
    "ApprovalResult",
    "AuditEvent",
    "AuditHead",
    "Base",
    "BundleRecord",
    "CalendarOverride",
    "CalendarYear",
    "CatalogueEntry",
    "CatalogueOpinion",
    "CatalogueVersion",
    "Circular",
    "Consultation",
    "Dispatch",
    "DispatchEvent",
    "ExchangeChannel",
    "Expert",
    "ImplementationSheet",
    "InboxMessage",
    "Jurisdiction",
    "LiaisonOfficer",
    "LicenceChange",
    "LicensingItem",
    "Office",
    "OfficeKey",
    "Operator",
    "OutboxMessage",
    "OversightReport",
    "PaperBatch",
    "PaperBatchItem",
    "PaperReceipt",
    "PenaltyDecision",
    "PolicyChange",
    "PoolLetter",
    "PushSheet",
    "Referral",
    "RosterKey",
    "Setting",
    "SheetChange",
    "SupportRequest",
]
