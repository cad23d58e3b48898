"""The demo companies, whose four systems write the formats of SOURCES.md: a network-equipment
supplier in Shanghai (`c360 demo`, profile cn) and an industrial distributor in Chicago
(`c360 demo --profile us`). One simulation tells both stories; `demo.profiles` holds what
makes each company itself. The ground truth (who is who, what was planted) is written
beside, never loaded.

Shares no code with `connectors/`: each side reads SOURCES.md on its own, so a misreading
on one side fails a test instead of hiding in a shared helper.
"""
