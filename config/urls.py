from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from pilar.accounts.api import UserViewSet, me
from pilar.activities.api import ActivityViewSet, MonthlyReportViewSet
from pilar.beneficiaries.api import HouseholdViewSet, PersonViewSet, PpksRecordViewSet
from pilar.cases.api import CaseViewSet, ReferralViewSet
from pilar.core.views import health
from pilar.field import api as field_api
from pilar.regions.api import RegionViewSet
from pilar.regions.converters import RegionCodeConverter
from pilar.reports import api as reports_api
from pilar.reports.dashboard_views import home
from pilar.workforce.api import InstitutionViewSet, QuotaViewSet, TrainingViewSet, WorkerViewSet

register_converter(RegionCodeConverter, "region_code")

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("users", UserViewSet, basename="user")
router.register("workers", WorkerViewSet, basename="worker")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("quotas", QuotaViewSet, basename="quota")
router.register("trainings", TrainingViewSet, basename="training")
router.register("people", PersonViewSet, basename="person")
router.register("households", HouseholdViewSet, basename="household")
router.register("ppks", PpksRecordViewSet, basename="ppks")
router.register("cases", CaseViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("activities", ActivityViewSet, basename="activity")
router.register("monthly-reports", MonthlyReportViewSet, basename="monthly-report")

urlpatterns = [
    path("", home, name="home"),
    path("akun/", include("pilar.accounts.urls")),
    path("akun/passkey/", include("pilar.accounts.passkeys")),
    path("pemberitahuan/", include("pilar.notices.urls")),
    path("wilayah/", include("pilar.regions.urls")),
    path("audit/", include("pilar.audit.urls")),
    path("psks/", include("pilar.workforce.urls")),
    path("psks/impor/", include("pilar.imports.urls")),
    path("unduhan/", include("pilar.exports.urls")),
    path("ppks/", include("pilar.beneficiaries.urls")),
    path("kasus/", include("pilar.cases.urls")),
    path("", include("pilar.activities.urls")),
    path("rekap/", include("pilar.reports.urls")),
    path("bahasa/", login_not_required(set_language), name="set-language"),
    path("sehat/", health, name="health"),
    path("", include("pilar.field.urls")),
    path("api/v1/me/", me, name="api-me"),
    path("api/v1/field/", field_api.download, name="api-field-download"),
    path("api/v1/field/outbox/", field_api.outbox, name="api-field-outbox"),
    path("api/v1/recap/pillars/", reports_api.pillar_recap, name="api-pillar-recap"),
    path("api/v1/coverage/", reports_api.coverage, name="api-coverage"),
    path("api/v1/recap/ppks/", reports_api.ppks_recap, name="api-ppks-recap"),
    path("api/v1/recap/cases/", reports_api.case_recap, name="api-case-recap"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
