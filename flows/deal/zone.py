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
