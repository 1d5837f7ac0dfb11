"""cleaner: turn scraped news text into clean, explainable article records.

    >>> import cleaner
    >>> cleaner.normalize(open("seeds/000_8ff13bd2cb8732cc.txt").read())  # clean text
    >>> cleaner.clean_records(raw_bytes, source="page.txt", explain=True)  # records

Stages, one module each: decode (bytes, repair) -> lines -> rules/engine (chrome
removal) -> segment (merged files) -> metadata -> language -> render; cli on top.
"""

from .decode import BinaryInputError
from .engine import Article
from .pipeline import clean, clean_records, clean_text, default_rules, normalize
from .rules import RuleError, RuleSet, load_rules

__all__ = [
    "Article",
    "BinaryInputError",
    "RuleError",
    "RuleSet",
    "clean",
    "clean_records",
    "clean_text",
    "default_rules",
    "load_rules",
    "normalize",
]
__version__ = "0.1.0"
