"""Pages of the PPKS registry: people, households, PPKS records, the TKSK's
verification queue and the review of probable duplicates.

People and records outside the viewer's region are 404. Changes go through
`services`, which refuse (403) what the viewer's role may not do. Every list, search,
detail and export of people is written to the access log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries import listing, merges, policy, services
from pilar.beneficiaries.duplicates import probable_duplicates
from pilar.beneficiaries.forms import (
    MoveForm,
    NewPersonForm,
    PeopleFilterForm,
    PersonCorrectionForm,
    ReportForm,
    StatusForm,
)
from pilar.beneficiaries.models import ALLOWED_MOVES, Household, Merge, Person, PpksRecord, PpksStatus
from pilar.beneficiaries.ppks import PPKS_TYPES
from pilar.core.http import AuthenticatedHttpRequest, parse_id, parse_ids
from pilar.core.identity import mask_nik
from pilar.core.once import once_per_key
from pilar.core.scoping import subtree
from pilar.core.search import redirect_to_sealed
from pilar.core.tabular import EXPORT_FORMATS
from pilar.core.versions import StaleVersion
from pilar.core.views import edit_version, stale_edit
from pilar.exports.services import deliver
from pilar.regions.models import Region

PAGE_SIZE = 50
QUEUE_SIZE = 25  # a phone's screenful or two; the action bar stays under the thumb
QUEUE_VILLAGES = 500


def shown_nik(request: AuthenticatedHttpRequest, nik: str | None) -> str:
    return listing.shown_nik(request.user, nik)


def add_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def filtered_people(request: AuthenticatedHttpRequest) -> tuple[PeopleFilterForm, QuerySet[Person]]:
    return listing.filter_people(request.user, request.GET)


def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":  # the search form: the NIK or name stays out of the URL
        return redirect_to_sealed(request)
    form, people = filtered_people(request)
    # Plain values, not model instances: the village list must render fast on the
    # server and stay small on the wire (a village holds a few hundred people).
    # (No join in the list query: it would stay in the page count too.)
    page = Paginator(people.values_list("pk", "nik", "full_name", "village_id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = [pk for pk, _nik, _name, _village in page.object_list]
    villages = dict(
        Region.objects.filter(code__in={village for _pk, _nik, _name, village in page.object_list}).values_list(
            "code", "name"
        )
    )
    records: dict[int, list[tuple[str, str, str]]] = {pk: [] for pk in ids}
    for person_id, category, status in (
        PpksRecord.objects.filter(person_id__in=ids).order_by("category").values_list("person_id", "category", "status")
    ):
        records[person_id].append((status, category[5:], PPKS_TYPES[category].name))
    record_request(
        request,
        model=Person,
        ids=ids,
    )
    detail = reverse("beneficiaries:person-detail", args=[0]).removesuffix("0/")
    full_nik = policy.can_see_full_nik(request.user)
    rows = [
        {
            "href": f"{detail}{pk}/",
            "name": name,
            "nik": (nik if full_nik else mask_nik(nik)) if nik else "",
            "village": villages[village],
            "records": records[pk],
        }
        for pk, nik, name, village in page.object_list
    ]
    return render(
        request,
        "beneficiaries/person_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_map": policy.maps_somewhere(request.user),
            "can_verify": policy.verifies_somewhere(request.user),
            "export_formats": EXPORT_FORMATS,
        },
    )


def person_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """A small list is written at once; a large one (a province) by a background job,
    whose page shows when the file is ready."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    table = listing.people_table(request.user, request.GET)
    return deliver(request, table, export_format, kind="people", back=reverse("beneficiaries:person-list"))


@once_per_key("beneficiaries.person-create")
def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.maps_somewhere(request.user):
        raise PermissionDenied(_("Your role does not map PPKS."))
    form = NewPersonForm(request.POST or None, initial={"legal_basis": "tugas_publik"}, user=request.user)
    existing = transfer = None
    if request.method == "POST" and form.is_valid():
        try:
            person = services.register_person(
                services.PersonData.from_form(form.cleaned_data),
                categories=form.cleaned_data["categories"],
                conditions=form.cleaned_data["conditions"],
                checklists=form.checklists(),
                acting_user=request.user,
            )
        except services.DuplicateNik as error:
            if error.visible:
                existing = error.existing
            else:
                # Nothing of the person is shown; who tried is logged, and a transfer may be asked for.
                record_request(request, action=AccessAction.SEARCH, model=Person, ids=[error.existing.pk])
                transfer = {"nik": form.cleaned_data["nik"], "village": form.cleaned_data["village"].code}
            add_errors(form, error)
        except services.FamilyCardElsewhere as error:
            record_request(request, action=AccessAction.SEARCH, model=Household, ids=[error.household.pk])
            form.add_error("family_card", error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            return redirect("beneficiaries:person-detail", person.pk)
    context = {"form": form, "existing": existing, "transfer": transfer, "person": None}
    return render(request, "beneficiaries/person_form.html", context)


def visible_person(request: AuthenticatedHttpRequest, person_id: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("village", "household"), pk=person_id
    )


def person_detail(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request, person_id)
    record_request(request, action=AccessAction.VIEW, model=Person, ids=[person.pk])
    records = list(person.ppks_records.prefetch_related("events").select_related("reported_by").order_by("category"))
    can_map = policy.can_map(request.user, person.village_id)
    can_verify = policy.can_verify(request.user, person.village_id)
    actions = {
        record.pk: [
            PpksStatus(status)
            for status in ALLOWED_MOVES[record.status]
            if (can_verify if status in (PpksStatus.VERIFIED, PpksStatus.REJECTED) else can_map)
        ]
        for record in records
    }
    return render(
        request,
        "beneficiaries/person_detail.html",
        {
            "person": person,
            "nik": shown_nik(request, person.nik),
            "records": [(record, actions[record.pk]) for record in records],
            "members": (
                Person.objects.visible_to(request.user).filter(household=person.household).select_related("village")
                if person.household
                else []
            ),
            "history": person.history.select_related("history_user").order_by("-history_date")[:20],
            "moves": person.moves.select_related("from_village", "to_village").order_by("-at"),
            "can_map": can_map,
            "report_form": ReportForm(),
            "move_form": MoveForm(),
            "merges": [
                (merge, merges.can_undo(request.user, merge))
                for merge in person.merges.filter(undone_at__isnull=True)
                .select_related("merged", "acting_user", "survivor")
                .order_by("-at")
            ],
        },
    )


def person_edit(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request, person_id)
    if not policy.can_map(request.user, person.village_id):
        raise PermissionDenied(_("You do not work in this village."))
    initial = {name: getattr(person, name) for name in services.PersonData.__dataclass_fields__}
    initial["village"] = person.village_id
    initial["nik"] = person.nik or ""
    initial["guardian_nik"] = person.guardian.nik if person.guardian else ""
    form = PersonCorrectionForm(request.POST or None, initial=initial, user=request.user)
    version = edit_version(request, person)
    context = {"form": form, "person": person, "existing": None, "version": version}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                person,
                services.PersonData.from_form(form.cleaned_data),
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=version,
            )
        except StaleVersion as stale:
            return stale_edit(request, "beneficiaries/person_form.html", context, form=form, current=stale.current)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("beneficiaries:person-detail", person.pk)
    record_request(request, action=AccessAction.VIEW, model=Person, ids=[person.pk])
    return render(request, "beneficiaries/person_form.html", context)


def _apply(request: AuthenticatedHttpRequest, action: Any, success: str) -> bool:
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@require_POST
def record_status(request: AuthenticatedHttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(PpksRecord.objects.visible_to(request.user), pk=record_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        _apply(
            request,
            lambda: services.change_status(
                record, form.cleaned_data["to_status"], reason=form.cleaned_data["reason"], acting_user=request.user
            ),
            _("Status changed."),
        )
    back = request.POST.get("next", "")
    if back == "queue":
        return redirect("beneficiaries:verification-queue")
    if record.person_id:
        return redirect("beneficiaries:person-detail", record.person_id)
    return redirect("beneficiaries:household-detail", record.household_id)


class QueueFilters:
    """The verification queue's filters (`desa`, `jenis`, `sejak`) as sent in the URL;
    anything unknown is left out rather than refused."""

    def __init__(self, params: Any) -> None:
        self.village = str(params.get("desa", "")).strip()
        self.category = str(params.get("jenis", "")).strip()
        self.since = parse_date_or_none(str(params.get("sejak", "")).strip())
        if self.category not in PPKS_TYPES:
            self.category = ""

    def apply(self, records: QuerySet[PpksRecord]) -> QuerySet[PpksRecord]:
        if self.village:
            records = records.filter(region_id=self.village)
        if self.category:
            records = records.filter(category=self.category)
        if self.since:
            records = records.filter(reported_at__date__gte=self.since)
        return records


def parse_date_or_none(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def verification_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The records of the viewer's area waiting for verification, oldest first, by
    village, type and date of mapping, a phone's page at a time."""
    if not policy.verifies_somewhere(request.user):
        raise PermissionDenied(_("Only the TKSK or the social office verifies PPKS records."))
    all_waiting = (
        PpksRecord.objects.visible_to(request.user)
        .filter(status=PpksStatus.REPORTED)
        .exclude(reported_by=request.user)  # one's own records wait for another verifier
    )
    filters = QueueFilters(request.GET)
    waiting = (
        filters.apply(all_waiting)
        .select_related("person", "household", "region", "reported_by")
        .order_by("reported_at", "pk")
    )
    if request.method == "POST":
        chosen = parse_ids(request.POST.getlist("record"))
        to_status = request.POST.get("to_status", "")
        records = list(waiting.filter(pk__in=chosen))
        if not records or to_status not in (PpksStatus.VERIFIED, PpksStatus.REJECTED):
            messages.error(request, _("Choose records and an action."))
        else:
            _apply(
                request,
                lambda: services.change_statuses(
                    records, to_status, reason=request.POST.get("reason", ""), acting_user=request.user
                ),
                _("%(count)s records are now %(status)s.")
                % {"count": len(records), "status": PpksStatus(to_status).label.lower()},
            )
        return redirect(request.get_full_path())  # the same filters and page
    page = Paginator(waiting, QUEUE_SIZE).get_page(request.GET.get("page"))
    record_request(
        request,
        action=AccessAction.VIEW,
        model=PpksRecord,
        ids=(record.pk for record in page.object_list),
    )
    record_request(
        request,
        action=AccessAction.VIEW,
        model=Person,
        ids=sorted({record.person_id for record in page.object_list if record.person_id is not None}),
    )
    villages = (
        Region.objects.filter(code__in=all_waiting.values("region_id"))
        .order_by("name", "code")
        .values_list("code", "name")
    )
    context = {"page": page, "filters": filters, "villages": list(villages[:QUEUE_VILLAGES]), "categories": PPKS_TYPES}
    return render(request, "beneficiaries/verification_queue.html", context)


def duplicate_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.verifies_somewhere(request.user):
        raise PermissionDenied(_("Only the TKSK or the social office reviews duplicates."))
    people = Person.objects.visible_to(request.user)
    region = request.GET.get("region", "").strip()
    if region:
        people = people.filter(subtree("village__code", region))
    candidates = probable_duplicates(people)[:100]
    record_request(
        request,
        action=AccessAction.VIEW,
        model=Person,
        ids=[pk for candidate in candidates for pk in (candidate.first.pk, candidate.second.pk)],
    )
    rows = [
        (candidate, shown_nik(request, candidate.first.nik), shown_nik(request, candidate.second.nik))
        for candidate in candidates
    ]
    return render(request, "beneficiaries/duplicates.html", {"rows": rows, "region": region})


@require_POST
def merge_undo(request: AuthenticatedHttpRequest, merge_id: int) -> HttpResponse:
    """Undo a merge: both people as they were before it."""
    visible = Person.objects.visible_to(request.user)
    merge = get_object_or_404(Merge.objects.filter(survivor__in=visible, merged__in=visible), pk=merge_id)
    _apply(
        request,
        lambda: merges.undo_merge(merge, acting_user=request.user),
        _("The merge was undone: %(merged)s is a person of their own again.") % {"merged": merge.merged.full_name},
    )
    return redirect("beneficiaries:person-detail", merge.survivor_id)


@require_POST
def duplicate_decide(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = Person.objects.visible_to(request.user).current()
    first = get_object_or_404(visible, pk=parse_id(request.POST.get("first")) or 0)
    second = get_object_or_404(visible, pk=parse_id(request.POST.get("second")) or 0)
    if request.POST.get("decision") == "merge":
        _apply(
            request,
            lambda: merges.merge_people(first, second, acting_user=request.user),
            _("%(merged)s was merged into %(survivor)s.") % {"merged": second.full_name, "survivor": first.full_name},
        )
    else:
        _apply(
            request,
            lambda: services.mark_not_duplicate(first, second, acting_user=request.user),
            _("Recorded: %(first)s and %(second)s are two people.")
            % {"first": first.full_name, "second": second.full_name},
        )
    return redirect("beneficiaries:duplicates")


def household_detail(request: AuthenticatedHttpRequest, household_id: int) -> HttpResponse:
    household = get_object_or_404(Household.objects.visible_to(request.user).select_related("village"), pk=household_id)
    members = list(
        Person.objects.visible_to(request.user)
        .filter(household=household)
        .select_related("village")
        .order_by("household_relation", "full_name")
    )
    record_request(
        request,
        action=AccessAction.VIEW,
        model=Person,
        ids=[member.pk for member in members],
    )
    return render(
        request,
        "beneficiaries/household_detail.html",
        {
            "household": household,
            "members": [(member, shown_nik(request, member.nik)) for member in members],
            "records": household.ppks_records.all(),
            "can_map": policy.can_map(request.user, household.village_id),
            "can_verify": policy.can_verify(request.user, household.village_id),
            "move_form": MoveForm(),
            "report_form": ReportForm(),
        },
    )


def _move(
    request: AuthenticatedHttpRequest, subject: Person | Household, move: Any, visible: QuerySet[Any], detail: str
) -> HttpResponse:
    """Record a move of `subject` from the posted MoveForm; back to its page, or to the
    list when the move took it out of the viewer's area."""
    form = MoveForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("village", []):
            messages.error(request, str(message))
        return redirect(detail, subject.pk)
    village = form.cleaned_data["village"]
    moved = _apply(
        request,
        lambda: move(subject, village, reason=form.cleaned_data["reason"], acting_user=request.user),
        _("Moved to %(village)s.") % {"village": village.name},
    )
    if moved and not visible.filter(pk=subject.pk).exists():
        return redirect("beneficiaries:person-list")
    return redirect(detail, subject.pk)


def _report(request: AuthenticatedHttpRequest, subject: Person | Household, detail: str) -> HttpResponse:
    """Map `subject` (a person, or a household as a whole) as the posted PPKS type."""
    form = ReportForm(request.POST)
    person = subject if isinstance(subject, Person) else None
    household = subject if isinstance(subject, Household) else None
    if form.is_valid():
        _apply(
            request,
            lambda: services.report_ppks(
                person=person,
                household=household,
                category=form.cleaned_data["category"],
                conditions=form.cleaned_data["conditions"],
                checklist=form.checklists().get(form.cleaned_data["category"], []),
                acting_user=request.user,
            ),
            _("PPKS record added."),
        )
    return redirect(detail, subject.pk)


@require_POST
def person_move(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request, person_id)
    visible = Person.objects.visible_to(request.user)
    return _move(request, person, services.move_person, visible, "beneficiaries:person-detail")


@require_POST
def person_report(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    return _report(request, visible_person(request, person_id), "beneficiaries:person-detail")


@require_POST
def household_move(request: AuthenticatedHttpRequest, household_id: int) -> HttpResponse:
    visible = Household.objects.visible_to(request.user)
    household = get_object_or_404(visible, pk=household_id)
    return _move(request, household, services.move_household, visible, "beneficiaries:household-detail")


@require_POST
def household_report(request: AuthenticatedHttpRequest, household_id: int) -> HttpResponse:
    household = get_object_or_404(Household.objects.visible_to(request.user), pk=household_id)
    return _report(request, household, "beneficiaries:household-detail")
