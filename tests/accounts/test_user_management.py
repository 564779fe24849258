import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilar.accounts import services
from pilar.accounts.models import RoleAssignment, User
from pilar.accounts.roles import Role
from pilar.regions.models import Region

pytestmark = pytest.mark.django_db


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def roles_of(user: User) -> list[tuple[str, str | None]]:
    return list(user.role_assignments.filter(is_active=True).values_list("role", "region_id"))


@pytest.mark.parametrize(
    ("acting", "role", "code"),
    [
        ("operator_regency", Role.PSM, "18.01.04.2001"),
        ("operator_regency", Role.TKSK, "18.01.05"),
        ("operator_province", Role.TKSK, "18.02.01"),
        ("operator_province", Role.DINSOS_KABKOTA, "18.02"),
        ("admin", Role.DINSOS_KABKOTA, "18.01"),
        ("admin", Role.PUSAT, None),
        ("admin", Role.PSM, "17.01.01.2001"),
    ],
)
def test_operator_creates_users_inside_region_below_own_level(
    people: dict[str, User], acting: str, role: str, code: str | None
) -> None:
    user = services.create_user(
        username="baru",
        password="a-long-enough-password",
        full_name="Pengguna Baru",
        role=role,
        region=region(code) if code else None,
        acting_user=people[acting],
    )

    assert roles_of(user) == [(role, code)]


@pytest.mark.parametrize(
    ("acting", "role", "code"),
    [
        ("operator_regency", Role.PSM, "18.02.01.2001"),  # sibling regency
        ("operator_regency", Role.DINSOS_PROVINSI, "18"),  # above own level
        ("operator_regency", Role.DINSOS_KABKOTA, "18.01"),  # a peer: only the administrator
        ("operator_province", Role.DINSOS_PROVINSI, "18"),
        ("operator_province", Role.PSM, "17.01.01.2001"),  # other province
        ("operator_province", Role.PUSAT, None),
        ("operator_province", Role.ADMIN, None),
        ("tksk", Role.PSM, "18.01.04.2001"),  # not a managing role
        ("psm_a", Role.PSM, "18.01.04.2001"),
        ("pusat", Role.PSM, "18.01.04.2001"),
        ("no_role", Role.PSM, "18.01.04.2001"),
    ],
)
def test_refused_creation_creates_nothing(people: dict[str, User], acting: str, role: str, code: str | None) -> None:
    count = User.objects.count()

    with pytest.raises(PermissionDenied):
        services.create_user(
            username="baru",
            password="a-long-enough-password",
            full_name="Pengguna Baru",
            role=role,
            region=region(code) if code else None,
            acting_user=people[acting],
        )

    assert User.objects.count() == count
    assert not User.objects.filter(username="baru").exists()


@pytest.mark.parametrize(
    ("role", "code", "message"),
    [
        (Role.PSM, "18.01", "memerlukan desa/kelurahan; Kabupaten Lampung Selatan (18.01) adalah kabupaten/kota"),
        (Role.TKSK, "18.01.04.2001", "memerlukan kecamatan; Hajimena (18.01.04.2001) adalah desa/kelurahan"),
        (Role.DINSOS_KABKOTA, "18", "memerlukan kabupaten/kota; Lampung (18) adalah provinsi"),
        (Role.PUSAT, "18", "berlaku nasional dan tidak memakai wilayah"),
        (Role.PSM, None, "memerlukan wilayah: sebuah desa/kelurahan"),
        ("wizard", None, "Peran wizard tidak dikenal"),
    ],
)
def test_role_of_the_wrong_level_is_refused_with_a_clear_message(
    people: dict[str, User], role: str, code: str | None, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.grant_role(people["no_role"], role=role, region=region(code) if code else None, acting_user=None)

    assert message in " ".join(raised.value.messages)
    assert roles_of(people["no_role"]) == []


@pytest.mark.parametrize("acting", ["operator_regency", "operator_province", "admin"])
def test_nobody_can_raise_their_own_role_or_widen_their_region(people: dict[str, User], acting: str) -> None:
    user = people[acting]
    before = roles_of(user)

    with pytest.raises(PermissionDenied):
        services.grant_role(user, role=Role.PSM, region=region("18.01.04.2001"), acting_user=user)
    with pytest.raises(PermissionDenied):
        services.grant_role(user, role=Role.DINSOS_PROVINSI, region=region("17"), acting_user=user)

    assert roles_of(user) == before


def test_operator_cannot_touch_an_account_that_also_holds_a_higher_role(people: dict[str, User]) -> None:
    target = people["psm_a"]
    services.grant_role(target, role=Role.DINSOS_PROVINSI, region=region("18"), acting_user=None)
    password_before = User.objects.get(pk=target.pk).password

    with pytest.raises(PermissionDenied):
        services.issue_password_link(target, acting_user=people["operator_regency"])
    with pytest.raises(PermissionDenied):
        services.set_active(target, is_active=False, acting_user=people["operator_regency"], reason="x")

    target.refresh_from_db()
    assert (target.password, target.is_active) == (password_before, True)


def test_revoked_role_is_kept_inactive_with_who_and_why(people: dict[str, User]) -> None:
    assignment = people["psm_a"].role_assignments.get()

    services.revoke_role(assignment, acting_user=people["operator_regency"], reason="pindah domisili")

    assignment.refresh_from_db()
    assert (assignment.is_active, assignment.revoked_by, assignment.revoke_reason) == (
        False,
        people["operator_regency"],
        "pindah domisili",
    )
    assert roles_of(people["psm_a"]) == []


def test_duplicate_active_role_is_refused(people: dict[str, User]) -> None:
    with pytest.raises(ValidationError, match="sudah memegang peran ini"):
        services.grant_role(people["psm_a"], role=Role.PSM, region=region("18.01.04.2001"), acting_user=None)

    assert RoleAssignment.objects.filter(user=people["psm_a"]).count() == 1


def test_weak_password_is_refused_and_no_user_is_created(people: dict[str, User]) -> None:
    with pytest.raises(ValidationError):
        services.create_user(
            username="lemah",
            password="12345",
            full_name="Lemah",
            role=Role.PSM,
            region=region("18.01.04.2001"),
            acting_user=people["operator_regency"],
        )

    assert not User.objects.filter(username="lemah").exists()


def test_user_list_shows_only_users_with_a_role_in_scope(people: dict[str, User]) -> None:
    visible = set(User.objects.visible_to(people["tksk"]).values_list("username", flat=True))

    assert visible == {"psm_a", "psm_b", "tksk"}


def test_user_without_role_sees_no_user(people: dict[str, User]) -> None:
    assert list(User.objects.visible_to(people["no_role"])) == []


def test_inactive_account_sees_nothing(people: dict[str, User]) -> None:
    user = people["operator_province"]
    user.is_active = False

    assert list(User.objects.visible_to(user)) == []


def test_taken_username_is_refused_and_nothing_changes(people: dict[str, User]) -> None:
    count = User.objects.count()

    with pytest.raises(ValidationError) as raised:
        services.create_user(
            username="psm_a",
            password="a-long-enough-password",
            full_name="Kembar",
            role=Role.PSM,
            region=region("18.01.04.2002"),
            acting_user=people["operator_regency"],
        )

    assert raised.value.messages == ["Nama pengguna itu sudah dipakai."]
    assert User.objects.count() == count
    assert roles_of(people["psm_a"]) == [("psm", "18.01.04.2001")]


def test_an_operator_cannot_take_over_a_peer_of_the_same_regency_and_nothing_changes(people: dict[str, User]) -> None:
    peer = services.create_user(
        username="peer",
        full_name="Operator Kedua",
        role=Role.DINSOS_KABKOTA,
        region=region("18.01"),
        acting_user=people["admin"],
    )
    before = (User.objects.get(pk=peer.pk).password, peer.history.count())

    with pytest.raises(PermissionDenied):
        services.issue_password_link(peer, acting_user=people["operator_regency"])
    with pytest.raises(PermissionDenied):
        services.set_active(peer, is_active=False, acting_user=people["operator_regency"], reason="ambil alih")
    with pytest.raises(PermissionDenied):
        services.grant_role(peer, role=Role.TKSK, region=region("18.01.04"), acting_user=people["operator_regency"])

    peer.refresh_from_db()
    assert (peer.password, peer.history.count(), peer.is_active) == (*before, True)
    assert services.issue_password_link(peer, acting_user=people["admin"]).startswith("/akun/sandi-baru/")
