"""Every kind of record a file can hold, and its importer."""

from __future__ import annotations

from cbtool.importing.aid import AidCaseImporter
from cbtool.importing.aid_ledgers import AidGivenImporter, FundIncomeImporter
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
         "pairings", "aid", "aid-given", "aid-income", "brands")

IMPORTERS: dict[str, type[Importer]] = {
    "areas": AreaImporter, "members": MemberImporter, "logs": LogImporter,
    "checklist": CheckImporter, "points": PointImporter,
    "teams": TeamImporter, "volunteers": VolunteerImporter, "service": ServiceImporter,
    "pairings": PairingImporter, "aid": AidCaseImporter, "brands": BrandImporter,
    "aid-given": AidGivenImporter, "aid-income": FundIncomeImporter,
}

# The command that imports a kind, where it is not ``cbtool KIND import`` (a group with
# more than one kind: the aid group's ledgers).
IMPORT_COMMANDS = {"aid-given": "aid given-import", "aid-income": "aid income-import"}


def import_command(kind: str) -> str:
    """``aid given-import`` for aid given, ``members import`` for members …"""
    return IMPORT_COMMANDS.get(kind, f"{kind} import")
