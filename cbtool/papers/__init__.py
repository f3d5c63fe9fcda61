"""Papers for people: what the office prints and sends, in Chinese, ready for A4 and for
Excel/WPS — the 花名册 (``roster``) and the 服务点工作台账 (``ledger``).

A paper is built from the database as a ``Paper`` (``model``) and written by one writer
per format (``writer``: xlsx through ``formats.write_xlsx``, md, csv; ``html``).
"""
