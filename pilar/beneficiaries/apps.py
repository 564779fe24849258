from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "pilar.beneficiaries"
    verbose_name = _("PPKS registry")
