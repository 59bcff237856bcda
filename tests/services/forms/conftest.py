from __future__ import annotations

from datetime import date

import pytest

from app.services import results
from tests.conftest import a_result_input

RARE = "䶮𠮷科技有限公司"  # 䶮 U+4DAE (Extension A), 𠮷 U+20BB7 (Extension B)
EXT_B_ONLY = "\U0002A6D6"  # 𪛖: only the HanaMinB subset has it
CONTACT = "李" + EXT_B_ONLY


@pytest.fixture
def pushed(session, city, frozen):
    """A result for an applicant with Extension A/B characters, pushed by fax. Committed."""
    data = a_result_input(applicant_name=RARE, contact_name=CONTACT)
    r = results.record(session, data, office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳", channel="fax",
                 agreed_due=date(2026, 11, 27))
    session.commit()
    return r
