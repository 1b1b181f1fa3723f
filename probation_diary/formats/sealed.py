"""Sealed files: full-diary exports encrypted with the diary's passphrase, so that a copy of
the whole diary on a USB stick or in an email is as safe as the diary file itself.

Format: MAGIC, a 16-byte scrypt salt, a 12-byte nonce, then AES-256-GCM ciphertext (which
also authenticates the content: a wrong passphrase or a damaged file is detected, never
half-read).
"""

from __future__ import annotations

import os

MAGIC = b"PROBATION-DIARY-SEALED-1\n"


class SealError(ValueError):
    pass


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


def seal(data: bytes, passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    return MAGIC + salt + nonce + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, MAGIC)


class Sealer:
    """seal() as a stream, for exports of any size: write() plaintext in pieces, then
    finish(). The file is byte for byte what seal() makes of the whole plaintext (AES-GCM's
    ciphertext is the same length as its plaintext, with the 16-byte tag at the end)."""

    def __init__(self, fh, passphrase: str):
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        salt, nonce = os.urandom(16), os.urandom(12)
        self._fh = fh
        self._encryptor = Cipher(algorithms.AES(_key(passphrase, salt)), modes.GCM(nonce)).encryptor()
        self._encryptor.authenticate_additional_data(MAGIC)
        fh.write(MAGIC + salt + nonce)

    def write(self, data: bytes) -> int:
        self._fh.write(self._encryptor.update(data))
        return len(data)

    def finish(self) -> None:
        self._fh.write(self._encryptor.finalize() + self._encryptor.tag)


def unseal(blob: bytes, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not is_sealed(blob):
        raise SealError("this is not an encrypted Probation Diary export")
    body = blob[len(MAGIC):]
    if len(body) < 16 + 12 + 16:
        raise SealError("the encrypted export is cut short (damaged)")
    salt, nonce, ciphertext = body[:16], body[16:28], body[28:]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, ciphertext, MAGIC)
    except InvalidTag:
        raise SealError("wrong passphrase for this export, or the file is damaged")
