"""The jump host's admin key: a valid Ed25519 public key whose private key nobody has, stable per seed."""

from __future__ import annotations

import base64

from aifactory.plan import ssh
from aifactory.plan.ssh import unusable_ssh_public_key

# RFC 8032 constants, computed here independently of the module under test.
P = 2**255 - 19
D = -121665 * pow(121666, P - 2, P) % P


def test_the_key_is_stable_per_seed_and_differs_between_seeds() -> None:
    key = unusable_ssh_public_key("seed-a")
    assert key == unusable_ssh_public_key("seed-a")
    assert key != unusable_ssh_public_key("seed-b")


def test_the_key_is_an_ssh_ed25519_key_on_the_curve() -> None:
    kind, blob, comment = unusable_ssh_public_key("seed-a").split(" ")
    assert (kind, comment) == ("ssh-ed25519", "aifactory-no-local-login")
    raw = base64.b64decode(blob)
    assert raw[:4] == (11).to_bytes(4, "big") and raw[4:15] == b"ssh-ed25519"
    assert raw[15:19] == (32).to_bytes(4, "big") and len(raw) == 19 + 32
    point = raw[19:]
    y = int.from_bytes(point, "little") & ((1 << 255) - 1)
    x = ssh._ed25519_x(y, point[31] >> 7)
    assert x is not None
    assert (-x * x + y * y - 1 - D * x * x * y * y) % P == 0  # on the Ed25519 curve
    assert x & 1 == point[31] >> 7  # the encoded sign bit


def test_a_y_without_a_curve_point_is_rejected() -> None:
    """Half of all y values have no x on the curve; the search must skip them, not emit a bogus key."""
    rejected = [y for y in range(2, 40) if ssh._ed25519_x(y, 0) is None]
    accepted = [y for y in range(2, 40) if ssh._ed25519_x(y, 0) is not None]
    assert rejected and accepted
    for y in rejected:
        x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
        assert pow(x2, (P - 1) // 2, P) == P - 1  # Euler's criterion: x^2 has no square root
