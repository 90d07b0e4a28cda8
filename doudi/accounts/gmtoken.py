"""Hardware one-time-password tokens under GM/T 0021-2012 (动态口令密码应用技术规范), SM3 variant, time-based.

The token and the server share a seed key K (at least 128 bits; the vendor delivers it with the token's serial).
For the time factor T = ⌊UTC seconds ÷ step⌋ (8 bytes, big-endian), an optional event counter C (4 bytes) and an
optional challenge Q:

    ID = T ‖ C ‖ Q, padded with zero bytes to at least 128 bits
    S  = SM3(K ‖ ID)                                    (256 bits)
    OD = (S₁ + S₂ + … + S₈) mod 2³²                     (S cut into eight big-endian 32-bit words)
    P  = OD mod 10ᴺ, written with N digits (N ≥ 6)

This is the construction as the standard describes it; before a bureau relies on a vendor's tokens, check the
vendor's test vectors with ``doudi otp token-check`` (the first code a bound token shows is checked anyway: a
token whose codes this function does not reproduce cannot be bound).
"""

from __future__ import annotations

import hmac
import struct
import time

from cryptography.hazmat.primitives import hashes

MIN_SEED_BYTES = 16
MAX_SEED_BYTES = 64


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def sm3_otp(seed: bytes, t: int, *, counter: int | None = None, challenge: bytes = b"", digits: int = 6) -> str:
    """The one-time password of ``seed`` for time factor ``t`` (and counter, challenge if the token uses them)."""
    ident = struct.pack(">Q", t) + (b"" if counter is None else struct.pack(">I", counter)) + challenge
    ident = ident.ljust(16, b"\0")
    s = sm3(seed + ident)
    od = sum(struct.unpack(">8I", s)) % 2**32
    return str(od % 10**digits).zfill(digits)


def time_factor(step: int, at: float | None = None) -> int:
    return int((time.time() if at is None else at) // step)


def matching_step(seed: bytes, token: str, *, step: int, digits: int, around: int, tolerance: int) -> int | None:
    """The time factor within ``around`` ± ``tolerance`` whose code is ``token`` (nearest first), or None."""
    for offset in sorted(range(-tolerance, tolerance + 1), key=abs):
        if hmac.compare_digest(sm3_otp(seed, around + offset, digits=digits), token):
            return around + offset
    return None
