import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.activities import documents, services
from pilar.workforce.models import Worker


class Command(BaseCommand):
    help = "Write a worker's monthly report: pilar report monthly --worker ID --month YYYY-MM --format pdf|xlsx|json"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("subject", choices=["monthly"])
        parser.add_argument("--worker", type=int, required=True, help="The worker's id in the registry.")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", dest="output_format", choices=["pdf", "xlsx", "json"], default="json")
        parser.add_argument("--output", default="", help="File to write (standard output when left out).")

    def handle(self, *args: Any, worker: int, month: str, output_format: str, output: str, **options: Any) -> None:
        first = services.parse_month(month)
        if first is None:
            raise CommandError(_("The month is written YYYY-MM, for example 2026-10."))
        found = Worker.objects.filter(pk=worker).first()
        if found is None:
            raise CommandError(_("There is no worker %(id)s.") % {"id": worker})
        try:
            report = services.report_for(services.reporting_engagement(found), first)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        document = documents.document_for(report)
        if output_format == "json":
            content = json.dumps(document.as_dict(), ensure_ascii=False, indent=2).encode() + b"\n"
        elif output_format == "pdf":
            content = documents.render_pdf(document, generated=timezone.localtime())
        else:
            content = documents.render_xlsx(document)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
        elif output_format == "json":
            self.stdout.write(content.decode(), ending="")
        else:
            sys.stdout.buffer.write(content)
