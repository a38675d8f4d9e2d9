"""Open Badges 3.0 credentials for certificates, signed with the platform's key.

The private key comes from `LMS_CREDENTIAL_PRIVATE_KEY` (PEM or base64 seed; see
docs/certificates.md). Without it, a development key is derived from SECRET_KEY,
which is only acceptable where SECRET_KEY itself is not secret-critical; the
deploy check `certificates.E001` fails production when the variable is missing.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import uuid
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import dataintegrity
from .models import Certificate, CredentialKey

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
PLATFORM_NAME = "Akademi PPID — Komisi Pemilihan Umum"


def _base() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(path: str) -> str:
    return _base() + path


def key_from_settings() -> tuple[str, bool]:
    """(the configured key text, whether it was configured at all)."""
    configured = getattr(settings, "LMS_CREDENTIAL_PRIVATE_KEY", "") or ""
    return configured, bool(configured.strip())


@lru_cache(maxsize=4)
def _private_key(configured: str, secret_key: str):
    if configured.strip():
        return dataintegrity.load_private_key(configured)
    # Development fallback: a key derived from SECRET_KEY, stable across restarts.
    seed = hashlib.sha256(
        b"akademi-ppid dev credential key\0" + secret_key.encode()
    ).digest()
    return dataintegrity.load_private_key(base64.b64encode(seed).decode())


def signing_key():
    configured, _ = key_from_settings()
    return _private_key(configured, settings.SECRET_KEY)


def current_key_id() -> str:
    return dataintegrity.key_id(signing_key().public_key())


def key_url(key_id: str) -> str:
    return absolute(reverse("certificates:credential_key", args=[key_id]))


def issuer_url() -> str:
    return absolute(reverse("certificates:issuer"))


def revocation_list_url() -> str:
    return absolute(reverse("certificates:revocations"))


def publish_current_key() -> CredentialKey:
    """Record the current public key so it stays published after a rotation."""
    public = signing_key().public_key()
    key, _ = CredentialKey.objects.get_or_create(
        key_id=dataintegrity.key_id(public),
        defaults={"public_key_multibase": dataintegrity.public_key_multibase(public)},
    )
    return key


def multikey_document(key: CredentialKey) -> dict:
    return {
        "@context": [MULTIKEY_CONTEXT],
        "id": key_url(key.key_id),
        "type": "Multikey",
        "controller": issuer_url(),
        "publicKeyMultibase": key.public_key_multibase,
    }


def issuer_profile() -> dict:
    """The issuer Profile, which also lists every key that may sign for it."""
    publish_current_key()
    keys = list(CredentialKey.objects.all())
    return {
        "@context": [*OB_CONTEXT, MULTIKEY_CONTEXT],
        "id": issuer_url(),
        "type": ["Profile"],
        "name": PLATFORM_NAME,
        "url": _base() + "/",
        "description": "Pelatihan dan sertifikasi PPID di lingkungan KPU.",
        "verificationMethod": [multikey_document(k) for k in keys],
        "assertionMethod": [key_url(k.key_id) for k in keys],
    }


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(23, 59, 59))
    )


def credential_document(certificate: Certificate) -> dict:
    """The unsigned OpenBadgeCredential, built from the stored record only."""
    base = _base()
    achievement_id = "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/course/{certificate.course_id}")
    )
    description = (
        f"Pelatihan {certificate.course_title} ({certificate.hours} jam pelajaran) "
        f"di Akademi PPID, diterbitkan oleh {certificate.office_name}."
    )
    document = {
        "@context": OB_CONTEXT,
        "id": f"urn:uuid:{certificate.credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Sertifikat {certificate.course_title}",
        "description": f"Sertifikat nomor {certificate.number}.",
        "issuer": {
            "id": issuer_url(),
            "type": ["Profile"],
            "name": PLATFORM_NAME,
        },
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.course_title,
                "description": description,
                "criteria": {
                    "narrative": "Menyelesaikan seluruh persyaratan pelatihan "
                    "(pelajaran dan evaluasi) di Akademi PPID."
                },
                "creator": {
                    "id": f"{issuer_url()}#office-{certificate.office.code}",
                    "type": ["Profile"],
                    "name": certificate.office_name,
                },
            },
        },
        "credentialStatus": {
            "id": revocation_list_url(),
            "type": "1EdTechRevocationList",
        },
        "evidence": [
            {
                "id": certificate.verification_url(),
                "type": ["Evidence"],
                "name": f"Halaman verifikasi sertifikat {certificate.number}",
            }
        ],
    }
    if certificate.valid_until:
        document["validUntil"] = _iso(_end_of_day(certificate.valid_until))
    return document


def signed_credential(certificate: Certificate) -> dict:
    key = publish_current_key()
    return dataintegrity.sign(
        credential_document(certificate),
        signing_key(),
        verification_method=key_url(key.key_id),
        created=_iso(certificate.issued_at),
    )


def revocation_list(revoked) -> dict:
    """The 1EdTech revocation list: ids and dates only, never names or reasons."""
    return {
        "id": revocation_list_url(),
        "issuer": issuer_url(),
        "revokedCredentials": [
            {
                "id": f"urn:uuid:{c.credential_id}",
                "revocationDate": _iso(c.revoked_at),
            }
            for c in revoked
        ],
    }
