"""Forms: allauth sign-up additions and the profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.offices.models import Office

from .adapter import AccountAdapter
from .models import User
from .validators import normalise_nip, validate_nip


class SignupForm(forms.Form):
    """Fields allauth's sign-up form gains (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=160)
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

    def clean_email(self):
        email = self.cleaned_data["email"]
        AccountAdapter().validate_signup_email(email)
        return email

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


class ProfileForm(forms.ModelForm):
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
