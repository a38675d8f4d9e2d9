"""Signed tokens for the unsubscribe link: no login needed, nothing stored.

The token carries the user id, signed with SECRET_KEY and a salt of its own, so it
cannot be forged nor reused for another purpose. It does not expire: an old digest's
link must still work.
"""

from django.core import signing

SALT = "dashboard.digest-unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=SALT, compress=False)


def user_id_from_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
