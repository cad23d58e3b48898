from datetime import date, datetime, time

from c360.business_calendar import working_days


def calendar(country, zone, first, last):
    table = working_days(country, zone, time(9), time(18), first, last).to_pylist()
    return {row["calendar_date"]: row for row in table}


def test_china_works_on_its_adjusted_weekend_and_rests_on_spring_festival():
    days = calendar("CN", "Asia/Shanghai", date(2025, 1, 25), date(2025, 2, 9))
    assert days[date(2025, 1, 26)]["is_working_day"]  # a Sunday made a working day (调休)
    assert not days[date(2025, 1, 29)]["is_working_day"]  # Spring Festival, a Wednesday
    assert days[date(2025, 1, 29)]["holiday_name"]
    assert not days[date(2025, 2, 2)]["is_working_day"]  # an ordinary Sunday
    # 09:00 in Shanghai is 01:00 UTC
    assert days[date(2025, 1, 26)]["work_start_at"] == datetime(2025, 1, 26, 1, 0)
    assert days[date(2025, 1, 29)]["work_start_at"] is None


def test_working_hours_follow_daylight_saving_time():
    days = calendar("DE", "Europe/Berlin", date(2026, 3, 27), date(2026, 3, 30))
    assert days[date(2026, 3, 27)]["work_start_at"] == datetime(2026, 3, 27, 8, 0)  # CET, UTC+1
    assert days[date(2026, 3, 30)]["work_start_at"] == datetime(2026, 3, 30, 7, 0)  # CEST, UTC+2
    assert days[date(2026, 3, 30)]["work_end_at"] == datetime(2026, 3, 30, 16, 0)


def test_running_totals_count_working_days_and_seconds_before_each_day():
    # Friday 2026-03-06 and Monday 2026-03-09 are working days in Germany, the weekend is not
    days = calendar("DE", "Europe/Berlin", date(2026, 3, 6), date(2026, 3, 10))
    numbers = [days[date(2026, 3, d)]["working_day_number"] for d in range(6, 11)]
    assert numbers == [1, 1, 1, 2, 3]  # a day off keeps the number of the working day before it
    before = [days[date(2026, 3, d)]["working_seconds_before"] for d in range(6, 11)]
    assert before == [0, 9 * 3600, 9 * 3600, 9 * 3600, 18 * 3600]  # 09:00-18:00 is 9 hours a day


def test_a_state_or_province_adds_its_own_holidays_to_the_countrys():
    # Reformation Day (31 Oct) is a holiday in Saxony, not in Germany as a whole; Melbourne Cup
    # Day (first Tuesday of November) in Victoria, not in Australia as a whole
    saxony = working_days("DE", "Europe/Berlin", time(9), time(18), date(2025, 10, 31), date(2025, 10, 31), "SN")
    germany = working_days("DE", "Europe/Berlin", time(9), time(18), date(2025, 10, 31), date(2025, 10, 31))
    assert not saxony.to_pylist()[0]["is_working_day"] and germany.to_pylist()[0]["is_working_day"]
    victoria = working_days("AU", "Australia/Melbourne", time(9), time(18), date(2025, 11, 4), date(2025, 11, 4), "VIC")
    assert not victoria.to_pylist()[0]["is_working_day"]
    assert working_days(
        "AU", "Australia/Melbourne", time(9), time(18), date(2025, 11, 4), date(2025, 11, 4)
    ).to_pylist()[0]["is_working_day"]
