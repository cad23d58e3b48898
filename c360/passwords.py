"""Dashboard passwords: stored as salted scrypt hashes (standard library: a slow hash made for
passwords), produced by `c360 dashboard-password` and checked by dashboards/auth.py."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    except ValueError:  # not a hash this module wrote
        return False
    return scheme == "scrypt" and hmac.compare_digest(candidate.hex(), digest)


def secrets_entry(user: str, role: str, password: str) -> str:
    """The lines of the Streamlit secrets file that let `user` sign in with `role`."""
    return f'[c360_users.{user}]\npassword = "{hash_password(password)}"\nrole = "{role}"\n'
