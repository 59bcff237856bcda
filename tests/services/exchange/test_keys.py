"""Office keys: generation, fingerprints, the self-signed registration file."""

from __future__ import annotations

import json

import pytest

from app.services.errors import FileFormatError, ValidationError
from app.services.exchange import keys
from tests.services.exchange.conftest import BUREAU, make_home, registration


def test_generate_once_and_fingerprint_is_ten_hex_groups(tmp_path, frozen):
    home = make_home(tmp_path, "ap", BUREAU)
    with home.session() as s:
        office = home.office(s)
        key, created = keys.generate(s, office)
        assert not created  # make_home generated it already
        groups = key.fingerprint.split(" ")
        assert len(groups) == 10 and all(len(g) == 4 for g in groups)
        assert key.fingerprint == keys.fingerprint(office.code, key.sign_public, key.encrypt_public)
        assert keys.normalize_fingerprint(key.fingerprint.replace(" ", "").lower()) == key.fingerprint
    home.db.engine.dispose()


def test_registration_has_public_keys_only_and_reads_back(tmp_path, frozen):
    home = make_home(tmp_path, "ap", BUREAU)
    data = registration(home)
    with home.session() as s:
        key = keys.require_key(s, home.office(s))
        private = [key.sign_private, key.encrypt_private]
    text = data.decode()
    for secret in private:
        assert keys.b64(secret) not in text and secret.hex() not in text
    reg = keys.read_registration(data)
    assert (reg.code, reg.role, reg.fingerprint) == ("YK-SPJ", "approval", key.fingerprint)
    home.db.engine.dispose()


def test_tampered_registration_is_refused(tmp_path, frozen):
    home = make_home(tmp_path, "ap", BUREAU)
    doc = json.loads(registration(home))
    doc["body"]["office"]["name"] = "冒名单位"
    with pytest.raises(FileFormatError, match="签名无效"):
        keys.read_registration(json.dumps(doc, ensure_ascii=False).encode())
    doc = json.loads(registration(home))
    doc["body"]["fingerprint"] = "0000 " * 9 + "0000"
    with pytest.raises(FileFormatError, match="指纹与公钥不符"):
        keys.read_registration(json.dumps(doc).encode())
    home.db.engine.dispose()


@pytest.mark.parametrize("text", ["", "ABCD", "G" * 40, "0" * 41])
def test_bad_fingerprint_text(text):
    with pytest.raises(ValidationError, match="40 位十六进制"):
        keys.normalize_fingerprint(text)
