"""SQLAlchemy models of the chipwire store: tables, relationships and constraints only."""

from models.article import Article, Source
from models.base import Base, UTCDateTime, utcnow
from models.company import Company, CompanyAlias, Product
from models.facts import Benchmark, Deal, DealParty, DealSource, Mention, OrgCandidate
from models.ops import JobRun, PriceBar

__all__ = [
    "Article",
    "Base",
    "Benchmark",
    "Company",
    "CompanyAlias",
    "Deal",
    "DealParty",
    "DealSource",
    "JobRun",
    "Mention",
    "OrgCandidate",
    "PriceBar",
    "Product",
    "Source",
    "UTCDateTime",
    "utcnow",
]
