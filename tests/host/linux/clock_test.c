/* The Linux personality's RTC arithmetic: dates to Unix time (expected
 * values from Python's calendar.timegm), leap years, and decoding the
 * RTC's BCD, binary and 12-hour formats. */
#include "../../../user/linux/clock.c"

#include "test.h"

TEST(clock_epoch_is_zero)
{
	CHECK_EQ(lx_unix_time(1970, 1, 1, 0, 0, 0), 0);
	CHECK_EQ(lx_unix_time(1969, 12, 31, 23, 59, 59), -1);
}

TEST(clock_known_dates)
{
	CHECK_EQ(lx_unix_time(2026, 11, 22, 5, 0, 0), 1795323600);
	CHECK_EQ(lx_unix_time(2038, 1, 19, 3, 14, 8), 2147483648LL);
	CHECK_EQ(lx_unix_time(2023, 3, 1, 0, 0, 0), 1677628800);
	CHECK_EQ(lx_unix_time(2099, 12, 31, 23, 59, 59), 4102444799LL);
}

TEST(clock_leap_years)
{
	/* 2000 is a leap year (divisible by 400), 1900 and 2100 are not. */
	CHECK_EQ(lx_unix_time(2000, 2, 29, 12, 0, 0), 951825600);
	CHECK_EQ(lx_unix_time(2000, 3, 1, 0, 0, 0), 951868800);
	CHECK_EQ(lx_unix_time(2024, 2, 29, 23, 59, 59), 1709251199);
	CHECK_EQ(lx_unix_time(2100, 3, 1, 0, 0, 0), 4107542400LL);
	CHECK_EQ(lx_unix_time(1900, 3, 1, 0, 0, 0), -2203891200LL);
	CHECK_EQ(lx_days_from_civil(2024, 3, 1) - lx_days_from_civil(2024, 2, 28), 2);
	CHECK_EQ(lx_days_from_civil(2023, 3, 1) - lx_days_from_civil(2023, 2, 28), 1);
}

TEST(clock_rtc_bcd_24h)
{
	lx_rtc_raw_t raw = {.sec = 0x00,
	                    .min = 0x00,
	                    .hour = 0x05,
	                    .day = 0x22,
	                    .mon = 0x11,
	                    .year = 0x26,
	                    .century = 0x20};
	int64_t t = 0;
	CHECK(lx_rtc_decode(&raw, LX_RTC_B_24H, &t));
	CHECK_EQ(t, 1795323600);
}

TEST(clock_rtc_binary_and_no_century)
{
	lx_rtc_raw_t raw = {.sec = 59, .min = 59, .hour = 23, .day = 29, .mon = 2, .year = 24};
	int64_t t = 0;
	CHECK(lx_rtc_decode(&raw, LX_RTC_B_24H | LX_RTC_B_BINARY, &t));
	CHECK_EQ(t, 1709251199);
}

TEST(clock_rtc_12_hour)
{
	/* 12 AM is midnight, 12 PM noon, 5 PM is 17:00. */
	lx_rtc_raw_t raw = {.hour = 0x12, .day = 0x29, .mon = 0x02, .year = 0x00, .century = 0x20};
	int64_t t = 0;
	CHECK(lx_rtc_decode(&raw, 0, &t));
	CHECK_EQ(t, lx_unix_time(2000, 2, 29, 0, 0, 0));
	raw.hour = 0x80 | 0x12;
	CHECK(lx_rtc_decode(&raw, 0, &t));
	CHECK_EQ(t, 951825600);
	raw = (lx_rtc_raw_t){.hour = 0x80 | 5, .day = 29, .mon = 2, .year = 0, .century = 20};
	CHECK(lx_rtc_decode(&raw, LX_RTC_B_BINARY, &t));
	CHECK_EQ(t, lx_unix_time(2000, 2, 29, 17, 0, 0));
}

TEST(clock_rtc_rejects_garbage)
{
	lx_rtc_raw_t raw = {.sec = 0x60, .min = 0, .hour = 0, .day = 1, .mon = 1, .year = 0};
	int64_t t = 0;
	CHECK(!lx_rtc_decode(&raw, LX_RTC_B_24H, &t));
	raw.sec = 0;
	raw.mon = 0x13;
	CHECK(!lx_rtc_decode(&raw, LX_RTC_B_24H, &t));
	raw.mon = 0;
	CHECK(!lx_rtc_decode(&raw, LX_RTC_B_24H, &t));
}
