"""Due dates for requests for information: calendar days, or working days that skip weekends and
the public holidays of the `holidays` package. The page's JavaScript does the same arithmetic
(`rti.js`, `dueDate`); the tests hold the two together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

import holidays

#: Saturday and Sunday: the weekend in all four countries.
WEEKEND = frozenset({5, 6})


def holiday_dates(country_code: str, years: Iterable[int]) -> list[str]:
    """The country's public holidays (days off, moved days off included where the package lists
    them) in those years, as ISO dates in order."""
    table = holidays.country_holidays(country_code, years=list(years))
    return sorted(day.isoformat() for day in table)


def is_working_day(day: dt.date, holiday_dates: Collection[str]) -> bool:
    return day.weekday() not in WEEKEND and day.isoformat() not in holiday_dates


def due_date(
    sent: dt.date, days: int, count: str, holiday_dates: Collection[str]
) -> tuple[dt.date, list[dt.date]]:
    """The day the answer is due if the request is registered on `sent`, and the public holidays
    skipped on the way. The day of registration does not count: 10 working days from a Monday
    end on the second Friday after it, if no holiday falls between."""
    if count == "calendar":
        return sent + dt.timedelta(days=days), []
    day, left, skipped = sent, days, []
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day, holiday_dates):
            left -= 1
        elif day.weekday() not in WEEKEND:
            skipped.append(day)
    return day, skipped
