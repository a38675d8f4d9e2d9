"""Print a new Ed25519 private key for LMS_CREDENTIAL_PRIVATE_KEY."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand

from certificates import dataintegrity


class Command(BaseCommand):
    help = (
        "Generate an Ed25519 key for signing credentials. The private key goes to "
        "standard output only; put it in the environment as LMS_CREDENTIAL_PRIVATE_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["base64", "pem"],
            default="base64",
            help="base64 of the 32-byte seed, one line (default, easy in .env files), "
            "or PEM (PKCS#8).",
        )

    def handle(self, *args, format, **options):
        import base64

        from cryptography.hazmat.primitives import serialization

        key = Ed25519PrivateKey.generate()
        public = key.public_key()
        if format == "pem":
            secret = dataintegrity.private_key_pem(key)
        else:
            seed = key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
            secret = base64.b64encode(seed).decode() + "\n"
        self.stdout.write(secret, ending="")
        self.stderr.write(
            f"key id: {dataintegrity.key_id(public)}\n"
            f"publicKeyMultibase: {dataintegrity.public_key_multibase(public)}\n"
            "Keep the private key secret; the public key is published automatically "
            "at /sertifikat/keys/<key id>.json once the key signs its first credential."
        )
