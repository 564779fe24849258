"""The writes of field work, for the API and the offline outbox alike.

Each write takes the signed-in user, the sent values and the sent files, checks the
values with the same form the page uses, and saves through the same service: the
same scoping, rules, history and access log as the pages. Its answer is an API
response: 201 with what was written; 400 with every problem at once (`detail`, and
`fields` by field name); 403 when the role may not; 404 for a record outside the
user's regions (as if it did not exist); 409 with the record as it is now when an
edit was based on an older version.

`WRITES` names them for the outbox (`POST /api/v1/field/outbox/`); the single
endpoints (`POST /api/v1/people/`, `/ppks/`, `/cases/{id}/events/`, `/activities/`,
`/people/{id}/correct/`) call the same functions.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from pilar.activities import policy as activity_policy
from pilar.activities import services as activity_services
from pilar.activities.forms import ActivityForm
from pilar.activities.models import Activity
from pilar.audit.access import record_access
from pilar.audit.models import AccessAction
from pilar.beneficiaries import policy as people_policy
from pilar.beneficiaries import services as people_services
from pilar.beneficiaries.forms import NewPersonForm, PersonForm, ReportForm
from pilar.beneficiaries.models import Person
from pilar.cases import services as case_services
from pilar.cases.attachments import check_upload
from pilar.cases.forms import VisitForm
from pilar.cases.models import Case
from pilar.core.scoping import Scope
from pilar.core.versions import StaleVersion, version_of
from pilar.field.download import RECORDS, _person
from pilar.workforce.models import Institution, Worker

Files = Mapping[str, Sequence[Any]]
Write = Callable[[Any, Mapping[str, Any], Files], Response]

MAX_PHOTOS = 5
DATA_URL = re.compile(r"^data:(image/(?:jpeg|png|webp));base64,(.+)$", re.DOTALL)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def refused(messages: Sequence[Any], fields: Mapping[str, Sequence[Any]] | None = None, code: int = 400) -> Response:
    body: dict[str, Any] = {"detail": [str(message) for message in messages]}
    if fields:
        body["fields"] = {name: [str(message) for message in found] for name, found in fields.items()}
    return Response(body, status=code)


def form_refused(form: forms.Form) -> Response:
    fields = {name: list(errors) for name, errors in form.errors.items() if name != "__all__"}
    messages = [*form.non_field_errors()]
    messages += [f"{form.fields[name].label or name}: {error}" for name, found in fields.items() for error in found]
    return refused(messages, fields)


def answered(write: Callable[[], Response], current: Callable[[Model], dict[str, Any]] | None = None) -> Response:
    """Run `write`, turning the services' refusals into API answers."""
    try:
        return write()
    except StaleVersion as stale:
        body = {"detail": [str(stale)], "current": current(stale.current) if current else None}
        return Response(body, status=status.HTTP_409_CONFLICT)
    except case_services.CaseConflict as conflict:
        return Response({"detail": conflict.messages, "current": None}, status=status.HTTP_409_CONFLICT)
    except PermissionDenied as denied:
        return refused([str(denied) or _("You may not do this.")], code=status.HTTP_403_FORBIDDEN)
    except Http404:
        return refused([_("Not found in your area.")], code=status.HTTP_404_NOT_FOUND)
    except ValidationError as error:
        return refused(error.messages)


def form_data(data: Mapping[str, Any]) -> QueryDict:
    """The sent values as a form's data: lists stay lists, everything else is text."""
    values = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            values.setlist(name, ["" if item is None else str(item) for item in value])
        elif isinstance(value, bool):
            values[name] = "on" if value else ""
        elif value is not None:
            values[name] = str(value)
    return values


def decode_photos(values: object) -> list[ContentFile[bytes]]:
    """Photos sent in JSON as data URLs (`data:image/jpeg;base64,...`), the form the
    outbox keeps them in; ValidationError for anything else."""
    if values in (None, ""):
        return []
    items = values if isinstance(values, list) else [values]
    photos = []
    for number, item in enumerate(items, start=1):
        match = DATA_URL.match(item) if isinstance(item, str) else None
        if match is None:
            raise ValidationError(_("Photo %(number)s is not a JPEG, PNG or WebP image.") % {"number": number})
        try:
            content = base64.b64decode(match.group(2), validate=True)
        except binascii.Error:
            raise ValidationError(_("Photo %(number)s is damaged.") % {"number": number}) from None
        photos.append(ContentFile(content, name=f"foto-{number}.{EXTENSIONS[match.group(1)]}"))
    return photos


def _photos(data: Mapping[str, Any], files: Files, name: str) -> list[Any]:
    photos = [*files.get(name, []), *decode_photos(data.get(name))]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(count)s photos are accepted.") % {"count": MAX_PHOTOS})
    return photos


def _visible[T: Model](queryset: QuerySet[T], pk: object) -> T:
    try:
        return queryset.get(pk=int(str(pk)))
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise Http404 from None


def person_answer(person: Person, user: Any) -> dict[str, Any]:
    """The person as the field download shows them; the answer is a read, logged."""
    fresh = Person.objects.prefetch_related(Prefetch("ppks_records", RECORDS)).get(pk=person.pk)
    record_access(user=user, action=AccessAction.VIEW, model=Person, ids=[fresh.pk], path="/api/v1/field/")
    return _person(fresh, people_policy.can_see_full_nik(user))


def _duplicate(error: people_services.DuplicateNik, user: Any) -> None:
    if not error.visible:  # nothing of the person is shown; who tried is logged
        record_access(
            user=user, action=AccessAction.SEARCH, model=Person, ids=[error.existing.pk], path="/api/v1/field/"
        )


def register_person(user: Any, data: Mapping[str, Any], files: Files) -> Response:
    """A new person in one of the user's villages, with the PPKS types reported."""
    if not people_policy.maps_somewhere(user):
        return refused([_("Your role does not map PPKS.")], code=status.HTTP_403_FORBIDDEN)
    values = form_data({"legal_basis": "tugas_publik", **data})
    form = NewPersonForm(values, user=user)
    if not form.is_valid():
        return form_refused(form)
    if not Scope.for_user(user).includes(form.cleaned_data["village"].code):
        return refused([_("Not found in your area.")], code=status.HTTP_404_NOT_FOUND)

    def write() -> Response:
        try:
            person = people_services.register_person(
                people_services.PersonData.from_form(form.cleaned_data),
                categories=form.cleaned_data["categories"],
                conditions=form.cleaned_data["conditions"],
                checklists=form.checklists(),
                acting_user=user,
            )
        except people_services.DuplicateNik as error:
            _duplicate(error, user)
            raise
        return Response(person_answer(person, user), status=status.HTTP_201_CREATED)

    return answered(write)


EDITABLE = ("full_name", "sex", "nik", "birth_place", "birth_date", "address", "phone", "disability")


def edit_person(user: Any, data: Mapping[str, Any], files: Files) -> Response:
    """Correct a person's data; `version` is the one the edit was based on (409 with
    the person as saved now when it changed since)."""
    person = _visible(Person.objects.visible_to(user), data.get("id"))
    people_services.require_mapper(user, person.village_id)
    version = str(data.get("version") or "")
    if not version:
        return refused([_("The edit does not say which version of the record it was based on.")])
    saved = {name: getattr(person, name) for name in PersonForm.base_fields if hasattr(person, name)}
    saved["village"] = person.village_id
    saved["guardian_nik"] = person.guardian.nik if person.guardian else ""
    changes = {name: data[name] for name in EDITABLE if name in data}
    values = form_data({**{k: "" if v is None else v for k, v in saved.items()}, **changes})
    form = PersonForm(values, user=user)
    if not form.is_valid():
        return form_refused(form)

    def write() -> Response:
        try:
            edited = people_services.update_person(
                person,
                people_services.PersonData.from_form(form.cleaned_data),
                acting_user=user,
                reason=_("Corrected in the field"),
                expected_version=version,
            )
        except people_services.DuplicateNik as error:
            _duplicate(error, user)
            raise
        return Response(person_answer(edited, user), status=status.HTTP_200_OK)

    return answered(write, current=lambda current: person_answer(current, user))  # type: ignore[arg-type]


def report_ppks(user: Any, data: Mapping[str, Any], files: Files) -> Response:
    """Report one more PPKS type for a person the user may see."""
    person = _visible(Person.objects.visible_to(user), data.get("person"))
    form = ReportForm(form_data(data))
    if not form.is_valid():
        return form_refused(form)

    def write() -> Response:
        people_services.report_ppks(
            person=person,
            category=form.cleaned_data["category"],
            conditions=form.cleaned_data["conditions"],
            checklist=form.checklists().get(form.cleaned_data["category"], []),
            acting_user=user,
        )
        return Response(person_answer(person, user), status=status.HTTP_201_CREATED)

    return answered(write)


def record_visit(user: Any, data: Mapping[str, Any], files: Files) -> Response:
    """A pendampingan visit on a case the user handles, with at most one photo.
    A visit adds to the case and overwrites nothing, so it needs no version: it is
    refused only when the case is no longer the user's or no longer open."""
    case = _visible(Case.objects.visible_to(user), data.get("case"))
    photos = _photos(data, files, "photo")
    if len(photos) > 1:
        return refused([_("A visit keeps one photo; attach more on the case page.")])
    form = VisitForm(form_data({"version": case.version, **data, "action_taken": data.get("text", "")}))
    if not form.is_valid():
        return form_refused(form)
    cleaned = form.cleaned_data

    def write() -> Response:
        event = case_services.record_visit(
            case,
            expected_version=Case.objects.get(pk=case.pk).version,
            happened_on=cleaned["happened_on"],
            place=cleaned["place"],
            action_taken=cleaned["action_taken"],
            next_step=cleaned["next_step"],
            next_visit_on=cleaned.get("next_visit_on"),
            photo=photos[0] if photos else None,
            acting_user=user,
        )
        body = {
            "id": event.pk,
            "case": case.pk,
            "kind": event.kind,
            "happened_on": cleaned["happened_on"].isoformat(),
            "photo": bool(photos),
        }
        return Response(body, status=status.HTTP_201_CREATED)

    return answered(write)


ACTIVITY_FIELDS = ("kind", "title", "held_on", "region", "place", "men", "women", "notes")


def record_activity(user: Any, data: Mapping[str, Any], files: Files) -> Response:
    """An activity in the user's area with its participants and up to five photos;
    the user's own worker record is its organiser unless `organisers` says otherwise."""
    photos = _photos(data, files, "photos")
    own = Worker.objects.filter(account=user).first()
    values = form_data({"organisers": [own.pk] if own else [], "men": 0, "women": 0, **data})
    workers = Worker.objects.visible_to(user)
    form = ActivityForm(
        values,
        workers=workers,
        institutions=Institution.objects.visible_to(user),
        regions=activity_policy.recording_regions(user),
    )
    if not form.is_valid():
        return form_refused(form)
    cleaned = form.cleaned_data
    if not Scope.for_user(user).includes(cleaned["region"].code):
        return refused([_("Not found in your area.")], code=status.HTTP_404_NOT_FOUND)
    for photo in photos:
        check_upload(photo)

    def write() -> Response:
        activity = activity_services.record_activity(
            **{name: cleaned[name] for name in ACTIVITY_FIELDS},
            organisers=list(cleaned["organisers"]),
            partners=list(cleaned["partners"]),
            acting_user=user,
        )
        for photo in photos:
            activity_services.add_photo(activity, upload=photo, acting_user=user)
        return Response(activity_answer(activity), status=status.HTTP_201_CREATED)

    return answered(write)


def activity_answer(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "kind": activity.kind,
        "title": activity.title,
        "held_on": activity.held_on.isoformat(),
        "region": activity.region_id,
        "men": activity.men,
        "women": activity.women,
        "photos": activity.photos.count(),
        "recorded_at": timezone.localtime(activity.recorded_at).isoformat(),
        "version": version_of(activity),
    }


WRITES: dict[str, Write] = {
    "person": register_person,
    "person_edit": edit_person,
    "ppks": report_ppks,
    "visit": record_visit,
    "activity": record_activity,
}
