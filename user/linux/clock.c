/*
 * Calendar arithmetic for the RTC (clock.h). days_from_civil is Howard
 * Hinnant's algorithm: shift the year to start in March, so the leap day
 * is the last of the year, then count 400-year eras of 146097 days.
 */
#include "clock.h"

int64_t lx_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                   /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

int64_t lx_unix_time(int64_t y, unsigned mon, unsigned day, unsigned h, unsigned min, unsigned s)
{
	return lx_days_from_civil(y, mon, day) * 86400 + h * 3600 + min * 60 + s;
}

static unsigned from_bcd(uint8_t v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0x0f);
}

bool lx_rtc_decode(const lx_rtc_raw_t *raw, uint8_t status_b, int64_t *out)
{
	bool binary = status_b & LX_RTC_B_BINARY;
	bool pm = !(status_b & LX_RTC_B_24H) && (raw->hour & 0x80);
	unsigned sec = from_bcd(raw->sec, binary);
	unsigned min = from_bcd(raw->min, binary);
	unsigned hour = from_bcd(raw->hour & 0x7f, binary);
	unsigned day = from_bcd(raw->day, binary);
	unsigned mon = from_bcd(raw->mon, binary);
	unsigned year = from_bcd(raw->year, binary);
	unsigned century = from_bcd(raw->century, binary);
	if (!(status_b & LX_RTC_B_24H)) {
		if (hour < 1 || hour > 12)
			return false;
		hour = hour % 12 + (pm ? 12 : 0); /* 12 AM is 0, 12 PM is 12 */
	}
	if (century < 19 || century > 99)
		century = 20;
	if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || mon < 1 || mon > 12 ||
	    year > 99)
		return false;
	*out = lx_unix_time(century * 100 + year, mon, day, hour, min, sec);
	return true;
}
