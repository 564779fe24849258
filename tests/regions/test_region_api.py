import pytest

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row["code"] for row in response.json()["results"]]


def test_list_uses_the_standard_page_shape(api_for) -> None:  # type: ignore[no-untyped-def]
    body = api_for("psm_a").get("/api/v1/regions/", {"level": 1}).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert body["results"][0] == {
        "code": "17",
        "name": "Bengkulu",
        "level": 1,
        "kind": "provinsi",
        "parent": None,
        "is_active": True,
    }


def test_filters_by_level_parent_and_name(api_for) -> None:  # type: ignore[no-untyped-def]
    api = api_for("tksk")

    assert codes(api.get("/api/v1/regions/", {"parent": "18.01.04"})) == ["18.01.04.2001", "18.01.04.2002"]
    assert codes(api.get("/api/v1/regions/", {"level": 3, "parent": "18.01"})) == ["18.01.04", "18.01.05"]
    assert codes(api.get("/api/v1/regions/", {"q": "sidosári"})) == ["18.01.04.2002"]


def test_detail_by_dotted_code(api_for) -> None:  # type: ignore[no-untyped-def]
    response = api_for("psm_a").get("/api/v1/regions/18.01.04.2001/")

    assert response.status_code == 200
    assert response.json()["parent"] == "18.01.04"


def test_bad_level_filter_is_a_clear_400(api_for) -> None:  # type: ignore[no-untyped-def]
    response = api_for("psm_a").get("/api/v1/regions/", {"level": 9})

    assert response.status_code == 400
    assert "level" in response.json()
