"""Forms: allauth sign-up additions, the profile, deleting one's account, the staff
import upload and the Wagtail user admin."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from lms.offices.models import CoordinatorScope, Office
from lms.uploads import (
    check_extension,
    check_size,
    head_of,
    refuse_binary,
    size_text,
    sniff,
)

from .adapter import email_domain_allowed, signup_domain_error
from .models import User
from .staff_csv import StaffCsvError, parse_staff_csv
from .validators import normalise_nip, validate_nip


class SignupForm(forms.Form):
    """Fields allauth's sign-up form gains (ACCOUNT_SIGNUP_FORM_CLASS).

    allauth builds its SignupForm on top of this class, so its own clean_email
    wins over one defined here: the domain rule lives in clean(), which allauth
    calls through super(). The rule does not depend on whether the address is
    registered, so it reveals nothing about existing accounts.
    """

    field_order = [
        "full_name",
        "email",
        "nip",
        "employment_type",
        "office",
        "password1",
        "password2",
    ]

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=160,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.active().order_by("code")
    )
    employment_type = forms.ChoiceField(
        label=_("Employment type"), choices=User.EmploymentType.choices
    )
    nip = forms.CharField(
        label=_("NIP (optional)"),
        required=False,
        help_text=_("18 digits; leave empty if you have none."),
    )

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if email and not email_domain_allowed(email):
            self.add_error("email", signup_domain_error())
        return cleaned_data

    def clean_nip(self):
        nip = normalise_nip(self.cleaned_data.get("nip", ""))
        if nip:
            validate_nip(nip)
            if User.objects.filter(nip=nip).exists():
                raise forms.ValidationError(_("This NIP is already registered."))
        return nip

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.office = self.cleaned_data["office"]
        user.employment_type = self.cleaned_data["employment_type"]
        user.nip = self.cleaned_data["nip"]
        user.save()


def _nip_field() -> forms.CharField:
    """NIP as people type it (with spaces or dots); clean_nip normalises it."""
    return forms.CharField(
        label=_("NIP"),
        required=False,
        max_length=40,
        help_text=_("18 digits; leave empty if you have none (interns, PPNPN)."),
    )


class ProfileForm(forms.ModelForm):
    nip = _nip_field()

    class Meta:
        model = User
        fields = ["full_name", "nip", "employment_type", "intern_start", "intern_end"]
        widgets = {
            "intern_start": forms.DateInput(attrs={"type": "date"}),
            "intern_end": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_nip(self):
        nip = normalise_nip(self.cleaned_data.get("nip", ""))
        if nip:
            validate_nip(nip)
        return nip


class AccountEraseForm(forms.Form):
    """Deleting one's own account: the password again, and an explicit yes."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and learning records will be deleted "
            "and that this cannot be undone."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class StaffImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8, comma or semicolon separated, at most %(size)s."
        ) % {"size": size_text(settings.LMS_STAFF_IMPORT_MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.LMS_STAFF_IMPORT_MAX_BYTES
        check_size(upload, limit=limit)
        head = head_of(upload)
        # Spreadsheets (zip, old Office) get parse_staff_csv's "save as CSV" advice.
        if sniff(head) not in ("zip", "ole"):
            refuse_binary(head, expected=_("a CSV file"))
            check_extension(upload, allowed=("csv", "txt"))
        try:
            self.rows = parse_staff_csv(upload.read(), max_bytes=limit)
        except StaffCsvError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class StaffFilterForm(forms.Form):
    """Office and text filters on the coordinator's staff list (GET)."""

    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices in my scope"),
    )
    q = forms.CharField(
        label=_("Name, e-mail or NIP"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


# --- Wagtail user admin -------------------------------------------------------

ADMIN_USER_FIELDS = [
    "email",
    "full_name",
    "nip",
    "office",
    "employment_type",
    "intern_start",
    "intern_end",
    "is_superuser",
    "groups",
]


class _AdminUserFields(forms.ModelForm):
    # Our User has full_name instead of Wagtail's first and last name.
    first_name = None
    last_name = None

    nip = _nip_field()
    coordinator_offices = forms.ModelMultipleChoiceField(
        label=_("Coordinator of"),
        queryset=Office.objects.active().order_by("code"),
        required=False,
        help_text=_(
            "Coordinates these offices and every office under them. Hold Ctrl "
            "(or ⌘) to select more than one."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["office"].queryset = Office.objects.active().order_by("code")
        if self.instance.pk:
            current = list(
                CoordinatorScope.objects.filter(user=self.instance).values_list(
                    "office_id", flat=True
                )
            )
            self.fields["coordinator_offices"].initial = current
            # 553 offices: list the ones already chosen first, so they are seen.
            self.fields["coordinator_offices"].queryset = (
                Office.objects.active()
                .annotate(chosen=Q(pk__in=current))
                .order_by("-chosen", "code")
            )
        for name in ("intern_start", "intern_end"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def clean_nip(self):
        nip = normalise_nip(self.cleaned_data.get("nip", ""))
        if nip:
            validate_nip(nip)
        return nip


class AdminUserCreationForm(_AdminUserFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ADMIN_USER_FIELDS

    @property
    def password_required(self):
        return False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].help_text = _(
                "Leave empty to e-mail an invitation to choose a password."
            )

    def save(self, commit=True):
        user = super().save(commit=False)
        if not self.cleaned_data.get("password1"):
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class AdminUserEditForm(_AdminUserFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = [*ADMIN_USER_FIELDS, "is_active"]
