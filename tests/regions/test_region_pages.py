import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_index_lists_provinces_with_their_regency_counts(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("psm_a").get("/wilayah/")

    assert response.status_code == 200
    provinces = [(region.code, region.children_count) for region in response.context["children"]]
    assert provinces == [("17", 1), ("18", 2)]


def test_detail_shows_ancestors_and_children_with_counts(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("psm_a").get("/wilayah/18.01/")

    assert response.status_code == 200
    assert [region.code for region in response.context["ancestors"]] == ["18"]
    assert [(child.code, child.children_count) for child in response.context["children"]] == [
        ("18.01.04", 2),
        ("18.01.05", 1),
    ]


def test_village_page_has_no_children(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("psm_a").get("/wilayah/18.01.04.2001/")

    assert response.status_code == 200
    assert [region.code for region in response.context["ancestors"]] == ["18", "18.01", "18.01.04"]
    assert response.context["children"] == []


def test_unknown_code_is_404(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("psm_a").get("/wilayah/99.99/").status_code == 404


@pytest.mark.parametrize("query", ["hajimena", "HAJIMENA", "Hâjiména", "  haji  "])
def test_search_is_case_and_accent_insensitive(client_for, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("psm_a").get("/wilayah/", {"q": query})

    assert [region.code for region in response.context["page"].object_list] == ["18.01.04.2001"]


def test_anonymous_visitor_is_sent_to_login(regions: None) -> None:
    response = Client().get("/wilayah/")

    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/wilayah/"
