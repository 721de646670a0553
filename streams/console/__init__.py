"""The analyst console: every alert with its evidence, every pair's story, in a browser.

Pure parts, free of Kafka: :mod:`.materialise` (topic values → rows), :mod:`.schema` and
:mod:`.store` (the tables, idempotent upserts, the pages' queries), :mod:`.chart` (a
server-side SVG), :mod:`.auth`, :mod:`.web` (the aiohttp application and its Jinja2
templates).  The consumer loop that feeds the store from the topics is the shell:
``streams console`` (:mod:`streams.cli.console_cmd`).
"""
