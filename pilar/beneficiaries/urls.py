from django.urls import path

from pilar.beneficiaries import subject_views, transfer_views, views

app_name = "beneficiaries"

urlpatterns = [
    path("orang/", views.person_list, name="person-list"),
    path("orang/unduh.<str:export_format>", views.person_export, name="person-export"),
    path("orang/baru/", views.person_create, name="person-create"),
    path("pindah/", transfer_views.transfer_list, name="transfer-list"),
    path("pindah/minta/", transfer_views.transfer_request, name="transfer-request"),
    path("pindah/<int:transfer_id>/putuskan/", transfer_views.transfer_decide, name="transfer-decide"),
    path("orang/<int:person_id>/", views.person_detail, name="person-detail"),
    path("orang/<int:person_id>/data-pribadi/", subject_views.person_data, name="person-data"),
    path("orang/<int:person_id>/data-pribadi/batasi/", subject_views.person_restriction, name="person-restriction"),
    path("orang/<int:person_id>/data-pribadi/hapus/", subject_views.person_erasure, name="person-erasure"),
    path("orang/<int:person_id>/data-pribadi/wajib-simpan/", subject_views.person_legal_hold, name="person-legal-hold"),
    path("orang/<int:person_id>/persetujuan/", subject_views.person_consent, name="person-consent"),
    path("permintaan-data/", subject_views.subject_requests, name="subject-requests"),
    path("retensi/", subject_views.retention, name="retention"),
    path("orang/<int:person_id>/ubah/", views.person_edit, name="person-edit"),
    path("orang/<int:person_id>/pindah/", views.person_move, name="person-move"),
    path("orang/<int:person_id>/ppks/", views.person_report, name="person-report"),
    path("catatan/<int:record_id>/status/", views.record_status, name="record-status"),
    path("verifikasi/", views.verification_queue, name="verification-queue"),
    path("duplikat/", views.duplicate_review, name="duplicates"),
    path("duplikat/putuskan/", views.duplicate_decide, name="duplicate-decide"),
    path("gabungan/<int:merge_id>/batalkan/", views.merge_undo, name="merge-undo"),
    path("keluarga/<int:household_id>/", views.household_detail, name="household-detail"),
    path("keluarga/<int:household_id>/pindah/", views.household_move, name="household-move"),
    path("keluarga/<int:household_id>/ppks/", views.household_report, name="household-report"),
]
