from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from pilar.accounts import policy
from pilar.accounts.models import User
from pilar.accounts.roles import NATIONAL_ROLES, Role
from pilar.accounts.services import check_role_region
from pilar.regions.models import Region


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # The same words whether the username exists or not.
        "invalid_login": _("Wrong username or password. Note that capital letters matter."),
    }


class RoleFieldsMixin(forms.Form):
    """A role and the code of its region, checked against the acting user's authority."""

    role = forms.ChoiceField(label=_("Role"))
    region_code = forms.CharField(
        label=_("Region code"),
        required=False,
        max_length=13,
        help_text=_("For example 18.01.01.2001 for a village. Leave empty for a national role."),
    )

    def __init__(self, *args: Any, acting_user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        roles = policy.grantable_roles(acting_user)
        role_field: forms.ChoiceField = self.fields["role"]  # type: ignore[assignment]
        role_field.choices = [(value, label) for value, label in Role.choices if value in roles]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        code = (cleaned.get("region_code") or "").strip()
        if not role:
            return cleaned
        region = None
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                self.add_error("region_code", _("There is no region with code %(code)s.") % {"code": code})
                return cleaned
        elif role not in NATIONAL_ROLES:
            self.add_error("region_code", _("This role needs a region code."))
            return cleaned
        try:
            check_role_region(role, region)
        except forms.ValidationError as error:
            self.add_error("region_code", error)
            return cleaned
        if not policy.can_grant(self.acting_user, role=role, region_code=code or None):
            self.add_error("region_code", _("You may not grant this role in this region."))
        cleaned["region"] = region
        return cleaned


class UserCreateForm(RoleFieldsMixin):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    field_order = ["username", "full_name", "email", "phone", "role", "region_code"]


class RoleGrantForm(RoleFieldsMixin):
    pass


class RoleRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class SetActiveForm(forms.Form):
    is_active = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)
