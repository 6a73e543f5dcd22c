"""The creator's clock: a time zone (asked once, a default from Telegram's language code) and a
quiet window at night, so no reminder arrives between ``QUIET_FROM`` and ``QUIET_UNTIL`` local.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(9, 0)
MORNING = time(10, 0)  # when a reminder about a day is sent, that day (or the one before)
FALLBACK = "UTC"

# Telegram sends an IETF language tag ("en", "en-GB", "pt-br"): its region says most, the
# language alone only where one zone is the likely one; the creator confirms it once
BY_TAG = {
    "en-gb": "Europe/London", "en-us": "America/New_York", "en-au": "Australia/Sydney",
    "en-ca": "America/Toronto", "en-in": "Asia/Kolkata", "en-ie": "Europe/Dublin",
    "pt-br": "America/Sao_Paulo", "es-mx": "America/Mexico_City", "fr-ca": "America/Toronto",
}
BY_LANGUAGE = {
    "de": "Europe/Berlin", "fr": "Europe/Paris", "es": "Europe/Madrid", "it": "Europe/Rome",
    "nl": "Europe/Amsterdam", "pl": "Europe/Warsaw", "pt": "Europe/Lisbon",
    "sv": "Europe/Stockholm", "da": "Europe/Copenhagen", "nb": "Europe/Oslo",
    "fi": "Europe/Helsinki", "cs": "Europe/Prague",
    "uk": "Europe/Kyiv", "tr": "Europe/Istanbul", "ja": "Asia/Tokyo", "ko": "Asia/Seoul",
    "hi": "Asia/Kolkata", "id": "Asia/Jakarta", "el": "Europe/Athens", "ro": "Europe/Bucharest",
}
# the disclosure rules a caption is checked against, by the same tag (asked when unknown)
COUNTRY_BY_TAG = {"en-gb": "UK", "en-us": "US"}


def default_zone(language_code: str | None) -> str:
    """The zone to offer first for a Telegram language code; UTC when the code says too little."""
    tag = (language_code or "").strip().lower().replace("_", "-")
    return BY_TAG.get(tag) or BY_LANGUAGE.get(tag.split("-")[0]) or FALLBACK


def default_country(language_code: str | None) -> str | None:
    """``"US"`` or ``"UK"`` when the language code says so, else None (ask)."""
    return COUNTRY_BY_TAG.get((language_code or "").strip().lower().replace("_", "-"))


REGIONS = ("Europe", "America", "Asia", "Australia", "Africa", "Pacific", "Atlantic", "Indian")
# what people type for the zones named after no city they would think of
ALIASES = {"utc": "UTC", "gmt": "UTC", "uk": "Europe/London", "new york": "America/New_York",
           "nyc": "America/New_York", "la": "America/Los_Angeles", "sf": "America/Los_Angeles",
           "san francisco": "America/Los_Angeles", "washington": "America/New_York",
           "boston": "America/New_York", "miami": "America/New_York", "delhi": "Asia/Kolkata",
           "mumbai": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "beijing": "Asia/Shanghai",
           "munich": "Europe/Berlin", "barcelona": "Europe/Madrid", "milan": "Europe/Rome",
           "manchester": "Europe/London", "edinburgh": "Europe/London",
           "melbourne": "Australia/Melbourne", "toronto": "America/Toronto",
           "montreal": "America/Toronto", "vancouver": "America/Vancouver"}


def read_zone(text: str) -> str | None:
    """The zone a creator typed: a zone name (``Europe/Berlin``), a city with a zone of its own
    (``Berlin``, ``los angeles``) or a common alias; None when none is known by that name."""
    typed = " ".join(text.split())[:60]
    alias = ALIASES.get(typed.casefold())
    if alias is not None:
        return alias
    city = "_".join(part.capitalize() for part in typed.replace("_", " ").split())
    names = [typed, *(f"{region}/{city}" for region in REGIONS)] if "/" not in typed else [
        "/".join("_".join(w.capitalize() for w in part.split("_")) if part.islower() else part
                 for part in typed.split("/"))]
    for name in names:
        if not name or name.startswith(("/", ".")) or ".." in name:
            continue
        try:
            return ZoneInfo(name).key
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return None


def country_of(language_code: str | None, tz: str) -> str:
    """The disclosure rules a caption is checked against: the language's country, else the
    zone's (the Americas read the FTC's rules), else the UK's."""
    return default_country(language_code) or ("US" if tz.startswith("America/") else "UK")


def zone(name: str) -> ZoneInfo:
    """The named zone; an unknown name is UTC (a stored zone never stops a reminder)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK)


def on_day(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A local day and time, as a UTC moment."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def awake(moment: datetime, tz: ZoneInfo) -> datetime:
    """``moment``, or the next ``QUIET_UNTIL`` local when it falls in the quiet window."""
    local = moment.astimezone(tz)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return moment
    morning = local.date() + timedelta(days=1 if local.time() >= QUIET_FROM else 0)
    return on_day(morning, QUIET_UNTIL, tz)
