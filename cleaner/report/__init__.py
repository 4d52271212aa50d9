"""`cleaner report`: a self-contained HTML review page for a cleaning run.

``collect`` reads a run (an output directory, a JSONL output, or a ``--stats`` file) in one
streaming pass: it adds up the counts over every sidecar and keeps a deterministic sample of
documents. ``render`` turns that into one HTML file with the data, the script and the styles
inlined. ``command`` is the Click command; importing it imports nothing heavy.
"""
