from django.urls import path

from pilar.workforce import institution_views, transfer_views, views

app_name = "workforce"

urlpatterns = [
    path("pekerja/", views.worker_list, name="worker-list"),
    path("pekerja/unduh.<str:export_format>", views.worker_export, name="worker-export"),
    path("pekerja/baru/", views.worker_create, name="worker-create"),
    path("pindah/", transfer_views.transfer_list, name="transfer-list"),
    path("pindah/minta/", transfer_views.transfer_request, name="transfer-request"),
    path("pindah/<int:transfer_id>/putuskan/", transfer_views.transfer_decide, name="transfer-decide"),
    path("pekerja/<int:worker_id>/", views.worker_detail, name="worker-detail"),
    path("pekerja/<int:worker_id>/ubah/", views.worker_edit, name="worker-edit"),
    path("pekerja/<int:worker_id>/foto/", views.worker_photo, name="worker-photo"),
    path("keterlibatan/<int:engagement_id>/status/", views.engagement_status, name="engagement-status"),
    path("keterlibatan/<int:engagement_id>/penugasan/", views.engagement_assign, name="engagement-assign"),
    path("penugasan/", views.assignment_list, name="assignment-list"),
    path("penugasan/<int:assignment_id>/evaluasi/", views.assignment_evaluate, name="assignment-evaluate"),
    path("penugasan/<int:assignment_id>/akhiri/", views.assignment_end, name="assignment-end"),
    path("bimtek/", views.training_list, name="training-list"),
    path("bimtek/unduh.<str:export_format>", views.training_export, name="training-export"),
    path("bimtek/baru/", views.training_create, name="training-create"),
    path("bimtek/<int:training_id>/", views.training_detail, name="training-detail"),
    path("pengukuhan/", views.inauguration_list, name="inauguration-list"),
    path("pengukuhan/baru/", views.inauguration_create, name="inauguration-create"),
    path("pengukuhan/<int:inauguration_id>/", views.inauguration_detail, name="inauguration-detail"),
    path("lembaga/", institution_views.institution_list, name="institution-list"),
    path("lembaga/unduh.<str:export_format>", institution_views.institution_export, name="institution-export"),
    path("lembaga/baru/", institution_views.institution_create, name="institution-create"),
    path("lembaga/<int:institution_id>/", institution_views.institution_detail, name="institution-detail"),
    path("lembaga/<int:institution_id>/ubah/", institution_views.institution_edit, name="institution-edit"),
    path("lembaga/<int:institution_id>/status/", institution_views.institution_status, name="institution-status"),
    path("kuota/", institution_views.quota_list, name="quota-list"),
    path("kuota/unduh.<str:export_format>", institution_views.quota_export, name="quota-export"),
]
