package obligation

import (
	"fmt"
	"time"
	_ "time/tzdata" // deadlines end in the regime's zone on any machine, with or without a system zoneinfo
)

// A date is a civil day, held as midnight UTC so AddDate never meets a
// daylight-saving gap.
func dateOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// endOfDay is the last second of the civil day d in loc: the instant a
// day-based deadline falls due.
func endOfDay(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc)
}

func dayName(d time.Time) string { return d.Format("Mon 2006-01-02") }

// Calendar says which days are business days for a regime.
type Calendar struct {
	Name string
	// holidays returns the holidays of a year by date, with their names.
	holidays func(year int) map[time.Time]string
}

// CalendarByName returns one of the calendars in CalendarNames.
func CalendarByName(name string) (*Calendar, error) {
	switch name {
	case "us_federal":
		return &Calendar{Name: "US federal", holidays: usFederalHolidays}, nil
	case "brazil":
		return &Calendar{Name: "Brazil national", holidays: brazilHolidays}, nil
	case "weekends":
		return &Calendar{Name: "Monday-Friday", holidays: func(int) map[time.Time]string { return nil }}, nil
	}
	return nil, fmt.Errorf("unknown calendar %q", name)
}

// Holiday returns the name of the holiday on d, if it is one.
func (c *Calendar) Holiday(d time.Time) (string, bool) {
	// A holiday observed on 31 December belongs to the next year's rule
	// (New Year's Day on a Saturday), so look at both years.
	for _, y := range []int{d.Year(), d.Year() + 1} {
		if n, ok := c.holidays(y)[d]; ok {
			return n, true
		}
	}
	return "", false
}

// IsBusinessDay reports whether d is neither a weekend day nor a holiday.
func (c *Calendar) IsBusinessDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, h := c.Holiday(d)
	return !h
}

// AddBusinessDays returns the n-th business day after the date start
// (start itself never counts: "within 4 business days after" a Wednesday
// determination counts Thursday as day 1), and the holidays passed over.
func (c *Calendar) AddBusinessDays(start time.Time, n int) (time.Time, []string) {
	d := start
	var skipped []string
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsBusinessDay(d) {
			n--
			continue
		}
		if name, ok := c.Holiday(d); ok && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			skipped = append(skipped, dayName(d)+" is "+name)
		}
	}
	return d, skipped
}

// addMonths adds n calendar months to the date d the way EU Regulation
// 1182/71 Art. 3(2)(c) counts: the same day-of-month, or the last day of
// the month when that day does not exist (31 January + 1 month = 28 or 29
// February), so the result is never later than the period allows. It
// reports whether the day was clamped.
func addMonths(d time.Time, n int) (time.Time, bool) {
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	day := d.Day()
	if day > last {
		return time.Date(first.Year(), first.Month(), last, 0, 0, 0, 0, time.UTC), true
	}
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC), false
}

func nthWeekday(year int, month time.Month, wd time.Weekday, n int) time.Time {
	d := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 7*(n-1))
}

func lastWeekday(year int, month time.Month, wd time.Weekday) time.Time {
	d := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// usFederalHolidays are the legal public holidays of 5 U.S.C. 6103(a) for
// a year, on the day they are observed: a holiday on a Saturday is observed
// the Friday before, on a Sunday the Monday after (5 U.S.C. 6103(b);
// Executive Order 11582). Juneteenth counts from 2021 (Pub. L. 117-17).
// Inauguration Day (DC area only, every fourth 20 January) is not included.
func usFederalHolidays(year int) map[time.Time]string {
	fixed := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	out := map[time.Time]string{}
	add := func(d time.Time, name string) {
		switch d.Weekday() {
		case time.Saturday:
			out[d.AddDate(0, 0, -1)] = name + " (observed)"
		case time.Sunday:
			out[d.AddDate(0, 0, 1)] = name + " (observed)"
		default:
			out[d] = name
		}
	}
	add(fixed(time.January, 1), "New Year's Day")
	out[nthWeekday(year, time.January, time.Monday, 3)] = "Birthday of Martin Luther King, Jr."
	out[nthWeekday(year, time.February, time.Monday, 3)] = "Washington's Birthday"
	out[lastWeekday(year, time.May, time.Monday)] = "Memorial Day"
	if year >= 2021 {
		add(fixed(time.June, 19), "Juneteenth National Independence Day")
	}
	add(fixed(time.July, 4), "Independence Day")
	out[nthWeekday(year, time.September, time.Monday, 1)] = "Labor Day"
	out[nthWeekday(year, time.October, time.Monday, 2)] = "Columbus Day"
	add(fixed(time.November, 11), "Veterans Day")
	out[nthWeekday(year, time.November, time.Thursday, 4)] = "Thanksgiving Day"
	add(fixed(time.December, 25), "Christmas Day")
	return out
}

// easter returns Easter Sunday of the Gregorian calendar (the anonymous
// algorithm published by Meeus, "Astronomical Algorithms").
func easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// brazilHolidays are Brazil's national holidays: Lei 662/1949 as amended
// by Lei 10.607/2002 (1 January, 21 April, 1 May, 7 September, 2 and 15
// November, 25 December), Lei 6.802/1980 (12 October), Lei 14.759/2023 (20
// November, from 2024), and Good Friday (Paixão de Cristo), which the
// federal government's annual holiday ordinance lists as a national
// holiday. Carnival and Corpus Christi are only optional days off (ponto
// facultativo) in that ordinance, so they count as business days: the
// deadline can only come earlier, never late. Brazilian holidays do not
// move when they fall on a weekend.
func brazilHolidays(year int) map[time.Time]string {
	fixed := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	out := map[time.Time]string{
		fixed(time.January, 1):         "Confraternização Universal (New Year's Day)",
		easter(year).AddDate(0, 0, -2): "Paixão de Cristo (Good Friday)",
		fixed(time.April, 21):          "Tiradentes",
		fixed(time.May, 1):             "Dia do Trabalho (Labour Day)",
		fixed(time.September, 7):       "Independência do Brasil",
		fixed(time.October, 12):        "Nossa Senhora Aparecida",
		fixed(time.November, 2):        "Finados (All Souls' Day)",
		fixed(time.November, 15):       "Proclamação da República",
		fixed(time.December, 25):       "Natal (Christmas)",
	}
	if year >= 2024 {
		out[fixed(time.November, 20)] = "Dia Nacional de Zumbi e da Consciência Negra"
	}
	return out
}
