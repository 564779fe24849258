import pytest

from pilar.accounts.models import User
from pilar.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def test_operator_creates_a_psm_through_the_page(client_for, people: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    response = client_for("operator_regency").post(
        "/akun/pengguna/baru/",
        {
            "username": "psm.baru",
            "full_name": "PSM Baru",
            "role": "psm",
            "region_code": "18.01.05.2001",
        },
    )

    user = User.objects.get(username="psm.baru")
    assert response.status_code == 302
    assert response["Location"] == f"/akun/pengguna/{user.pk}/tautan-sandi/"
    assert not user.has_usable_password()  # the new user chooses it through a password link
    assert list(user.role_assignments.values_list("role", "region_id")) == [("psm", "18.01.05.2001")]
    history = user.history.get()
    assert (history.history_user, history.history_type) == (people["operator_regency"], "+")


def test_create_form_outside_region_shows_message_and_creates_nothing(client_for, people) -> None:  # type: ignore[no-untyped-def]
    response = client_for("operator_regency").post(
        "/akun/pengguna/baru/",
        {
            "username": "psm.luar",
            "full_name": "PSM Luar",
            "role": "psm",
            "region_code": "17.01.01.2001",
        },
    )

    assert response.status_code == 200
    assert "Anda tidak berwenang memberikan peran ini di wilayah ini." in response.context["form"].errors["region_code"]
    assert not User.objects.filter(username="psm.luar").exists()


def test_create_form_role_of_wrong_level(client_for, people) -> None:  # type: ignore[no-untyped-def]
    response = client_for("operator_regency").post(
        "/akun/pengguna/baru/",
        {
            "username": "salah",
            "full_name": "Salah",
            "role": "tksk",
            "region_code": "18.01.04.2001",
        },
    )

    assert response.context["form"].errors["region_code"] == [
        "Peran TKSK (kecamatan) memerlukan kecamatan; Hajimena (18.01.04.2001) adalah desa/kelurahan."
    ]
    assert not User.objects.filter(username="salah").exists()


def test_role_choices_offer_only_what_the_operator_may_grant(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("operator_regency").get("/akun/pengguna/baru/")

    choices = [value for value, _label in response.context["form"].fields["role"].choices]
    assert choices == ["psm", "tksk"]


def test_detail_view_is_access_logged(client_for, people: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    subject = people["psm_a"]

    client_for("tksk").get(f"/akun/pengguna/{subject.pk}/")

    entry = AccessLog.objects.get()
    assert (entry.username, entry.roles, entry.action, entry.record_type, entry.record_ids) == (
        "tksk",
        "tksk@18.01.04",
        "view",
        "accounts.User",
        [subject.pk],
    )


def test_search_is_access_logged_with_the_query(client_for, people: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    client_for("tksk").get("/akun/pengguna/", {"q": "psm"})

    entry = AccessLog.objects.get()
    assert (entry.action, entry.query, sorted(entry.record_ids)) == (
        "search",
        "psm",
        sorted([people["psm_a"].pk, people["psm_b"].pk]),
    )


def test_grant_and_revoke_through_the_page_record_history(client_for, people: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    operator = client_for("operator_regency")
    subject = people["psm_a"]

    operator.post(f"/akun/pengguna/{subject.pk}/peran/", {"role": "psm", "region_code": "18.01.04.2002"})
    new_role = subject.role_assignments.get(region_id="18.01.04.2002")
    operator.post(f"/akun/pengguna/{subject.pk}/peran/{new_role.pk}/cabut/", {"reason": "salah desa"})

    new_role.refresh_from_db()
    assert new_role.is_active is False
    changes = list(new_role.history.order_by("history_date").values_list("history_type", "history_user__username"))
    assert changes == [("+", "operator_regency"), ("~", "operator_regency")]


def test_user_list_query_count_does_not_grow_with_users(client_for, people, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("admin")
    # 13: the page and its menu (cases waiting and overdue, unread notifications and notices).
    with django_assert_max_num_queries(13):
        client.get("/akun/pengguna/")
