from django.urls import path

from pilar.cases import actions, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("unduh.<str:export_format>", views.case_export, name="case-export"),
    path("baru/orang/<int:person_id>/", views.case_create_for_person, name="case-create-person"),
    path("baru/keluarga/<int:household_id>/", views.case_create_for_household, name="case-create-household"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    path("<int:case_id>/kunjungan/", views.visit_page, name="visit-page"),
    path("<int:case_id>/kunjungan/simpan/", actions.visit, name="visit"),
    path("<int:case_id>/catatan/", actions.note, name="note"),
    path("<int:case_id>/koreksi/<int:event_id>/", actions.correction, name="correction"),
    path("<int:case_id>/lampiran/", actions.attachment, name="attachment"),
    path("<int:case_id>/tindakan/", actions.action, name="action"),
    path("<int:case_id>/tugaskan/", actions.reassign, name="reassign"),
    path("<int:case_id>/perpanjang/", actions.extend, name="extend"),
    path("<int:case_id>/rujukan/", actions.refer, name="refer"),
    path("rujukan/<int:referral_id>/jawab/", actions.answer, name="answer"),
    path("lampiran/<int:attachment_id>/", views.attachment_file, name="attachment-file"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("program/", views.programme_list, name="programmes"),
    path("program/<int:programme_id>/aktif/", views.programme_toggle, name="programme-toggle"),
]
