"""One bounded spreadsheet toolkit for every import and export.

Reading (``reader``) refuses a file past the limits in ``limits`` before any library allocates its grid, so an
upload of a few kilobytes cannot ask for a million-by-sixteen-thousand cell table; writing (``writer``) lays out
every export as a printable ledger and never lets user text become a formula. Importers share ``errors`` to keep
their reports small however many rows are wrong.
"""

from .errors import SheetError, capped_errors
from .limits import Limits
from .reader import SUPPORTED, decode_csv, find_header, read_rows

__all__ = ["SUPPORTED", "Limits", "SheetError", "capped_errors", "decode_csv", "find_header", "read_rows"]
