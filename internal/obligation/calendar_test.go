package obligation

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestUSFederalHolidays checks observed days against OPM's published
// calendars for 2026-2028.
func TestUSFederalHolidays(t *testing.T) {
	cal, _ := CalendarByName("us_federal")
	holidays := map[string]string{
		"2026-01-01": "New Year's Day", "2026-01-19": "Martin Luther King", "2026-02-16": "Washington's Birthday",
		"2026-05-25": "Memorial Day", "2026-06-19": "Juneteenth", "2026-07-03": "Independence Day (observed)",
		"2026-09-07": "Labor Day", "2026-10-12": "Columbus Day", "2026-11-11": "Veterans Day",
		"2026-11-26": "Thanksgiving", "2026-12-25": "Christmas",
		"2027-06-18": "Juneteenth National Independence Day (observed)", "2027-07-05": "Independence Day (observed)",
		"2027-11-11": "Veterans Day", "2027-12-24": "Christmas Day (observed)", "2027-12-31": "New Year's Day (observed)",
		"2028-11-10": "Veterans Day (observed)", "2028-11-23": "Thanksgiving",
	}
	for d, want := range holidays {
		name, ok := cal.Holiday(day(d))
		if !ok || !contains(name, want) {
			t.Errorf("%s: got %q %v, want %q", d, name, ok, want)
		}
		if cal.IsBusinessDay(day(d)) {
			t.Errorf("%s counted as a business day", d)
		}
	}
	for _, d := range []string{"2026-07-04", "2027-07-04", "2028-01-01", "2026-11-27", "2026-12-24"} {
		if name, ok := cal.Holiday(day(d)); ok {
			t.Errorf("%s: unexpected holiday %q", d, name)
		}
	}
	if !cal.IsBusinessDay(day("2026-11-27")) || cal.IsBusinessDay(day("2026-11-28")) {
		t.Error("Friday after Thanksgiving is a business day, Saturday is not")
	}
	// Juneteenth became a holiday in 2021.
	if _, ok := cal.Holiday(day("2020-06-19")); ok {
		t.Error("Juneteenth 2020 was not a federal holiday")
	}
}

func TestEaster(t *testing.T) {
	for y, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25", 2285: "2285-03-22"} {
		if got := easter(y).Format(time.DateOnly); got != want {
			t.Errorf("Easter %d = %s, want %s", y, got, want)
		}
	}
}

func TestBrazilHolidays(t *testing.T) {
	cal, _ := CalendarByName("brazil")
	for _, d := range []string{"2026-01-01", "2026-04-03", "2026-04-21", "2026-05-01", "2026-09-07", "2026-10-12", "2026-11-02", "2026-11-15", "2026-11-20", "2026-12-25", "2027-03-26"} {
		if _, ok := cal.Holiday(day(d)); !ok {
			t.Errorf("%s should be a national holiday", d)
		}
	}
	// Carnival and Corpus Christi are optional (ponto facultativo); 20
	// November became national only in 2024.
	for _, d := range []string{"2026-02-16", "2026-02-17", "2026-06-04", "2023-11-20"} {
		if _, ok := cal.Holiday(day(d)); ok {
			t.Errorf("%s should not be a national holiday", d)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	us, _ := CalendarByName("us_federal")
	wk, _ := CalendarByName("weekends")
	for _, tc := range []struct {
		cal   *Calendar
		start string
		n     int
		want  string
	}{
		{us, "2026-11-25", 4, "2026-12-02"}, // Thanksgiving
		{us, "2026-11-28", 1, "2026-11-30"}, // from a Saturday
		{us, "2026-12-24", 1, "2026-12-28"}, // Christmas Friday
		{wk, "2026-12-24", 1, "2026-12-25"}, // weekends only
		{wk, "2026-12-04", 10, "2026-12-18"},
	} {
		got, _ := tc.cal.AddBusinessDays(day(tc.start), tc.n)
		if got.Format(time.DateOnly) != tc.want {
			t.Errorf("%s + %d business days (%s) = %s, want %s", tc.start, tc.n, tc.cal.Name, got.Format(time.DateOnly), tc.want)
		}
	}
}

// TestAddMonths: a month-based period never ends later than the
// corresponding day, and the last day of a shorter month stands in for a
// missing one (Reg. 1182/71 Art. 3(2)(c)).
func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		start   string
		n       int
		want    string
		clamped bool
	}{
		{"2026-01-31", 1, "2026-02-28", true},
		{"2028-01-31", 1, "2028-02-29", true},
		{"2026-01-30", 1, "2026-02-28", true},
		{"2026-01-28", 1, "2026-02-28", false},
		{"2026-03-31", 1, "2026-04-30", true},
		{"2026-08-31", 6, "2027-02-28", true},
		{"2026-12-15", 1, "2027-01-15", false},
		{"2026-02-28", 1, "2026-03-28", false},
	} {
		got, clamped := addMonths(day(tc.start), tc.n)
		if got.Format(time.DateOnly) != tc.want || clamped != tc.clamped {
			t.Errorf("%s + %d months = %s (clamped %v), want %s (%v)", tc.start, tc.n, got.Format(time.DateOnly), clamped, tc.want, tc.clamped)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
