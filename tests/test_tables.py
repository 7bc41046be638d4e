"""The data tables agree with each other and with DOMAIN.md §2."""

from sp_builder import tables


def test_fourteen_components_in_document_order():
    labels = [c.label for c in tables.components()]
    assert len(labels) == 14
    assert labels[:6] == ["Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Jangka Waktu Pelayanan",
                          "Biaya/Tarif", "Produk Pelayanan", "Penanganan Pengaduan, Saran, dan Masukan"]
    assert labels[6] == "Dasar Hukum" and labels[13] == "Evaluasi Kinerja Pelaksana"
    assert [c.nomor for c in tables.components()] == list(range(1, 15))
    assert len(tables.components_of("penyampaian")) == 6 and len(tables.components_of("pengelolaan")) == 8


def test_cerberus_schema_lists_exactly_the_components_of_each_part():
    schema = tables.load_data("layanan.schema.yaml")
    for part in ("penyampaian", "pengelolaan"):
        keys = set(schema[part]["schema"]) - {"bagan_alir"}
        assert keys == {c.key for c in tables.components_of(part)}


def test_vulnerable_group_facilities_the_13_of_se_66_2020_and_pekppps_fourteenth():
    names = [name for name, _ in tables.vulnerable_facilities()]
    assert len(names) == 14
    assert "Ruang laktasi" in names and "Guiding block" in names and names[-1] == "Petugas pemandu/pendamping"
    assert tables.assessment()["tangga"]["sarana_rentan"][0] == {"paling_sedikit": 13, "nilai": 5}
