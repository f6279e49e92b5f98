"""What a country brief and the regional comparison say, assembled from frames.

Pure: frames in, a :class:`~coupwatch.report.content.model.Brief` out (sections with readings, Altair charts,
tables, notes on what is missing, and the sources behind every chart). Every reading is written from the
numbers computed here; a section whose data are absent says which data are missing instead of staying blank.

Lowest first: ``model`` (the brief's parts), ``formatting`` and ``frames`` (shared helpers), one module per
section topic, ``summary`` (the first page), ``whatif``, ``donors``, and ``assemble`` (the whole brief).
"""
