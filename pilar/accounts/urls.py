from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from pilar.accounts import second_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.PilarLoginView.as_view(), name="login"),
    path("keluar/", views.PilarLogoutView.as_view(), name="logout"),
    path(
        "sandi/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("home")
        ),
        name="password-change",
    ),
    path("pengguna/", views.user_list, name="user-list"),
    path("pengguna/baru/", views.user_create, name="user-create"),
    path("pengguna/<int:user_id>/", views.user_detail, name="user-detail"),
    path("pengguna/<int:user_id>/peran/", views.role_grant, name="role-grant"),
    path("pengguna/<int:user_id>/peran/<int:assignment_id>/cabut/", views.role_revoke, name="role-revoke"),
    path("pengguna/<int:user_id>/tautan-sandi/", views.user_password_link, name="user-password-link"),
    path(
        "sandi-baru/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_link.html",
            success_url=reverse_lazy("accounts:password-link-done"),
        ),
        name="password-link",
    ),
    path(
        "sandi-baru/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_link_done.html"),
        name="password-link-done",
    ),
    path("pengguna/<int:user_id>/status/", views.user_set_active, name="user-set-active"),
    path("dua-langkah/", second_factor_views.verify, name="second-factor"),
    path("dua-langkah/siapkan/", second_factor_views.setup, name="second-factor-setup"),
    path("keamanan/", second_factor_views.security, name="security"),
    path("keamanan/kode-pemulihan/", second_factor_views.recovery_codes, name="recovery-codes"),
    path("keamanan/kode-pemulihan/baru/", second_factor_views.renew_codes, name="recovery-codes-renew"),
    path("pengguna/<int:user_id>/dua-langkah/hapus/", second_factor_views.reset, name="second-factor-reset"),
    path("keamanan/passkey/<int:credential_id>/hapus/", second_factor_views.passkey_remove, name="passkey-remove"),
    path("keamanan/token/", second_factor_views.token_issue, name="token-issue"),
    path("keamanan/token/cabut/", second_factor_views.token_revoke, name="token-revoke"),
    path("pengguna/<int:user_id>/token/cabut/", second_factor_views.token_revoke, name="user-token-revoke"),
]
