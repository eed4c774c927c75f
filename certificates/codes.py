"""Verification codes: random, unguessable, and easy to read aloud or type from paper."""

from __future__ import annotations

import math
import secrets

#: Digits and capital letters without the ones people confuse (0/O, 1/I/L, U/V): 30 characters.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
#: Bits of randomness in a code: 12 characters of 30 give about 58.9.
ENTROPY_BITS = LENGTH * math.log2(len(ALPHABET))


def new_code() -> str:
    """A fresh verification code, drawn with :mod:`secrets`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(text: str) -> str:
    """A code as typed (any case, spaces or dashes between groups) in its stored form; may match nothing."""
    return "".join(text.split()).replace("-", "").upper()[: LENGTH * 2]
