"""Demo cases in kecamatan Natar, made through the same services as the pages by the
demo accounts that would act: cases at every level (village up to the ministry) and
in every status, with visits, referrals and their answers, escalations, a return, a
sensitive case and an overdue one."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from pilar.accounts.models import User
from pilar.beneficiaries.models import Person, PpksRecord, PpksStatus
from pilar.cases import services
from pilar.cases.models import Case, Outcome, Priority, Programme
from pilar.workforce.kinds import InstitutionKind
from pilar.workforce.models import Institution

HAJIMENA, SIDOSARI = "18.01.04.2001", "18.01.04.2002"


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _people(village: str) -> list[Person]:
    return list(
        Person.objects.filter(village_id=village, merged_into__isnull=True, ppks_records__isnull=False)
        .exclude(ppks_records__status=PpksStatus.REJECTED)
        .distinct()
        .order_by("pk")
    )


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


class Story:
    """One demo case, told step by step; each step is based on the case as it is now."""

    def __init__(self, person: Person, by: User, summary: str, **options: Any) -> None:
        records = list(PpksRecord.objects.filter(person=person).exclude(status=PpksStatus.REJECTED))
        self.case = services.open_case(person=person, summary=summary, records=records, acting_user=by, **options)

    def visit(
        self, by: User, text: str, next_step: str = "", days_ago: int = 0, next_in_days: int | None = None
    ) -> Story:
        case = _fresh(self.case)
        today = timezone.localdate()
        services.record_visit(
            case,
            expected_version=case.version,
            happened_on=today - datetime.timedelta(days=days_ago),
            place="Rumah yang bersangkutan",
            action_taken=text,
            next_step=next_step,
            next_visit_on=today + datetime.timedelta(days=next_in_days) if next_in_days is not None else None,
            acting_user=by,
        )
        return self

    def act(self, action: str, by: User, text: str = "", outcome: str = "") -> Story:
        case = _fresh(self.case)
        services.perform(case, action, expected_version=case.version, text=text, outcome=outcome, acting_user=by)
        return self

    def refer(
        self,
        by: User,
        reason: str,
        answers: tuple[tuple[str, str], ...] = (),
        answered_by: User | None = None,
        **destination: Any,
    ) -> Story:
        """Send a referral; its answers are recorded by `answered_by` (never the sender)."""
        case = _fresh(self.case)
        referral = services.refer_case(
            case, expected_version=case.version, reason=reason, acting_user=by, **destination
        )
        for to_status, answer in answers:
            case = _fresh(self.case)
            services.answer_referral(
                referral, expected_version=case.version, to_status=to_status, answer=answer, acting_user=answered_by
            )
        return self


@transaction.atomic
def ensure_demo_cases() -> bool:
    """Create the demo cases unless there are cases already; True when created."""
    if Case.objects.exists():
        return False
    hajimena, sidosari = _people(HAJIMENA), _people(SIDOSARI)
    if len(hajimena) < 7 or len(sidosari) < 4:
        return False
    psm_a, psm_b = _user("psm.hajimena"), _user("psm.sidosari")
    tksk, regency = _user("tksk.natar"), _user("dinsos.lampungselatan")
    province, ministry = _user("dinsos.lampung"), _user("kemensos")
    lks = Institution.objects.active().filter(kind=InstitutionKind.LKS, region__code__startswith="18.").first()
    # Seeded by a migration; made again if an administrator removed it (or a test flushed it).
    pkh, _created = Programme.objects.get_or_create(code="pkh", defaults={"name": "PKH (Program Keluarga Harapan)"})

    # Village level: just opened and overdue (transcribed from a notebook three weeks late).
    Story(
        hajimena[0],
        psm_a,
        "Lansia tinggal sendiri, sering tidak makan teratur.",
        needs="Pendampingan harian, bantuan permakanan",
        opened_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    # Village level, being handled, with two visits.
    Story(
        hajimena[1],
        psm_a,
        "Keluarga tanpa penghasilan tetap setelah kepala keluarga sakit.",
        opened_on=timezone.localdate() - datetime.timedelta(days=10),
    ).act("take", psm_a).visit(psm_a, "Wawancara keluarga, cek kartu KIS.", "Ajukan ke PKH", days_ago=3).visit(
        psm_a, "Membantu melengkapi dokumen.", "Tunggu verifikasi desa"
    )
    # Referred: to an LKS (accepted) and to Dukcapil for a missing NIK (sent).
    referred = Story(hajimena[2], psm_a, "Anak terlantar tinggal bersama nenek, belum punya akta dan NIK.")
    referred.visit(psm_a, "Kunjungan rumah bersama kepala dusun.", "Rujuk ke LKS anak dan Dukcapil", next_in_days=3)
    if lks is not None:
        referred.refer(
            psm_a,
            "Butuh pengasuhan dan pendidikan",
            answers=(("diterima", "Anak diterima mulai bulan depan"),),
            answered_by=tksk,
            destination_kind="lembaga",
            institution=lks,
        )
    referred.refer(
        psm_a, "Belum memiliki NIK", destination_kind="instansi", agency="dukcapil", destination_name="Disdukcapil"
    )
    # Escalated to the kecamatan, waiting for the TKSK.
    Story(hajimena[3], psm_a, "Rumah rusak berat setelah angin kencang, keluarga mengungsi ke tetangga.").visit(
        psm_a, "Foto kerusakan dan data anggota keluarga."
    ).act("escalate", psm_a, "Butuh bantuan RS-RTLH di luar kemampuan desa")
    # The whole chain, closed: village -> kecamatan -> regency, closed by the regency.
    Story(hajimena[4], psm_a, "Lansia dengan disabilitas fisik, perlu kursi roda.").visit(
        psm_a, "Pengukuran kebutuhan alat bantu."
    ).refer(
        psm_a,
        "Keluarga sangat miskin",
        answers=(("diterima", "Masuk usulan"), ("selesai", "Sudah menerima bantuan tahap 1")),
        answered_by=tksk,
        destination_kind="program",
        programme=pkh,
    ).act("escalate", psm_a, "Kursi roda tidak tersedia di desa").act(
        "escalate", tksk, "Pengadaan alat bantu oleh Dinsos kabupaten"
    ).act("take", regency).act("close", regency, "Kursi roda diserahkan", outcome=Outcome.SOLVED)
    # Returned down to the village with an instruction.
    Story(sidosari[0], psm_b, "Remaja putus sekolah, bekerja serabutan.").act(
        "escalate", psm_b, "Butuh beasiswa, desa tidak punya anggaran"
    ).act("take", tksk).act("return", tksk, "Daftarkan dulu ke PIP melalui sekolah terdekat, lalu laporkan")
    # Up to the ministry: village -> kecamatan -> regency -> province -> ministry.
    Story(sidosari[1], psm_b, "Korban perdagangan orang, dipulangkan dari luar negeri.", priority=Priority.URGENT).act(
        "escalate", psm_b, "Perlu rehabilitasi di balai"
    ).act("escalate", tksk, "Di luar kewenangan kecamatan").act("take", regency).act(
        "escalate", regency, "Balai rehabilitasi di bawah provinsi"
    ).act("take", province).act("escalate", province, "Perlu koordinasi lintas negara").act("take", ministry)
    # Held by the province.
    Story(sidosari[2], psm_b, "Penyandang disabilitas mental dipasung keluarga.", priority=Priority.HIGH).act(
        "escalate", psm_b, "Perlu penanganan medis dan rehabilitasi"
    ).act("escalate", tksk, "Butuh rumah sakit jiwa rujukan").act("escalate", regency, "Rujukan ke RSJ provinsi").act(
        "take", province
    )
    # Opened and held by the regency office, for a person of another village of Natar.
    elsewhere = (
        Person.objects.filter(village__code__startswith="18.01.04.", ppks_records__status=PpksStatus.VERIFIED)
        .exclude(village__code__in=[HAJIMENA, SIDOSARI])
        .order_by("pk")
        .first()
    )
    if elsewhere is not None:
        Story(elsewhere, regency, "Pengaduan warga lewat kantor Dinsos: lansia butuh layanan panti.").act(
            "take", regency
        ).visit(regency, "Asesmen oleh pekerja sosial Dinsos.", "Cari tempat di LKS lansia")
    # Opened by the TKSK, sensitive: violence against a child.
    Story(
        sidosari[3],
        tksk,
        "Dugaan kekerasan terhadap anak oleh anggota keluarga.",
        needs="Perlindungan, pendampingan psikologis",
        priority=Priority.URGENT,
        is_sensitive=True,
    ).act("take", tksk).refer(tksk, "Pendampingan hukum dan psikologis", destination_kind="instansi", agency="uptd_ppa")
    # Resolved by the TKSK (not yet closed), and one closed then reopened.
    Story(hajimena[5], tksk, "Keluarga rentan pasca banjir.").act("take", tksk).act(
        "resolve", tksk, "Bantuan logistik dan perbaikan rumah selesai"
    )
    Story(hajimena[6], tksk, "Lansia terlantar, keluarga tidak diketahui.").act("take", tksk).act(
        "close", tksk, "Keluarga ditemukan", outcome=Outcome.SOLVED
    ).act("reopen", tksk, "Keluarga kembali menelantarkan")
    return True
