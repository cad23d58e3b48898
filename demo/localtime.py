"""The company's wall clock: the simulation keeps naive local times, and every system writes
them as it does (UTC for the CRM and the service desk, local with its offset for logistics,
local wall-clock time for the PBX). Conversions go through `zoneinfo`, never a fixed offset
assumed for the zone, so a zone with daylight saving time (America/Chicago) is right on both
sides of every change.

A wall time in a spring-forward gap (02:30 on the night the clocks jump from 02:00 to 03:00)
does not exist: it is read as the first moment after the gap, the instant of the change, so
that later wall times are never earlier instants. A wall time in the autumn overlap (01:30,
twice) is its first occurrence (`fold=0`), as most systems read it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1)


class LocalClock:
    """Conversions between the company's naive wall-clock times and UTC for one time zone.

    Tens of millions of stamps are written for a big company, so the UTC offset of each
    (day, hour) is looked up in the zone once (as fast as a fixed offset: formatting the
    stamp costs twenty times more)."""

    def __init__(self, zone_name: str):
        self.zone_name = zone_name
        self.zone = ZoneInfo(zone_name)
        self._hours: dict[int, timedelta | None] = {}  # ordinal * 24 + hour -> offset (None: a change in that hour)

    # ---------- the offset of a wall time ----------
    def normalised(self, local: datetime) -> datetime:
        """The wall time as a clock on the wall shows it: a time in a spring-forward gap moves
        to the end of the gap; every other time is itself."""
        if self._hour_offset(local) is not None:
            return local
        exact = self._exact_utc(local)
        return (exact + self._zone_offset_at_utc(exact)).replace(tzinfo=None)

    def offset(self, local: datetime) -> timedelta:
        """The UTC offset in force at the wall time `local` (after `normalised`)."""
        offset = self._hour_offset(local)
        if offset is not None:
            return offset
        exact = self._exact_utc(local)
        return self._zone_offset_at_utc(exact)

    def utc(self, local: datetime) -> datetime:
        """Naive UTC of a naive wall time."""
        offset = self._hour_offset(local)
        if offset is not None:
            return local - offset
        return self._exact_utc(local)

    def local(self, utc: datetime) -> datetime:
        """The naive wall time of a naive UTC moment."""
        return utc.replace(tzinfo=UTC).astimezone(self.zone).replace(tzinfo=None)

    # ---------- the stamps each system writes ----------
    # isoformat rather than strftime: the same text (seconds truncated), several times faster
    def sf(self, local: datetime) -> str:
        """Salesforce: UTC with milliseconds and +0000."""
        return self.utc(local).isoformat(timespec="seconds") + ".000+0000"

    def zd(self, local: datetime) -> str:
        """Zendesk: UTC with Z."""
        return self.utc(local).isoformat(timespec="seconds") + "Z"

    def with_offset(self, local: datetime) -> str:
        """ISO 8601 wall time with its UTC offset (+08:00, -05:00)."""
        wall = self.normalised(local)
        minutes = int(self.offset(wall).total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        hours, minutes = divmod(abs(minutes), 60)
        return wall.isoformat(timespec="seconds") + f"{sign}{hours:02d}:{minutes:02d}"

    def wall(self, local: datetime) -> str:
        """The PBX's `YYYY-MM-DD HH:MM:SS` local time."""
        return self.normalised(local).isoformat(sep=" ", timespec="seconds")

    def epoch(self, local: datetime) -> int:
        """Unix seconds of a wall time."""
        return int((self.utc(local) - EPOCH).total_seconds())

    # ---------- internals ----------
    def _hour_offset(self, local: datetime) -> timedelta | None:
        """The offset of the whole hour of `local`, or None when the offset changes in that hour
        (or the hour is a gap or an overlap): then each time is converted on its own."""
        key = local.toordinal() * 24 + local.hour
        try:
            return self._hours[key]
        except KeyError:
            pass
        start = local.replace(minute=0, second=0, microsecond=0)
        offsets = set()
        for wall in (start, start + timedelta(minutes=59, seconds=59)):
            for fold in (0, 1):
                offsets.add(wall.replace(tzinfo=self.zone, fold=fold).utcoffset())
        offset = offsets.pop() if len(offsets) == 1 else None
        self._hours[key] = offset
        return offset

    def _zone_offset_at_utc(self, utc: datetime) -> timedelta:
        return utc.replace(tzinfo=UTC).astimezone(self.zone).utcoffset()

    def _exact_utc(self, local: datetime) -> datetime:
        """Naive UTC of one wall time near a change of offset: the first occurrence in an
        overlap; the instant of the change for a time in a gap."""
        first = local.replace(tzinfo=self.zone, fold=0).astimezone(UTC).replace(tzinfo=None)
        if self.local(first) == local:
            return first
        # in a gap: fold=0 reads it with the offset before the change, fold=1 with the one after;
        # the change happened between the two readings (to the second)
        low = local.replace(tzinfo=self.zone, fold=1).astimezone(UTC).replace(tzinfo=None)
        low, high = min(low, first), max(low, first)
        before = self._zone_offset_at_utc(low)
        while high - low > timedelta(seconds=1):
            middle = low + (high - low) / 2
            if self._zone_offset_at_utc(middle) == before:
                low = middle
            else:
                high = middle
        return high.replace(microsecond=0)
