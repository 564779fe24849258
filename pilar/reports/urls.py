from django.urls import path

from pilar.reports import dashboard_views, inauguration_pdf, views

app_name = "reports"

urlpatterns = [
    path("pilar/", views.pillar_recap, name="pillar-recap"),
    path("pilar/unduh.<str:export_format>", views.pillar_recap_export, name="pillar-recap-export"),
    path("cakupan/", views.coverage, name="coverage"),
    path("cakupan/unduh.<str:export_format>", views.coverage_export, name="coverage-export"),
    path("ppks/", views.ppks_recap, name="ppks-recap"),
    path("ppks/unduh.<str:export_format>", views.ppks_recap_export, name="ppks-recap-export"),
    path("dasbor/", dashboard_views.dashboard_page, name="dashboard"),
    path("pengukuhan/<int:inauguration_id>/peserta.pdf", inauguration_pdf.inauguration_pdf, name="inauguration-pdf"),
    path("dasbor/unduh.pdf", dashboard_views.dashboard_pdf, name="dashboard-pdf"),
    path("peta/", dashboard_views.map_page, name="map"),
    path("kasus/", views.case_recap, name="case-recap"),
    path("kasus/unduh.<str:export_format>", views.case_recap_export, name="case-recap-export"),
]
