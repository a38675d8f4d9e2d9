"""Ed25519 Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite.

No Django: used by the web app to sign and by `manage.py verify_credential` to
check a credential offline. The algorithm is the W3C "Data Integrity EdDSA
Cryptosuites v1.0" one, JCS variant:

1. proof options = the proof without `proofValue`, plus the document's `@context`;
2. hash data = SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document without proof));
3. proofValue = "z" + base58btc(Ed25519 signature over the hash data).

JCS is RFC 8785 (the `rfc8785` package, pure Python). Keys are published as
Multikey: publicKeyMultibase = "z" + base58btc(0xED 0x01 ‖ 32-byte public key).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

CRYPTOSUITE = "eddsa-jcs-2022"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB = b"\xed\x01"


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_B58[rem])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = _B58.find(char)
        if index < 0:
            raise ValueError(f"not base58: {char!r}")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def jcs(value) -> bytes:
    return rfc8785.dumps(value)


def public_key_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(key: Ed25519PublicKey) -> str:
    return "z" + b58encode(_ED25519_PUB + public_key_raw(key))


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    if not text.startswith("z"):
        raise ValueError("publicKeyMultibase must be base58btc ('z…')")
    raw = b58decode(text[1:])
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def key_id(key: Ed25519PublicKey) -> str:
    """A short stable name for a public key, used in its URL."""
    return "ed25519-" + hashlib.sha256(public_key_raw(key)).hexdigest()[:16]


def load_private_key(text: str) -> Ed25519PrivateKey:
    """PEM (PKCS#8), or base64 of the 32-byte seed."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the PEM key is not an Ed25519 key")
        return key
    seed = base64.b64decode(text, validate=True)
    if len(seed) != 32:
        raise ValueError("a base64 Ed25519 key must decode to 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


def private_key_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _hash_data(document: dict, proof_options: dict) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof_options.items() if k != "proofValue"}
    if "@context" in unsecured:
        options["@context"] = unsecured["@context"]
    return (
        hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(unsecured)).digest()
    )


def sign(
    document: dict,
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
) -> dict:
    """A copy of `document` with a DataIntegrityProof. Ed25519 is deterministic,
    so the same document, key and `created` always give the same proof."""
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = key.sign(_hash_data(document, proof))
    return {**document, "proof": {**proof, "proofValue": "z" + b58encode(signature)}}


@dataclass(frozen=True)
class ProofCheck:
    ok: bool
    verification_method: str = ""
    problem: str = ""


def verify(document: dict, public_key_for) -> ProofCheck:
    """Check the proof; `public_key_for(verification_method)` gives the key or None."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return ProofCheck(False, problem="no proof (or more than one)")
    method = proof.get("verificationMethod", "")
    if (
        proof.get("type") != "DataIntegrityProof"
        or proof.get("cryptosuite") != CRYPTOSUITE
    ):
        return ProofCheck(False, method, f"not a {CRYPTOSUITE} DataIntegrityProof")
    value = proof.get("proofValue", "")
    if not isinstance(value, str) or not value.startswith("z"):
        return ProofCheck(False, method, "proofValue is not base58btc multibase")
    key = public_key_for(method)
    if key is None:
        return ProofCheck(False, method, "unknown verification method")
    try:
        signature = b58decode(value[1:])
        key.verify(signature, _hash_data(document, proof))
    except (InvalidSignature, ValueError):
        return ProofCheck(False, method, "the signature does not match")
    return ProofCheck(True, method)
