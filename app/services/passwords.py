"""Password hashing with a standard KDF (stdlib ``hashlib.scrypt``), for operator accounts.

A stored hash names its algorithm and parameters — ``scrypt$n=16384,r=8,p=1$<salt>$<key>``
(salt and key in hex) — so the parameters can be raised later: :func:`needs_rehash` says when
a stored hash is weaker than :data:`PARAMS`, and sign-in then stores a new one.
Plain text is never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

ALGORITHM = "scrypt"
PARAMS = {"n": 2**14, "r": 8, "p": 1}  # 16 MiB of memory per hash (128·r·n bytes)
SALT_BYTES = 16
KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # surrogatepass: a password from an environment variable with undecodable bytes holds lone
    # surrogates; it is hashed as it was given (the same bytes each time), never an error.
    return hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p,
                          dklen=KEY_BYTES, maxmem=_MAXMEM)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, **PARAMS)
    params = ",".join(f"{k}={v}" for k, v in PARAMS.items())
    return f"{ALGORITHM}${params}${salt.hex()}${key.hex()}"


def _parse(stored: str) -> tuple[dict[str, int], bytes, bytes] | None:
    try:
        algorithm, params, salt, key = stored.split("$")
        if algorithm != ALGORITHM:
            return None
        values = {k: int(v) for k, v in (part.split("=") for part in params.split(","))}
        if set(values) != set(PARAMS):
            return None
        return values, bytes.fromhex(salt), bytes.fromhex(key)
    except (ValueError, AttributeError):
        return None


def verify_password(password: str, stored: str) -> bool:
    """Does ``password`` match ``stored``? Constant-time comparison; a damaged hash never does."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    params, salt, key = parsed
    try:
        candidate = _derive(password, salt, **params)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(candidate, key)


def needs_rehash(stored: str) -> bool:
    parsed = _parse(stored)
    return parsed is None or any(parsed[0][k] < v for k, v in PARAMS.items())


@cache
def _dummy() -> str:
    return hash_password("dummy-password-0")


def burn_time(password: str) -> None:
    """Spend the time of one verification (an unknown user takes as long as a known one)."""
    verify_password(password, _dummy())
