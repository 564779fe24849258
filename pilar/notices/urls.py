from django.urls import path

from pilar.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("email/", views.email_choice, name="email-choice"),
]
