"""The kinds of pillar (PSKS) Pilar registers, the statuses of a worker, and the
lifecycle table. `data/psks_types.csv` is the official list these codes cover."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pilar.regions.models import RegionLevel


class WorkerKind(models.TextChoices):
    """The PSKS that are persons."""

    PSM = "PSM", _("PSM (Pekerja Sosial Masyarakat)")
    TKSK = "TKSK", _("TKSK (Tenaga Kesejahteraan Sosial Kecamatan)")
    TAGANA = "TAGANA", _("Tagana (Taruna Siaga Bencana)")
    PEKSOS = "PEKSOS", _("Pekerja Sosial Profesional")
    PENYULUH = "PENYULUH", _("Penyuluh Sosial")
    WPKS = "WPKS", _("WPKS (Wanita Pemimpin Kesejahteraan Sosial)")
    KELUARGA_PIONER = "KELUARGA_PIONER", _("Keluarga Pioner")


class InstitutionKind(models.TextChoices):
    """The PSKS that are organisations."""

    KARANG_TARUNA = "KARANG_TARUNA", _("Karang Taruna")
    LKS = "LKS", _("LKS (Lembaga Kesejahteraan Sosial)")
    LK3 = "LK3", _("LK3 (Lembaga Konsultasi Kesejahteraan Keluarga)")
    WKSBM = "WKSBM", _("WKSBM (Wahana Kesejahteraan Sosial Berbasis Masyarakat)")
    DUNIA_USAHA = "DUNIA_USAHA", _("Dunia Usaha (business doing social welfare work)")


def short_name(kind: str) -> str:
    """ "PSM (Pekerja Sosial Masyarakat)" -> "PSM": what tiles and column titles show."""
    labels = dict([*WorkerKind.choices, *InstitutionKind.choices])
    return str(labels.get(kind, kind)).split(" (")[0]


# The PSKS code of the official list behind each kind.
PSKS_CODES = {
    WorkerKind.PEKSOS: "PSKS-01",
    WorkerKind.PSM: "PSKS-02",
    WorkerKind.TAGANA: "PSKS-03",
    InstitutionKind.LKS: "PSKS-04",
    InstitutionKind.KARANG_TARUNA: "PSKS-05",
    InstitutionKind.LK3: "PSKS-06",
    WorkerKind.KELUARGA_PIONER: "PSKS-07",
    InstitutionKind.WKSBM: "PSKS-08",
    WorkerKind.WPKS: "PSKS-09",
    WorkerKind.PENYULUH: "PSKS-10",
    WorkerKind.TKSK: "PSKS-11",
    InstitutionKind.DUNIA_USAHA: "PSKS-12",
}

# Where a worker of each kind serves: a PSM serves a village (Permensos 10/2019), a
# TKSK a kecamatan (Permensos 28/2018); the others serve wherever their office is,
# from a village up to a regency/city.
WORKER_REGION_LEVELS: dict[str, frozenset[int]] = {
    WorkerKind.PSM: frozenset({RegionLevel.VILLAGE}),
    WorkerKind.TKSK: frozenset({RegionLevel.DISTRICT}),
}
DEFAULT_REGION_LEVELS = frozenset({RegionLevel.REGENCY, RegionLevel.DISTRICT, RegionLevel.VILLAGE})


def worker_region_levels(kind: str) -> frozenset[int]:
    return WORKER_REGION_LEVELS.get(kind, DEFAULT_REGION_LEVELS)


class WorkerStatus(models.TextChoices):
    CANDIDATE = "calon", _("Candidate")
    TRAINED = "terlatih", _("Trained")
    ACTIVE = "aktif", _("Active")
    INACTIVE = "nonaktif", _("Inactive")


# The lifecycle. A candidate who drops out, or a trained worker never confirmed,
# becomes inactive too; an inactive worker comes back only through a new decree.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    WorkerStatus.CANDIDATE: frozenset({WorkerStatus.TRAINED, WorkerStatus.ACTIVE, WorkerStatus.INACTIVE}),
    WorkerStatus.TRAINED: frozenset({WorkerStatus.ACTIVE, WorkerStatus.INACTIVE}),
    WorkerStatus.ACTIVE: frozenset({WorkerStatus.INACTIVE}),
    WorkerStatus.INACTIVE: frozenset({WorkerStatus.ACTIVE}),
}


class InactiveReason(models.TextChoices):
    RESIGNED = "mengundurkan_diri", _("Resigned (mengundurkan diri)")
    DIED = "meninggal", _("Died (meninggal)")
    MOVED = "pindah_domisili", _("Moved away (pindah domisili)")
    DISMISSED = "diberhentikan", _("Dismissed (diberhentikan)")
    TERM_ENDED = "masa_tugas_berakhir", _("Term ended (masa tugas berakhir)")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("No schooling")
    SD = "SD", _("SD (primary)")
    SMP = "SMP", _("SMP (junior secondary)")
    SMA = "SMA", _("SMA/SMK (senior secondary)")
    D3 = "D3", _("Diploma")
    S1 = "S1", _("S1 (bachelor)")
    S2 = "S2", _("S2 (master)")
    S3 = "S3", _("S3 (doctorate)")


class TrainingKind(models.TextChoices):
    BASIC = "dasar", _("Bimtek dasar (basic)")
    ADVANCED = "lanjutan", _("Bimtek lanjutan (advanced)")


# Basic training is given by the regency/city office, advanced training by the province.
TRAINING_ORGANISER_LEVEL = {TrainingKind.BASIC: RegionLevel.REGENCY, TrainingKind.ADVANCED: RegionLevel.PROVINCE}


class Accreditation(models.TextChoices):
    A = "A", _("A (excellent)")
    B = "B", _("B (good)")
    C = "C", _("C (fair)")
    NONE = "belum", _("Not yet accredited")


class InstitutionStatus(models.TextChoices):
    ACTIVE = "aktif", _("Active")
    INACTIVE = "nonaktif", _("Inactive")


class EvaluationRating(models.TextChoices):
    VERY_GOOD = "sangat_baik", _("Very good")
    GOOD = "baik", _("Good")
    FAIR = "cukup", _("Fair")
    POOR = "kurang", _("Poor")


class ChangeSource(models.TextChoices):
    # Read after the change on a timeline: "Aktif · 2 Des 2026 · lewat pengukuhan".
    PAGE = "halaman", _("through a page")
    IMPORT = "impor", _("through an import")
    TRAINING = "bimtek", _("through a training")
    INAUGURATION = "pengukuhan", _("through a pengukuhan")
    ASSIGNMENT = "penugasan", _("through an assignment")
    API = "api", _("through the API")
    COMMAND = "perintah", _("through the command line")
