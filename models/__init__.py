"""SQLAlchemy models of the chipwire store: tables, relationships and constraints only."""

from chipwire.models.article import Article, Source, known_at_clause
from chipwire.models.base import Base, UTCDateTime, utcnow
from chipwire.models.company import Company, CompanyAlias, Product
from chipwire.models.facts import Benchmark, Deal, DealParty, DealSource, Mention, OrgCandidate
from chipwire.models.market import CompanyWeek, DealReaction, iso_week_label
from chipwire.models.ops import JobRun, PriceBar

__all__ = [
    "Article",
    "Base",
    "Benchmark",
    "Company",
    "CompanyAlias",
    "CompanyWeek",
    "Deal",
    "DealParty",
    "DealReaction",
    "DealSource",
    "JobRun",
    "Mention",
    "OrgCandidate",
    "PriceBar",
    "Product",
    "Source",
    "UTCDateTime",
    "iso_week_label",
    "known_at_clause",
    "utcnow",
]
