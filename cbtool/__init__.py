"""cbtool — record keeping for a community Party-building office.

Kept import-free so that ``cbtool --version`` starts fast.
"""

__version__ = "0.1.0"
