#ifndef LINUX_CLOCK_H
#define LINUX_CLOCK_H

/*
 * The CMOS real-time clock's registers made into Unix time. Pure: the port
 * I/O is in time.c, so host tests can check the arithmetic.
 */
#include <stdbool.h>
#include <stdint.h>

/* Status register B: the clock counts in binary (else BCD), in 24-hour
 * mode (else 12-hour, with bit 7 of the hours register meaning PM). */
#define LX_RTC_B_BINARY 0x04
#define LX_RTC_B_24H 0x02

/* The RTC's date and time registers as read, undecoded. */
typedef struct lx_rtc_raw {
	uint8_t sec, min, hour, day, mon, year;
	uint8_t century; /* register 0x32; 0 when the clock has none */
} lx_rtc_raw_t;

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1..12,
 * d 1..31); negative before 1970. */
int64_t lx_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Seconds since the epoch of the UTC date and time given. */
int64_t lx_unix_time(int64_t y, unsigned mon, unsigned day, unsigned h, unsigned min, unsigned s);

/* Decode raw (in the format status register B says) into *out, Unix
 * seconds. A missing or implausible century means 20xx. False when a
 * field is out of range (a clock that was never set). */
bool lx_rtc_decode(const lx_rtc_raw_t *raw, uint8_t status_b, int64_t *out);

#endif
