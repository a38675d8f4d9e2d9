"""Check a downloaded credential offline: signature, validity period, revocation."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from certificates import dataintegrity


class Command(BaseCommand):
    help = (
        "Verify an Open Badges 3.0 credential file of Akademi PPID without the "
        "network: the eddsa-jcs-2022 signature, validFrom/validUntil and revocation. "
        "Keys and revocations come from the local database unless --key / "
        "--revocations files (as downloaded from /sertifikat/keys/<id>.json and "
        "/sertifikat/revocations.json) are given. Exit status 0 = valid, 1 = not valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--key",
            type=Path,
            action="append",
            default=[],
            help="A Multikey JSON file (repeatable); replaces the database's keys.",
        )
        parser.add_argument(
            "--revocations",
            type=Path,
            help="A revocation list JSON file; replaces the database's revocations.",
        )
        parser.add_argument(
            "--at", help="Check validity at this ISO date-time instead of now (UTC)."
        )

    def _keys(self, files):
        keys = {}
        for path in files:
            document = json.loads(path.read_text(encoding="utf-8"))
            keys[document["id"]] = document["publicKeyMultibase"]
        if files:
            return keys, "key files"
        from certificates.credentials import key_url, publish_current_key
        from certificates.models import CredentialKey

        publish_current_key()
        return {
            key_url(k.key_id): k.public_key_multibase
            for k in CredentialKey.objects.all()
        }, "database"

    def _revoked(self, path):
        if path:
            document = json.loads(path.read_text(encoding="utf-8"))
            return {
                e["id"]: e.get("revocationDate", "")
                for e in document["revokedCredentials"]
            }, "file"
        from certificates.models import Certificate

        return {
            f"urn:uuid:{c.credential_id}": c.revoked_at.isoformat()
            for c in Certificate.objects.filter(status="revoked").only(
                "credential_id", "revoked_at"
            )
        }, "database"

    def handle(self, *args, file, key, revocations, at, **options):
        try:
            credential = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        if not isinstance(credential, dict):
            raise CommandError("not a credential (a JSON object is expected)")
        now = (
            datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))
            if at
            else datetime.datetime.now(datetime.UTC)
        )
        if now.tzinfo is None:
            now = now.replace(tzinfo=datetime.UTC)
        problems = []
        try:
            keys, key_source = self._keys(key)
            revoked, revocation_source = self._revoked(revocations)
        except DatabaseError as exc:
            raise CommandError(
                f"no database to read keys/revocations from ({exc}); "
                "pass --key and --revocations files"
            ) from exc

        def public_key_for(method):
            value = keys.get(method)
            return dataintegrity.public_key_from_multibase(value) if value else None

        check = dataintegrity.verify(credential, public_key_for)
        self.stdout.write(
            f"signature ({key_source}): {'valid' if check.ok else check.problem}"
        )
        if not check.ok:
            problems.append("signature")

        def when(name):
            value = credential.get(name)
            return (
                datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
                if value
                else None
            )

        try:
            valid_from, valid_until = when("validFrom"), when("validUntil")
        except (TypeError, ValueError):
            valid_from = valid_until = None
            problems.append("dates")
        if valid_from and now < valid_from:
            problems.append("not yet valid")
            self.stdout.write(f"validity: not valid before {credential['validFrom']}")
        elif valid_until and now > valid_until:
            problems.append("expired")
            self.stdout.write(f"validity: expired on {credential['validUntil']}")
        else:
            self.stdout.write("validity: within its period")
        credential_id = credential.get("id", "")
        if credential_id in revoked:
            problems.append("revoked")
            self.stdout.write(
                f"revocation ({revocation_source}): revoked on {revoked[credential_id]}"
            )
        else:
            self.stdout.write(f"revocation ({revocation_source}): not revoked")

        if problems:
            self.stdout.write(f"NOT VALID: {', '.join(problems)}")
            raise SystemExit(1)
        self.stdout.write("VALID")
