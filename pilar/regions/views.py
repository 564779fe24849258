from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pilar.regions.models import Region, RegionLevel

SEARCH_PAGE_SIZE = 50


def region_index(request: HttpRequest) -> HttpResponse:
    """The provinces, or the regions whose name matches `q`."""
    query = request.GET.get("q", "").strip()
    if query:
        matches = Region.objects.active().search(query).order_by("level", "code").select_related("parent")
        page = Paginator(matches, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "regions/search.html", {"query": query, "page": page})
    provinces = Region.objects.active().filter(level=RegionLevel.PROVINCE).with_children_count()
    return render(request, "regions/index.html", {"children": provinces})


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    children = region.children.active().with_children_count() if region.level < RegionLevel.VILLAGE else []
    return render(
        request,
        "regions/detail.html",
        {"region": region, "ancestors": region.ancestors(), "children": children},
    )
