from django.urls import path

from pilar.activities import views

app_name = "activities"

urlpatterns = [
    path("kegiatan/", views.activity_list, name="activity-list"),
    path("kegiatan/unduh.<str:export_format>", views.activity_export, name="activity-export"),
    path("kegiatan/baru/", views.activity_create, name="activity-create"),
    path("kegiatan/<int:activity_id>/", views.activity_detail, name="activity-detail"),
    path("kegiatan/<int:activity_id>/ubah/", views.activity_edit, name="activity-edit"),
    path("kegiatan/foto/<int:photo_id>/", views.activity_photo, name="activity-photo"),
    path("laporan/", views.report_list, name="report-list"),
    path("laporan/unduh.<str:export_format>", views.report_status_export, name="report-status-export"),
    path("laporan/kop/", views.letterhead_edit, name="letterhead"),
    path("laporan/<int:engagement_id>/<str:month>/", views.report_detail, name="report-detail"),
    path("laporan/<int:engagement_id>/<str:month>/tinjau/", views.report_review, name="report-review"),
    path(
        "laporan/<int:engagement_id>/<str:month>/unduh.<str:file_format>",
        views.report_download,
        name="report-download",
    ),
]
