"""What a resolution may be told by the config file (`identity:`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IdentitySettings:
    person_match_threshold: float = 0.95
    organization_match_threshold: float = 0.95
    # a phone or e-mail carried by records of more distinct people than this is no person key
    max_people_per_identifier: int = 1

    @classmethod
    def from_config(cls, section: dict | None) -> IdentitySettings:
        section = section or {}
        return cls(
            person_match_threshold=float(section.get("person_match_threshold", cls.person_match_threshold)),
            organization_match_threshold=float(
                section.get("organization_match_threshold", cls.organization_match_threshold)
            ),
            max_people_per_identifier=int(section.get("max_people_per_identifier", cls.max_people_per_identifier)),
        )
