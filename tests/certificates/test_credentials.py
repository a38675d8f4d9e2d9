"""The signed Open Badges 3.0 credential, the published keys and offline checking."""

import base64
import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from certificates import credentials, dataintegrity, services
from certificates.models import Certificate, CredentialKey

from . import factories

# The W3C "Data Integrity EdDSA Cryptosuites v1.0" example for eddsa-jcs-2022
# (https://www.w3.org/TR/vc-di-eddsa/#test-vectors): key pair, document, expected proof.
W3C_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_DOCUMENT = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:abcdefgh",
        "alumniOf": "The School of Examples",
    },
}
W3C_PROOF_VALUE = (
    "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHX"
    "QzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
)


def test_signing_reproduces_the_w3c_eddsa_jcs_2022_test_vector():
    seed = dataintegrity.b58decode(W3C_SECRET[1:])[2:]  # drop the 0x8026 multicodec
    key = Ed25519PrivateKey.from_private_bytes(seed)
    assert dataintegrity.public_key_multibase(key.public_key()) == W3C_PUBLIC
    method = f"did:key:{W3C_PUBLIC}#{W3C_PUBLIC}"
    signed = dataintegrity.sign(
        W3C_DOCUMENT, key, verification_method=method, created="2023-02-24T23:36:38Z"
    )
    assert signed["proof"]["proofValue"] == W3C_PROOF_VALUE
    public = dataintegrity.public_key_from_multibase(W3C_PUBLIC)
    assert dataintegrity.verify(signed, lambda m: public if m == method else None).ok


def test_base58_round_trips_including_leading_zero_bytes():
    for data in (b"", b"\0", b"\0\0\1", bytes(range(40)), b"\xff" * 33):
        assert dataintegrity.b58decode(dataintegrity.b58encode(data)) == data


@pytest.mark.parametrize("fmt", ["pem", "base64"])
def test_credential_keygen_prints_a_key_the_settings_accept(fmt):
    out, err = io.StringIO(), io.StringIO()
    call_command("credential_keygen", format=fmt, stdout=out, stderr=err)
    key = dataintegrity.load_private_key(out.getvalue())
    assert dataintegrity.key_id(key.public_key()) in err.getvalue()
    assert "PRIVATE" not in err.getvalue()


class CredentialTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        office = factories.OfficeFactory(code="51.03", name="KPU Kabupaten Badung")
        cls.learner = factories.UserFactory(full_name="Ni Luh Putu Sari", office=office)
        cls.course = factories.course(
            title="Dasar-Dasar KIP", certificate_validity_months=12
        )

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
        self.certificate = Certificate.objects.select_related("office").get(
            completion=completion
        )

    def keys(self):
        published = {
            credentials.key_url(k.key_id): k.public_key_multibase
            for k in CredentialKey.objects.all()
        }
        return lambda method: (
            dataintegrity.public_key_from_multibase(published[method])
            if method in published
            else None
        )

    def test_the_credential_is_an_open_badge_with_the_required_members(self):
        document = credentials.signed_credential(self.certificate)
        assert document["@context"] == [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ]
        assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert document["id"] == f"urn:uuid:{self.certificate.credential_id}"
        assert document["issuer"]["id"] == "http://testserver/sertifikat/issuer.json"
        assert document["validFrom"].endswith("Z")
        assert document["validUntil"].startswith(str(self.certificate.valid_until.year))
        subject = document["credentialSubject"]
        assert subject["type"] == ["AchievementSubject"]
        assert subject["identifier"][0]["identityHash"] == "Ni Luh Putu Sari"
        assert subject["achievement"]["name"] == "Dasar-Dasar KIP"
        assert subject["achievement"]["creator"]["name"] == "KPU Kabupaten Badung"
        assert document["credentialStatus"] == {
            "id": "http://testserver/sertifikat/revocations.json",
            "type": "1EdTechRevocationList",
        }
        assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
        assert document["proof"]["verificationMethod"].startswith(
            "http://testserver/sertifikat/keys/ed25519-"
        )

    def test_the_signature_verifies_and_fails_after_any_changed_byte(self):
        document = credentials.signed_credential(self.certificate)
        assert dataintegrity.verify(document, self.keys()).ok
        canonical = dataintegrity.jcs(document)
        for position in range(len(canonical)):
            tampered = bytearray(canonical)
            tampered[position] ^= 0x01
            try:
                parsed = json.loads(bytes(tampered).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue  # not even JSON any more
            assert not (
                isinstance(parsed, dict)
                and dataintegrity.verify(parsed, self.keys()).ok
            ), f"byte {position} changed and still verifies"

    def test_signing_is_deterministic(self):
        assert credentials.signed_credential(
            self.certificate
        ) == credentials.signed_credential(
            Certificate.objects.select_related("office").get(pk=self.certificate.pk)
        )

    def test_the_issuer_profile_and_key_are_published(self):
        credentials.signed_credential(self.certificate)
        key = CredentialKey.objects.get()
        profile = self.client.get("/sertifikat/issuer.json").json()
        assert profile["type"] == ["Profile"]
        assert profile["assertionMethod"] == [credentials.key_url(key.key_id)]
        multikey = self.client.get(f"/sertifikat/keys/{key.key_id}.json").json()
        assert multikey == {
            "@context": ["https://w3id.org/security/multikey/v1"],
            "id": credentials.key_url(key.key_id),
            "type": "Multikey",
            "controller": "http://testserver/sertifikat/issuer.json",
            "publicKeyMultibase": key.public_key_multibase,
        }
        assert (
            self.client.get("/sertifikat/keys/ed25519-unknown.json").status_code == 404
        )

    def test_after_a_rotation_old_credentials_still_verify_with_the_old_public_key(
        self,
    ):
        old = credentials.signed_credential(self.certificate)
        new_key = base64.b64encode(bytes(range(32))).decode()
        with override_settings(LMS_CREDENTIAL_PRIVATE_KEY=new_key):
            new = credentials.signed_credential(self.certificate)
            assert CredentialKey.objects.count() == 2
            assert dataintegrity.verify(old, self.keys()).ok
            assert dataintegrity.verify(new, self.keys()).ok
            assert (
                old["proof"]["verificationMethod"] != new["proof"]["verificationMethod"]
            )

    def test_the_revocation_list_names_ids_and_dates_only(self):
        admin = factories.UserFactory(is_superuser=True)
        services.certificate_revoke(
            certificate=self.certificate, by=admin, reason="Rahasia", now=timezone.now()
        )
        body = self.client.get("/sertifikat/revocations.json").content.decode()
        listed = json.loads(body)["revokedCredentials"]
        assert [e["id"] for e in listed] == [
            f"urn:uuid:{self.certificate.credential_id}"
        ]
        assert "Rahasia" not in body and "Ni Luh" not in body


class VerifyCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        office = factories.OfficeFactory()
        cls.learner = factories.UserFactory(office=office)
        cls.course = factories.course(certificate_validity_months=12)

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
        self.certificate = Certificate.objects.select_related("office").get(
            completion=completion
        )

    def run_command(self, tmp, document, *args):
        path = tmp / "credential.json"
        path.write_text(
            json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        out = io.StringIO()
        try:
            call_command("verify_credential", str(path), *args, stdout=out)
            status = 0
        except SystemExit as exc:
            status = exc.code
        return status, out.getvalue()

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = tmp_path

    def test_a_genuine_credential_is_valid(self):
        status, out = self.run_command(
            self.tmp, credentials.signed_credential(self.certificate)
        )
        assert status == 0, out
        assert out.strip().endswith("VALID")

    def test_a_tampered_credential_is_not_valid(self):
        document = credentials.signed_credential(self.certificate)
        document["credentialSubject"]["identifier"][0]["identityHash"] = "Orang Lain"
        status, out = self.run_command(self.tmp, document)
        assert status == 1
        assert "the signature does not match" in out

    def test_an_expired_credential_is_not_valid(self):
        document = credentials.signed_credential(self.certificate)
        status, out = self.run_command(
            self.tmp, document, "--at", "2099-01-01T00:00:00Z"
        )
        assert status == 1 and "expired" in out

    def test_revocation_is_read_from_the_database_or_from_a_list_file(self):
        document = credentials.signed_credential(self.certificate)
        revocations = self.client.get("/sertifikat/revocations.json").content
        key = CredentialKey.objects.get()
        key_file = self.tmp / "key.json"
        key_file.write_bytes(
            self.client.get(f"/sertifikat/keys/{key.key_id}.json").content
        )
        empty_list = self.tmp / "before.json"
        empty_list.write_bytes(revocations)
        admin = factories.UserFactory(is_superuser=True)
        services.certificate_revoke(
            certificate=self.certificate, by=admin, reason="x", now=timezone.now()
        )
        status, out = self.run_command(self.tmp, document)
        assert status == 1 and "revocation (database): revoked" in out
        # Offline with the files as downloaded before the revocation: still valid.
        status, out = self.run_command(
            self.tmp, document, "--key", str(key_file), "--revocations", str(empty_list)
        )
        assert status == 0, out
        assert "signature (key files): valid" in out
        revoked_list = self.tmp / "after.json"
        revoked_list.write_bytes(
            self.client.get("/sertifikat/revocations.json").content
        )
        status, out = self.run_command(
            self.tmp,
            document,
            "--key",
            str(key_file),
            "--revocations",
            str(revoked_list),
        )
        assert status == 1 and "revocation (file): revoked" in out
