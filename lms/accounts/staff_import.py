"""Checking staff rows against the database: what each row would do, and why not.

`check_rows` is run for the preview and again when the import is confirmed, so
the outcome always reflects the database at that moment. Problems are stored as a
code and parameters and turned into text when shown, in the reader's language.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from lms.offices.models import Office
from lms.offices.permissions import offices_visible_to, user_is_admin

from .models import User
from .validators import normalise_nip, validate_nip

MAX_NAME_LENGTH = User._meta.get_field("full_name").max_length


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"


def _messages() -> dict:
    return {
        "name_missing": _("Name is missing."),
        "name_too_long": _("Name is longer than %(max)s characters."),
        "email_missing": _("E-mail is missing."),
        "email_invalid": _("“%(value)s” is not a valid e-mail address."),
        "nip_invalid": _("NIP “%(value)s” is not 18 digits."),
        "employment_type_missing": _("Employment type is missing."),
        "employment_type_unknown": _(
            "Unknown employment type “%(value)s” (use PNS, PPPK, PPNPN, magang or PKL)."
        ),
        "office_code_missing": _("Office code is missing."),
        "office_unknown": _("Unknown office code “%(code)s”."),
        "office_merged": _(
            "Office %(code)s was merged into %(successor)s; use code %(successor)s."
        ),
        "office_closed": _("Office %(code)s is closed."),
        "office_out_of_scope": _(
            "Office %(code)s (%(name)s) is outside the offices you coordinate."
        ),
        "duplicate_email": _("Same e-mail as row %(line)s."),
        "duplicate_nip": _("Same NIP as row %(line)s."),
        "email_other_office": _(
            "This e-mail is already registered at an office you do not coordinate."
        ),
        "nip_taken": _("This NIP is already registered to another account."),
    }


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _messages()[self.code] % self.params

    def as_json(self) -> dict:
        return {"code": self.code, "params": self.params}

    @classmethod
    def from_json(cls, data: dict) -> "Problem":
        return cls(code=data["code"], params=data.get("params", {}))


@dataclass
class RowCheck:
    line: int
    raw: dict
    name: str = ""
    email: str = ""
    nip: str = ""
    employment_type: str = ""
    office: Office | None = None
    user: User | None = None
    changes: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.problems:
            return Action.SKIP
        if self.user is None:
            return Action.CREATE
        return Action.UPDATE if self.changes else Action.UNCHANGED

    @property
    def employment_type_label(self) -> str:
        if not self.employment_type:
            return self.raw.get("employment_type", "")
        return User.EmploymentType(self.employment_type).label


def _employment_types() -> dict[str, str]:
    lookup = {}
    for value, label in User.EmploymentType.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    return lookup


def _clean_name(value: str) -> str:
    return " ".join(value.split())


def check_rows(*, rows: list[dict], actor) -> list[RowCheck]:
    """What each row would do for `actor`, with every problem named.

    A fixed number of queries whatever the file's length: offices, and the
    accounts the file's e-mails and NIPs already belong to.
    """
    offices = {o.code: o for o in Office.objects.all()}
    by_pk = {o.pk: o for o in offices.values()}
    in_scope = set(offices_visible_to(actor).values_list("pk", flat=True))
    types = _employment_types()
    checks: list[RowCheck] = []
    for raw in rows:
        check = RowCheck(line=raw["line"], raw=raw)
        check.name = _clean_name(raw.get("name", ""))
        check.email = raw.get("email", "").strip().lower()
        check.nip = normalise_nip(raw.get("nip", ""))
        problems = check.problems
        if not check.name:
            problems.append(Problem("name_missing"))
        elif len(check.name) > MAX_NAME_LENGTH:
            problems.append(Problem("name_too_long", {"max": MAX_NAME_LENGTH}))
        if not check.email:
            problems.append(Problem("email_missing"))
        else:
            try:
                validate_email(check.email)
            except ValidationError:
                problems.append(Problem("email_invalid", {"value": raw["email"]}))
        if check.nip:
            try:
                validate_nip(check.nip)
            except ValidationError:
                problems.append(Problem("nip_invalid", {"value": raw["nip"]}))
        employment = raw.get("employment_type", "").strip()
        if not employment:
            problems.append(Problem("employment_type_missing"))
        elif employment.lower() not in types:
            problems.append(Problem("employment_type_unknown", {"value": employment}))
        else:
            check.employment_type = types[employment.lower()]
        code = raw.get("office_code", "").strip()
        office = offices.get(code)
        if not code:
            problems.append(Problem("office_code_missing"))
        elif office is None:
            problems.append(Problem("office_unknown", {"code": code}))
        elif office.merged_into_id:
            successor = by_pk.get(office.merged_into_id)
            problems.append(
                Problem(
                    "office_merged",
                    {"code": code, "successor": successor.code if successor else "?"},
                )
            )
        elif not office.is_active:
            problems.append(Problem("office_closed", {"code": code}))
        elif office.pk not in in_scope:
            problems.append(
                Problem("office_out_of_scope", {"code": code, "name": office.name})
            )
        else:
            check.office = office
        checks.append(check)

    _mark_duplicates(checks)
    _match_existing_accounts(checks, in_scope, any_account=user_is_admin(actor))
    return checks


def _mark_duplicates(checks: list[RowCheck]) -> None:
    first_email: dict[str, int] = {}
    first_nip: dict[str, int] = {}
    for check in checks:
        if check.email:
            if check.email in first_email:
                check.problems.append(
                    Problem("duplicate_email", {"line": first_email[check.email]})
                )
            else:
                first_email[check.email] = check.line
        if check.nip:
            if check.nip in first_nip:
                check.problems.append(
                    Problem("duplicate_nip", {"line": first_nip[check.nip]})
                )
            else:
                first_nip[check.nip] = check.line


def _match_existing_accounts(
    checks: list[RowCheck], in_scope: set[int], *, any_account: bool
) -> None:
    emails = {c.email for c in checks if c.email}
    nips = {c.nip for c in checks if c.nip}
    by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
    nip_owner = dict(User.objects.filter(nip__in=nips).values_list("nip", "email"))
    for check in checks:
        user = by_email.get(check.email)
        owner = nip_owner.get(check.nip)
        if check.nip and owner is not None and owner != check.email:
            check.problems.append(Problem("nip_taken"))
        if user is None:
            continue
        if user.office_id not in in_scope and not any_account:
            check.problems.append(Problem("email_other_office"))
            continue
        check.user = user
        if check.problems:
            continue
        wanted = {
            "full_name": check.name,
            "employment_type": check.employment_type,
            "office_id": check.office.pk,
        }
        # An empty NIP in the file never erases one already on record.
        if check.nip:
            wanted["nip"] = check.nip
        check.changes = {k: v for k, v in wanted.items() if getattr(user, k) != v}
