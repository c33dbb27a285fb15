"""An SSH public key nobody holds the private key of: the jump host's required, unusable admin key.

Azure requires an admin SSH key on a Linux VM. The jump host gets an Ed25519 curve point hashed
from a seed ("nothing up my sleeve"): computing its private scalar is the elliptic-curve discrete
log problem, so the local admin account cannot be used and Entra ID sign-in is the only way in. The
key is stable for a seed, so the VM is never replaced for it. Pure arithmetic (RFC 8032), no I/O.
"""

from __future__ import annotations

import base64
import hashlib

__all__ = ["unusable_ssh_public_key"]

# Ed25519 (RFC 8032): the field prime and the curve constant d.
_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P


def _ed25519_x(y: int, sign: int) -> int | None:
    """The x coordinate of the curve point with this y and sign, or None when there is none."""
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * pow(2, (_P - 1) // 4, _P) % _P
    if (x * x - x2) % _P:
        return None
    return x if x & 1 == sign else _P - x


def _field(data: bytes) -> bytes:
    """One length-prefixed field of the SSH wire format."""
    return len(data).to_bytes(4, "big") + data


def unusable_ssh_public_key(seed: str) -> str:
    """An ``ssh-ed25519`` public key whose private key nobody has, derived from ``seed``."""
    counter = 0
    while True:
        candidate = hashlib.sha512(f"aifactory/jump-host/{seed}/{counter}".encode()).digest()[:32]
        y = int.from_bytes(candidate, "little") & ((1 << 255) - 1)
        if y < _P and _ed25519_x(y, candidate[31] >> 7) is not None:
            break
        counter += 1
    blob = _field(b"ssh-ed25519") + _field(candidate)
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} aifactory-no-local-login"
