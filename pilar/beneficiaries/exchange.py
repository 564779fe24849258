"""The file format of people and their PPKS types: the columns that `pilar import
people` reads and the people export writes (so an export can be corrected and
imported again)."""

COLUMNS = [
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "kode_wilayah",
    "alamat",
    "kategori_ppks",
    "telepon",
]
REQUIRED = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "kode_wilayah", "kategori_ppks"]
EXAMPLE = [
    "1801045507150003",
    "1801040101100001",
    "Siti Aminah",
    "P",
    "Natar",
    "2015-07-15",
    "18.01.04.2001",
    "Dusun II RT 003",
    "PPKS-02; PPKS-24",
    "081234567890",
]
