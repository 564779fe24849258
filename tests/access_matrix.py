"""Every route of Pilar, classified by who may reach it.

`tests/test_access_matrix.py` walks the URL resolver and fails on any route missing
here (or listed here but gone), so a new page or endpoint cannot ship without
someone deciding who may see it. Later features add their routes to ROUTES.

Kinds:
- PUBLIC: anyone, signed in or not.
- SIGNED_IN: any signed-in user, whatever their roles (master data, one's own account).
- MANAGERS: users with a managing role (Dinsos operators, administrator); others get 403.
- ADMIN: the administrator only; others get 403.
- MAPPERS: users whose role maps PPKS (PSM, TKSK, Dinsos operators, administrator).
- VERIFIERS: users whose role verifies PPKS records (TKSK, Dinsos operators, administrator).
- RECORDERS: users whose role records activities (PSM, TKSK, Dinsos operators); the
  administrator and the ministry get 403.
- FIELD: users with a field role (PSM, TKSK): the offline field app and its API;
  others get 403.
- OFFICES: Dinsos operators (their office's letterhead); others get 403.
- SUPERVISORS: users who review workers' monthly reports (TKSK for PSM, regency
  operators for TKSK); others get 403.
- OWN: an object that belongs to the user who made it (a background export, written
  with its requester's area and NIK rights); everyone else gets 404, in scope or not.
- SCOPED: an object that belongs to a place. A persona that may see the place gets
  an answer; any other persona gets 404, never a 403 that confirms the object exists.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pilar.accounts import second_factor
from pilar.accounts.models import User
from pilar.activities import services as activity_services
from pilar.activities.models import Activity, ActivityPhoto, Letterhead, MonthlyReport
from pilar.beneficiaries import merges
from pilar.beneficiaries import services as ppks_services
from pilar.beneficiaries.models import DuplicateDecision, Household, Merge, Move, Person, PersonTransfer, PpksRecord
from pilar.cases import services as case_services
from pilar.cases.models import Attachment, Case, CaseEvent, Programme, Referral
from pilar.core.synthetic import person
from pilar.core.versions import version_of
from pilar.imports.models import Upload, UploadStatus
from pilar.regions.models import Region
from pilar.workforce import institutions, services
from pilar.workforce.kinds import TrainingKind, WorkerKind
from pilar.workforce.models import (
    Assignment,
    Engagement,
    Inauguration,
    Institution,
    Quota,
    Training,
    WorkerTransfer,
)
from tests.images import PNG
from tests.personas import PLACES, make_worker_account


class Subject:
    """The objects the matrix places in one of PLACES, made on first use.

    Each knows the region it belongs to: the village itself, its kecamatan (a TKSK,
    an assignment, a quota) or its regency (a training, an upload).
    """

    def __init__(self, place: str) -> None:
        self.place = place
        self.code = PLACES[place]
        self.district = self.code[:8]
        self.regency = self.code[:5]

    @cached_property
    def account(self) -> User:
        return make_worker_account(self.place)

    @cached_property
    def engagement(self) -> Engagement:
        someone = person(list(PLACES).index(self.place), self.district)
        village = Region.objects.get(code=self.code)
        engagement = services.register_worker(
            nik=someone.nik,
            full_name=someone.name,
            sex=someone.sex,
            birth_date=someone.birth_date,
            home_village=village,
            kind=WorkerKind.PSM,
            region=village,
            acting_user=None,
        )
        engagement.worker.photo.save("foto.png", ContentFile(PNG))
        return engagement

    @cached_property
    def tksk(self) -> Engagement:
        someone = person(100 + list(PLACES).index(self.place), self.district)
        return services.register_worker(
            nik=someone.nik,
            full_name=someone.name,
            sex=someone.sex,
            birth_date=someone.birth_date,
            home_village=None,
            kind=WorkerKind.TKSK,
            region=Region.objects.get(code=self.district),
            acting_user=None,
        )

    @cached_property
    def assignment(self) -> Assignment:
        return services.assign_tksk(
            self.tksk,
            region=Region.objects.get(code=self.district),
            budget_year=2026,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            decree=services.DecreeInfo("460/1/2026", datetime.date(2026, 1, 1)),
            acting_user=None,
        )

    @cached_property
    def institution(self) -> Institution:
        return institutions.register_institution(
            kind="LKS", name=f"LKS {self.place}", region=Region.objects.get(code=self.code), acting_user=None
        )

    @cached_property
    def training(self) -> Training:
        return services.create_training(
            kind=TrainingKind.BASIC,
            title=f"Bimtek {self.place}",
            organiser=Region.objects.get(code=self.regency),
            start_date=datetime.date(2026, 2, 1),
            end_date=datetime.date(2026, 2, 3),
            place="Aula Dinsos",
            acting_user=None,
        )

    @cached_property
    def inauguration(self) -> Inauguration:
        inauguration = Inauguration.objects.create(
            region=Region.objects.get(code=self.regency),
            date=datetime.date(2026, 5, 20),
            place="Aula Dinsos",
            official="Bupati",
            decree_number="460/1/2026",
        )
        inauguration.engagements.set([self.engagement])
        return inauguration

    @cached_property
    def quota(self) -> Quota:
        return services.set_quota(
            region=Region.objects.get(code=self.district), year=2026, kind=WorkerKind.PSM, target=5, acting_user=None
        )

    @cached_property
    def upload(self) -> Upload:
        upload = Upload(
            kind="institutions",
            original_name="lembaga.csv",
            region_id=self.regency,
            uploaded_by=self.account,
            status=UploadStatus.CHECKED,
            report={"kind": "institutions", "filename": "lembaga.csv", "rows": 1, "created": 1},
        )
        upload.file.save("lembaga.csv", ContentFile(f"jenis,nama,kode_wilayah\nLKS,LKS Baru,{self.code}\n".encode()))
        return upload

    @cached_property
    def merge(self) -> Merge:
        """Two records of one person of the place, merged by nobody in particular."""
        first, second = self._person(7), self._person(8)
        Person.objects.filter(pk=second.pk).update(nik=None)
        return merges.merge_people(first, Person.objects.get(pk=second.pk), acting_user=None)

    def _person(self, number: int) -> Person:
        someone = person(500 + 10 * list(PLACES).index(self.place) + number, self.district)
        return ppks_services.register_person(
            ppks_services.PersonData(
                full_name=someone.name,
                sex=someone.sex,
                birth_date=someone.birth_date,
                nik=someone.nik,
                village=Region.objects.get(code=self.code),
                family_card=f"{self.district.replace('.', '')}0101260{number:03d}",
            ),
            categories=["PPKS-24"],
            acting_user=None,
        )

    @cached_property
    def person(self) -> Person:
        return self._person(1)

    @cached_property
    def other_person(self) -> Person:
        return self._person(2)

    @cached_property
    def person_transfer(self) -> PersonTransfer:
        """The place's PSM asks for the place's person to be moved to a village next door."""
        return PersonTransfer.objects.create(
            person=self.person,
            from_village_id=self.code,
            to_village_id=self.code,
            reason="uji",
            requested_by=self.account,
        )

    @cached_property
    def worker_transfer(self) -> WorkerTransfer:
        return WorkerTransfer.objects.create(
            worker=self.engagement.worker, kind=WorkerKind.TKSK, from_region_id=self.code,
            to_region_id=self.district, reason="uji", requested_by=self.account,
        )  # fmt: skip

    @cached_property
    def record(self) -> PpksRecord:
        return self.person.ppks_records.get()

    @cached_property
    def case(self) -> Case:
        """A case of the place's person, opened (and so held) by the place's PSM account."""
        return case_services.open_case(
            person=self.person,
            summary=f"Kasus {self.place}",
            records=list(self.person.ppks_records.all()),
            acting_user=self.account,
        )

    @cached_property
    def visit(self) -> CaseEvent:
        case = self.case
        return case_services.record_visit(
            case,
            expected_version=case.version,
            happened_on=timezone.localdate(),
            action_taken="Kunjungan rumah",
            acting_user=self.account,
        )

    @cached_property
    def referral(self) -> Referral:
        case = Case.objects.get(pk=self.case.pk)
        return case_services.refer_case(
            case,
            expected_version=case.version,
            destination_kind="instansi",
            agency="dukcapil",
            reason="Belum punya NIK",
            acting_user=self.account,
        )

    @cached_property
    def attachment(self) -> Attachment:
        case = Case.objects.get(pk=self.case.pk)
        return case_services.add_attachment(
            case,
            expected_version=case.version,
            upload=SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
            acting_user=self.account,
        )

    @cached_property
    def activity(self) -> Activity:
        return activity_services.record_activity(
            kind="penyuluhan_sosial",
            title=f"Penyuluhan {self.place}",
            held_on=timezone.localdate(),
            region=Region.objects.get(code=self.code),
            men=3,
            women=4,
            acting_user=None,
        )

    @cached_property
    def activity_photo(self) -> ActivityPhoto:
        return activity_services.add_photo(self.activity, upload=SimpleUploadedFile("foto.png", PNG), acting_user=None)

    @cached_property
    def report(self) -> MonthlyReport:
        """The submitted monthly report of the place's PSM (linked to the place's account)."""
        engagement = self.engagement
        services.update_worker(engagement.worker, account=self.account, acting_user=None)
        engagement.refresh_from_db()
        return activity_services.submit_report(
            engagement, timezone.localdate(), narrative="Uji akses", acting_user=self.account
        )

    def report_kwargs(self) -> dict[str, Any]:
        report = self.report
        return {"engagement_id": report.engagement_id, "month": f"{report.month:%Y-%m}"}

    def version(self) -> int:
        return Case.objects.values_list("version", flat=True).get(pk=self.case.pk)

    def state(self) -> tuple[Any, ...]:
        """What a refused request must leave untouched."""
        account = self.account
        account.refresh_from_db()
        made = self.__dict__
        registry: list[Any] = [
            (
                account.password,
                account.is_active,
                list(account.role_assignments.values_list("role", "region_id", "is_active")),
            )
        ]
        for name in ("engagement", "tksk"):
            if name in made:
                engagement = Engagement.objects.select_related("worker").get(pk=made[name].pk)
                registry.append(
                    (engagement.status, engagement.region_id, engagement.worker.full_name, engagement.events.count())
                )
        if "assignment" in made:
            registry.append(Assignment.objects.filter(engagement_id=made["assignment"].engagement_id).count())
            registry.append(hasattr(Assignment.objects.get(pk=made["assignment"].pk), "evaluation"))
        if "institution" in made:
            registry.append(Institution.objects.filter(pk=made["institution"].pk).values_list("name", "status").get())
        if "training" in made:
            registry.append(made["training"].attendance.count())
        if "upload" in made:
            registry.append(Upload.objects.get(pk=made["upload"].pk).status)
        for name in ("person", "other_person"):
            if name in made:
                registry.append(
                    Person.objects.filter(pk=made[name].pk).values_list("full_name", "village_id", "phone").get()
                )
        if "record" in made:
            registry.append(PpksRecord.objects.get(pk=made["record"].pk).status)
        if "case" in made:
            registry.append(
                Case.objects.filter(pk=made["case"].pk)
                .values_list("version", "status", "level", "assigned_to_id")
                .get()
            )
            registry.append(list(Referral.objects.filter(case=made["case"]).values_list("status", flat=True)))
        if "activity" in made:
            registry.append(
                Activity.objects.filter(pk=made["activity"].pk).values_list("title", "men", "region_id").get()
            )
        if "report" in made:
            registry.append(MonthlyReport.objects.filter(pk=made["report"].pk).values_list("status", "narrative").get())
        registry.append((Engagement.objects.count(), Institution.objects.count(), Quota.objects.count()))
        registry.append(list(PersonTransfer.objects.order_by("pk").values_list("status", "decided_by_id")))
        registry.append(list(WorkerTransfer.objects.order_by("pk").values_list("status", "decided_by_id")))
        registry.append(
            (
                Person.objects.filter(merged_into__isnull=True).count(),
                PpksRecord.objects.count(),
                DuplicateDecision.objects.count(),
                Move.objects.count(),
                Household.objects.count(),
                Case.objects.count(),
                CaseEvent.objects.count(),
                Attachment.objects.count(),
                Programme.objects.filter(is_active=True).count(),
                Activity.objects.count(),
                Letterhead.objects.count(),
            )
        )
        return tuple(registry)


PUBLIC = "public"
SIGNED_IN = "signed_in"
MANAGERS = "managers"
ADMIN = "admin"
MAPPERS = "mappers"
VERIFIERS = "verifiers"
RECORDERS = "recorders"
OFFICES = "offices"
SUPERVISORS = "supervisors"
FIELD = "field"
OWN = "own"
SCOPED = "scoped"


@dataclass(frozen=True)
class Route:
    kind: str
    method: str = "get"
    api: bool = False
    # For routes with URL arguments: builds them from the object placed in a region.
    kwargs: Callable[[Subject], dict[str, Any]] = field(default=lambda subject: {})
    # The region of the object a SCOPED route reaches (default: the place itself).
    region: Callable[[Subject], str] = field(default=lambda subject: subject.code)
    # Signed-in users without any role get 403 (their area is undefined).
    needs_role: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    # POST data that names objects of the place (instead of `data`).
    make_data: Callable[[Subject], dict[str, Any]] | None = None
    # What an allowed signed-in user gets, when not 200 (GET) or 302 (POST); a function
    # of the user where it depends on their own account (a passkey needs the app first).
    allowed_status: int | Callable[[User], int] | None = None


def _user(subject: Subject) -> dict[str, Any]:
    return {"user_id": subject.account.pk}


def _user_pk(subject: Subject) -> dict[str, Any]:
    return {"pk": subject.account.pk}


def _assignment(subject: Subject) -> dict[str, Any]:
    return {"user_id": subject.account.pk, "assignment_id": subject.account.role_assignments.get().pk}


def _worker(subject: Subject) -> dict[str, Any]:
    return {"worker_id": subject.engagement.worker_id}


def _institution(subject: Subject) -> dict[str, Any]:
    return {"institution_id": subject.institution.pk}


def _person(subject: Subject) -> dict[str, Any]:
    return {"person_id": subject.person.pk}


def _upload(subject: Subject) -> dict[str, Any]:
    return {"upload_id": subject.upload.pk}


def _district(subject: Subject) -> str:
    return subject.district


def _regency(subject: Subject) -> str:
    return subject.regency


CSV = {"export_format": "csv"}


def _case(subject: Subject) -> dict[str, Any]:
    return {"case_id": subject.case.pk}


def _api_case(subject: Subject) -> dict[str, Any]:
    return {"pk": subject.case.pk}


def _versioned(**data: Any) -> Callable[[Subject], dict[str, Any]]:
    """POST data with the case's current version (made on first use)."""
    return lambda subject: {"version": subject.version(), **data}


def _app_first(status: int) -> Callable[[User], int]:
    """`status` for a user with an authenticator app (the personas whose role must sign
    in in two steps hold one), 403 for the others."""
    return lambda user: status if second_factor.has_authenticator(user) else 403


ROUTES: dict[str, Route] = {
    "home": Route(SIGNED_IN),
    "health": Route(PUBLIC),
    "set-language": Route(PUBLIC, method="post", data={"language": "en", "next": "/"}),
    "accounts:login": Route(PUBLIC, allowed_status=302),  # a signed-in user is sent home
    "accounts:logout": Route(SIGNED_IN, method="post"),
    "accounts:password-change": Route(SIGNED_IN),
    "accounts:user-list": Route(SIGNED_IN),
    "accounts:user-create": Route(MANAGERS),
    "accounts:user-detail": Route(SCOPED, kwargs=_user),
    "accounts:role-grant": Route(SCOPED, method="post", kwargs=_user, data={"role": "psm", "region_code": ""}),
    "accounts:role-revoke": Route(SCOPED, method="post", kwargs=_assignment, data={"reason": "uji akses"}),
    "accounts:user-password-link": Route(SCOPED, kwargs=_user),
    "accounts:password-link": Route(PUBLIC, kwargs=lambda subject: {"uidb64": "MQ", "token": "bukan-token"}),
    "accounts:password-link-done": Route(PUBLIC),
    "accounts:user-set-active": Route(SCOPED, method="post", kwargs=_user, data={"reason": "uji akses"}),
    "accounts:second-factor": Route(SIGNED_IN),
    "accounts:second-factor-setup": Route(SIGNED_IN),
    "accounts:security": Route(SIGNED_IN),
    # With no codes just made, the page sends to the security page.
    "accounts:recovery-codes": Route(SIGNED_IN, allowed_status=302),
    "accounts:recovery-codes-renew": Route(SIGNED_IN, method="post"),
    # The administrator alone resets; others who see the user get 403.
    "accounts:second-factor-reset": Route(SCOPED, method="post", kwargs=_user),
    # One's own passkey: someone else's (or none) is 404, whoever asks.
    "accounts:passkey-remove": Route(
        SIGNED_IN, method="post", kwargs=lambda subject: {"credential_id": 0}, allowed_status=404
    ),
    # Passkeys (django-otp-webauthn's JSON ceremony); tests/accounts/test_passkeys.py goes through them.
    # Adding one needs the authenticator app first (403 with the reason for the personas,
    # who hold none); the ceremony's second half without its first is 400.
    "otp_webauthn:credential-registration-begin": Route(SIGNED_IN, method="post", allowed_status=_app_first(200)),
    "otp_webauthn:credential-registration-complete": Route(SIGNED_IN, method="post", allowed_status=_app_first(400)),
    "otp_webauthn:credential-authentication-begin": Route(SIGNED_IN, method="post", allowed_status=200),
    "otp_webauthn:credential-authentication-complete": Route(SIGNED_IN, method="post", allowed_status=400),
    "otp_webauthn:js-i18n-catalog": Route(SIGNED_IN),
    "accounts:token-issue": Route(SIGNED_IN, method="post"),
    "notices:list": Route(SIGNED_IN),
    "notices:email-choice": Route(SIGNED_IN, method="post", data={"email_notices": "on"}),
    "accounts:token-revoke": Route(SIGNED_IN, method="post"),
    # The administrator alone revokes another user's token; others who see the user get 403.
    "accounts:user-token-revoke": Route(SCOPED, method="post", kwargs=_user),
    "regions:index": Route(SIGNED_IN),
    "regions:detail": Route(SIGNED_IN, kwargs=lambda subject: {"code": "18.01"}),
    "exports:export-list": Route(SIGNED_IN),
    "exports:export-detail": Route(OWN),
    "exports:export-file": Route(OWN),
    "audit:access-log": Route(MANAGERS),
    "audit:access-log-export": Route(MANAGERS, kwargs=lambda subject: CSV),
    "api-me": Route(SIGNED_IN, api=True),
    "field-app": Route(FIELD),
    "field-manifest": Route(PUBLIC),
    "field-worker": Route(PUBLIC),
    "api-field-download": Route(FIELD, api=True),
    # An empty outbox is refused (400) for a field worker: the route is theirs alone.
    "api-field-outbox": Route(FIELD, api=True, method="post", allowed_status=400),
    # Dinsos operators only; others who see the person get 403.
    "beneficiaries:person-data": Route(SCOPED, kwargs=_person),
    "beneficiaries:subject-requests": Route(MANAGERS),
    "beneficiaries:retention": Route(MANAGERS),
    "beneficiaries:person-restriction": Route(
        SCOPED, method="post", kwargs=_person, data={"note": "Orangnya berkeberatan atas pemrosesan."}
    ),
    "beneficiaries:person-erasure": Route(
        SCOPED, method="post", kwargs=_person, data={"note": "Datang sendiri, minta dihapus.", "confirm": "on"}
    ),
    "beneficiaries:person-legal-hold": Route(
        SCOPED, method="post", kwargs=_person, data={"ground": "Perkara PN Kalianda 12/2026"}
    ),
    # The workers and operators of the person's area; others who see the person get 403.
    "beneficiaries:person-consent": Route(SCOPED, kwargs=_person),
    "person-correct": Route(
        SCOPED,
        api=True,
        method="post",
        kwargs=lambda subject: {"pk": subject.person.pk},
        make_data=lambda subject: {"version": version_of(subject.person), "phone": "081200000000"},
    ),
    "region-list": Route(SIGNED_IN, api=True),
    "region-detail": Route(SIGNED_IN, api=True, kwargs=lambda subject: {"code": "18.01.04"}),
    "user-list": Route(SIGNED_IN, api=True),
    "user-detail": Route(SCOPED, api=True, kwargs=_user_pk),
    "api-schema": Route(SIGNED_IN, api=True),
    "workforce:worker-list": Route(SIGNED_IN),
    "workforce:worker-export": Route(SIGNED_IN, kwargs=lambda subject: CSV),
    "workforce:worker-create": Route(MANAGERS),
    "workforce:worker-detail": Route(SCOPED, kwargs=_worker),
    "workforce:worker-edit": Route(SCOPED, kwargs=_worker),
    "workforce:worker-photo": Route(SCOPED, kwargs=_worker),
    "workforce:engagement-status": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"engagement_id": subject.engagement.pk},
        data={"to_status": "nonaktif", "reason": "meninggal"},
    ),
    "workforce:engagement-assign": Route(
        SCOPED, kwargs=lambda subject: {"engagement_id": subject.tksk.pk}, region=_district
    ),
    "workforce:assignment-evaluate": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"assignment_id": subject.assignment.pk},
        region=_district,
        data={"rating": "baik", "recommend_renewal": "on", "notes": "uji akses"},
    ),
    "workforce:assignment-list": Route(SIGNED_IN),
    "workforce:assignment-end": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"assignment_id": subject.assignment.pk},
        region=_district,
        data={"on": "2026-06-30", "reason": "uji akses"},
    ),
    "workforce:inauguration-list": Route(SIGNED_IN),
    "workforce:inauguration-detail": Route(
        SCOPED, kwargs=lambda subject: {"inauguration_id": subject.inauguration.pk}, region=_regency
    ),
    "reports:inauguration-pdf": Route(
        SCOPED, kwargs=lambda subject: {"inauguration_id": subject.inauguration.pk}, region=_regency
    ),
    "workforce:training-list": Route(SIGNED_IN),
    "workforce:training-export": Route(SIGNED_IN, kwargs=lambda subject: CSV),
    "workforce:training-create": Route(MANAGERS),
    "workforce:training-detail": Route(
        SCOPED, kwargs=lambda subject: {"training_id": subject.training.pk}, region=_regency
    ),
    "workforce:inauguration-create": Route(MANAGERS),
    "workforce:institution-list": Route(SIGNED_IN),
    "workforce:institution-export": Route(SIGNED_IN, kwargs=lambda subject: CSV),
    "workforce:institution-create": Route(MANAGERS),
    "workforce:institution-detail": Route(SCOPED, kwargs=_institution),
    "workforce:institution-edit": Route(
        SCOPED,
        method="post",
        kwargs=_institution,
        make_data=lambda subject: {
            "name": "Diubah",
            "accreditation": "belum",
            "version": version_of(subject.institution),
        },
    ),
    "workforce:institution-status": Route(
        SCOPED, method="post", kwargs=_institution, data={"status": "nonaktif", "reason": "uji akses"}
    ),
    "workforce:quota-list": Route(SIGNED_IN),
    "workforce:quota-export": Route(SIGNED_IN, kwargs=lambda subject: CSV),
    "imports:upload-start": Route(MAPPERS),
    "imports:upload-detail": Route(SCOPED, kwargs=_upload, region=_regency),
    "imports:upload-confirm": Route(SCOPED, method="post", kwargs=_upload, region=_regency),
    "imports:upload-errors": Route(SCOPED, kwargs=_upload, region=_regency),
    "imports:template": Route(SIGNED_IN, kwargs=lambda subject: {"kind": "workers"}),
    "reports:pillar-recap": Route(SIGNED_IN, needs_role=True),
    "reports:pillar-recap-export": Route(SIGNED_IN, kwargs=lambda subject: CSV, needs_role=True),
    "reports:coverage": Route(SIGNED_IN, needs_role=True),
    "reports:coverage-export": Route(SIGNED_IN, kwargs=lambda subject: CSV, needs_role=True),
    "worker-list": Route(SIGNED_IN, api=True),
    "worker-search": Route(SIGNED_IN, api=True, method="post", data={"q": "Siti"}, allowed_status=200),
    "worker-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.engagement.worker_id}),
    "institution-list": Route(SIGNED_IN, api=True),
    "institution-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.institution.pk}),
    "quota-list": Route(SIGNED_IN, api=True),
    "quota-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.quota.pk}, region=_district),
    "training-list": Route(SIGNED_IN, api=True),
    "training-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.training.pk}, region=_regency),
    "api-pillar-recap": Route(SIGNED_IN, api=True, needs_role=True),
    "api-coverage": Route(SIGNED_IN, api=True, needs_role=True),
    "api-docs": Route(SIGNED_IN, api=True),
    "beneficiaries:person-list": Route(SIGNED_IN),
    "beneficiaries:person-export": Route(SIGNED_IN, kwargs=lambda subject: CSV),
    "beneficiaries:transfer-list": Route(MAPPERS),
    "beneficiaries:transfer-request": Route(MAPPERS, method="post", data={"nik": "", "village": "", "reason": ""}),
    "beneficiaries:transfer-decide": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"transfer_id": subject.person_transfer.pk},
        data={"decision": "refuse", "note": "uji akses"},
    ),
    "workforce:transfer-list": Route(MANAGERS),
    "workforce:transfer-request": Route(
        MANAGERS, method="post", data={"nik": "", "kind": "PSM", "region": "", "reason": ""}
    ),
    "workforce:transfer-decide": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"transfer_id": subject.worker_transfer.pk},
        data={"decision": "refuse", "note": "uji akses"},
    ),
    "beneficiaries:person-create": Route(MAPPERS),
    "beneficiaries:person-detail": Route(SCOPED, kwargs=_person),
    "beneficiaries:person-edit": Route(SCOPED, kwargs=_person),
    "beneficiaries:person-move": Route(SCOPED, method="post", kwargs=_person, data={"village": "99.99.99.9999"}),
    "beneficiaries:person-report": Route(SCOPED, method="post", kwargs=_person, data={"category": "PPKS-09"}),
    "beneficiaries:record-status": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"record_id": subject.record.pk},
        data={"to_status": "terverifikasi"},
    ),
    "beneficiaries:verification-queue": Route(VERIFIERS),
    "beneficiaries:duplicates": Route(VERIFIERS),
    "beneficiaries:duplicate-decide": Route(
        SCOPED,
        method="post",
        make_data=lambda subject: {
            "decision": "different",
            "first": subject.person.pk,
            "second": subject.other_person.pk,
        },
    ),
    "beneficiaries:merge-undo": Route(SCOPED, method="post", kwargs=lambda subject: {"merge_id": subject.merge.pk}),
    "beneficiaries:household-detail": Route(
        SCOPED, kwargs=lambda subject: {"household_id": subject.person.household_id}
    ),
    "beneficiaries:household-move": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"household_id": subject.person.household_id},
        data={"village": "99.99.99.9999"},
    ),
    "beneficiaries:household-report": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"household_id": subject.person.household_id},
        data={"category": "PPKS-25"},
    ),
    "reports:ppks-recap": Route(SIGNED_IN, needs_role=True),
    "reports:ppks-recap-export": Route(SIGNED_IN, kwargs=lambda subject: CSV, needs_role=True),
    "api-ppks-recap": Route(SIGNED_IN, api=True, needs_role=True),
    "person-list": Route(SIGNED_IN, api=True),
    "person-search": Route(SIGNED_IN, api=True, method="post", data={"q": "Siti"}, allowed_status=200),
    "person-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.person.pk}),
    "household-list": Route(SIGNED_IN, api=True),
    "household-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.person.household_id}),
    "ppks-list": Route(SIGNED_IN, api=True),
    "ppks-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.record.pk}),
    "cases:case-list": Route(SIGNED_IN),
    "cases:case-export": Route(SIGNED_IN, kwargs=lambda subject: CSV),
    "cases:case-create-person": Route(SCOPED, kwargs=_person),
    "cases:case-create-household": Route(SCOPED, kwargs=lambda subject: {"household_id": subject.person.household_id}),
    "cases:case-detail": Route(SCOPED, kwargs=_case),
    "cases:visit-page": Route(SCOPED, kwargs=_case),
    "cases:visit": Route(
        SCOPED,
        method="post",
        kwargs=_case,
        make_data=lambda subject: {
            "version": subject.version(),
            "happened_on": timezone.localdate().isoformat(),
            "action_taken": "Kunjungan uji akses",
        },
    ),
    "cases:note": Route(SCOPED, method="post", kwargs=_case, make_data=_versioned(text="Catatan uji akses")),
    "cases:correction": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"case_id": subject.case.pk, "event_id": subject.visit.pk},
        make_data=_versioned(text="Koreksi uji akses"),
    ),
    "cases:attachment": Route(
        SCOPED,
        method="post",
        kwargs=_case,
        make_data=lambda subject: {
            "version": subject.version(),
            "file": SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
        },
    ),
    "cases:action": Route(SCOPED, method="post", kwargs=_case, make_data=_versioned(action="take")),
    "cases:reassign": Route(
        SCOPED,
        method="post",
        kwargs=_case,
        make_data=lambda subject: {"version": subject.version(), "assignee": subject.account.pk},
    ),
    "cases:extend": Route(SCOPED, method="post", kwargs=_case, make_data=_versioned(days=7, reason="uji akses")),
    "cases:refer": Route(
        SCOPED,
        method="post",
        kwargs=_case,
        make_data=_versioned(destination_kind="instansi", agency="sekolah", reason="Putus sekolah"),
    ),
    "cases:answer": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"referral_id": subject.referral.pk},
        make_data=_versioned(to_status="diterima"),
    ),
    "cases:attachment-file": Route(SCOPED, kwargs=lambda subject: {"attachment_id": subject.attachment.pk}),
    "cases:notifications": Route(SIGNED_IN),
    "cases:programmes": Route(ADMIN),
    "cases:programme-toggle": Route(
        ADMIN, method="post", kwargs=lambda subject: {"programme_id": Programme.objects.get(code="pkh").pk}
    ),
    "reports:case-recap": Route(SIGNED_IN, needs_role=True),
    "reports:case-recap-export": Route(SIGNED_IN, kwargs=lambda subject: CSV, needs_role=True),
    "api-case-recap": Route(SIGNED_IN, api=True, needs_role=True),
    "case-list": Route(SIGNED_IN, api=True),
    "case-detail": Route(SCOPED, api=True, kwargs=_api_case),
    "case-events": Route(SCOPED, api=True, kwargs=_api_case),
    "case-transition": Route(
        SCOPED, api=True, method="post", kwargs=_api_case, make_data=_versioned(action="escalate", text="Uji akses")
    ),
    "case-referrals": Route(
        SCOPED,
        api=True,
        method="post",
        kwargs=_api_case,
        make_data=_versioned(destination_kind="instansi", agency="puskesmas", reason="Sakit"),
    ),
    "referral-list": Route(SIGNED_IN, api=True),
    "referral-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.referral.pk}),
    "referral-answer": Route(
        SCOPED,
        api=True,
        method="post",
        kwargs=lambda subject: {"pk": subject.referral.pk},
        make_data=_versioned(to_status="ditolak", answer="Uji akses"),
    ),
    "activities:activity-list": Route(SIGNED_IN),
    "activities:activity-export": Route(SIGNED_IN, kwargs=lambda subject: CSV),
    "activities:activity-create": Route(RECORDERS),
    "activities:activity-detail": Route(SCOPED, kwargs=lambda subject: {"activity_id": subject.activity.pk}),
    "activities:activity-edit": Route(
        SCOPED,
        method="post",
        kwargs=lambda subject: {"activity_id": subject.activity.pk},
        make_data=lambda subject: {
            "kind": "bimbingan_sosial",
            "title": "Diubah",
            "held_on": timezone.localdate().isoformat(),
            "region": subject.code,
            "men": 1,
            "women": 1,
            "version": version_of(subject.activity),
        },
    ),
    "activities:activity-photo": Route(SCOPED, kwargs=lambda subject: {"photo_id": subject.activity_photo.pk}),
    "activities:report-list": Route(SIGNED_IN),
    "activities:report-status-export": Route(SUPERVISORS, kwargs=lambda subject: CSV),
    "activities:letterhead": Route(OFFICES),
    "activities:report-detail": Route(SCOPED, kwargs=lambda subject: subject.report_kwargs()),
    "activities:report-review": Route(
        SCOPED, method="post", kwargs=lambda subject: subject.report_kwargs(), data={"decision": "approve"}
    ),
    "activities:report-download": Route(
        SCOPED, kwargs=lambda subject: {**subject.report_kwargs(), "file_format": "xlsx"}
    ),
    "activity-list": Route(SIGNED_IN, api=True),
    "activity-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.activity.pk}),
    "monthly-report-list": Route(SIGNED_IN, api=True),
    "monthly-report-detail": Route(SCOPED, api=True, kwargs=lambda subject: {"pk": subject.report.pk}),
    "reports:dashboard": Route(SIGNED_IN, needs_role=True),
    "reports:dashboard-pdf": Route(SIGNED_IN, needs_role=True),
    "reports:map": Route(SIGNED_IN, needs_role=True),
}
