"""Every kind of record a file can hold, and its importer."""

from __future__ import annotations

from cbtool.importing.aid import AidCaseImporter
from cbtool.importing.areas import AreaImporter
from cbtool.importing.base import Importer
from cbtool.importing.brands import BrandImporter
from cbtool.importing.checks import CheckImporter
from cbtool.importing.logs import LogImporter
from cbtool.importing.members import MemberImporter
from cbtool.importing.pairings import PairingImporter
from cbtool.importing.points import PointImporter
from cbtool.importing.service import ServiceImporter
from cbtool.importing.teams import TeamImporter
from cbtool.importing.volunteers import VolunteerImporter

KINDS = ("areas", "members", "logs", "checklist", "points", "teams", "volunteers", "service",
         "pairings", "aid", "brands")

IMPORTERS: dict[str, type[Importer]] = {
    "areas": AreaImporter, "members": MemberImporter, "logs": LogImporter,
    "checklist": CheckImporter, "points": PointImporter,
    "teams": TeamImporter, "volunteers": VolunteerImporter, "service": ServiceImporter,
    "pairings": PairingImporter, "aid": AidCaseImporter, "brands": BrandImporter,
}
