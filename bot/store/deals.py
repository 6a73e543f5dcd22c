"""What the deal store keeps and hands back: a deal with its owner and time zone, and a
reminder claimed for sending.

Both backends keep a deal as its JSON beside its stage, and each planned reminder as a row of its
own (``flows.deal.reminders.plan``), keyed by the reminder's key: a row is inserted once, claimed
by one worker for a lease, and marked sent once. Times are stored in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flows.deal.model import Deal
from flows.deal.reminders import Reminder, plan

DEAL_COLUMNS = "id, chat_id, user_id, json, tz, rev"
CLAIMED_DEAL_COLUMNS = "d.id, d.chat_id, d.user_id, d.json, d.tz, d.rev"  # joined to its reminders
# the stages a deal still has something to do in (what /deals lists)
DONE_STAGES = ("paid", "closed")
# a change refused because another writer saved the deal first is read and made again this often
CHANGE_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class StoredDeal:
    """A deal as kept: whose it is, the chat its reminders go to, the creator's time zone, and
    its revision (one more at each save: a save that read an older one is refused)."""

    chat_id: int
    user_id: int
    deal: Deal
    tz: str
    rev: int = 0

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


@dataclass(frozen=True, slots=True)
class ClaimedReminder:
    """A due reminder this worker claimed until ``claimed_until``: send it, then ``reminder_sent``
    (or ``defer_reminder``); if the worker dies first, the claim lapses and another sends it."""

    key: str
    due: datetime
    attempts: int  # claims so far, this one included
    claimed_until: datetime
    stored: StoredDeal

    @property
    def reminder(self) -> Reminder | None:
        """The reminder as the deal plans it now; None when it is no longer owed (the deal moved
        on, the creator stopped it): drop it unsent."""
        return next((r for r in plan(self.stored.deal, self.stored.zone) if r.key == self.key),
                    None)


def planned(deal: Deal, tz: str) -> list[Reminder]:
    """The reminder rows a saved deal should have unsent."""
    return plan(deal, ZoneInfo(tz))


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is refused (a clock without a zone is a bug)."""
    if moment.tzinfo is None:
        raise ValueError("a reminder time needs a time zone")
    return moment.astimezone(UTC)
