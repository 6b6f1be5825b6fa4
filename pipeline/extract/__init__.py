"""Extraction: a rule-based spaCy pipeline turning article text into company mentions,
deals and benchmark claims.  Bump EXTRACTOR_VERSION whenever rules or patterns change:
stored extractions carry it, and `chipwire extract` re-runs articles extracted by another.
"""

EXTRACTOR_VERSION = "0.5.6"
