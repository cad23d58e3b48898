"""The demo company: a network-equipment supplier whose four systems write the formats of SOURCES.md.

Shares no code with `connectors/`: each side reads SOURCES.md on its own, so a misreading
on one side fails a test instead of hiding in a shared helper.
"""
