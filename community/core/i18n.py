"""Language helpers shared by every app."""

from django.utils.formats import date_format
from django.utils.functional import lazy

# A month's name ("März 2026") in the language of whoever reads it: figures are
# computed once and cached for every reader, so the name is formatted when shown.
month_label = lazy(date_format, str)
