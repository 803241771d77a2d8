package sweep

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	est := time.FixedZone("", -5*3600)
	tests := []struct {
		name, line string
		want       time.Time
		ok         bool
	}{
		{"RFC3339", `2026-11-27T01:31:31Z sshd: x`, time.Date(2026, 11, 27, 1, 31, 31, 0, time.UTC), true},
		{"RFC3339Nano", `{"ts":"2026-11-27T01:31:31.123456789+02:00","x":1}`, time.Date(2026, 11, 27, 1, 31, 31, 123456789, time.FixedZone("", 7200)), true},
		{"RFC3339Millis", `level=info time=2026-11-27T01:31:31.5-05:00`, time.Date(2026, 11, 27, 1, 31, 31, 500000000, est), true},
		{"SpaceNoZoneIsLocation", `2026-02-28 23:59:59 W3SVC1 GET /`, time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC), true},
		{"CommaFraction", `2026-02-28 23:59:59,250 INFO x`, time.Date(2026, 2, 28, 23, 59, 59, 250000000, time.UTC), true},
		{"SpaceZone", `2026-02-28 23:59:59 -0500 x`, time.Date(2026, 2, 28, 23, 59, 59, 0, est), true},
		{"Syslog", `Nov 27 01:31:31 host sshd[1]: x`, time.Date(2025, 11, 27, 1, 31, 31, 0, time.UTC), true},
		{"SyslogPaddedDay", `Jan  2 15:04:05 host x`, time.Date(2025, 1, 2, 15, 4, 5, 0, time.UTC), true},
		{"SyslogAfterPriority", `<34>Oct 11 22:14:15 mymachine su: x`, time.Date(2025, 10, 11, 22, 14, 15, 0, time.UTC), true},
		{"WebLog", `192.0.2.1 - - [02/Jan/2006:15:04:05 -0700] "GET / HTTP/1.1" 200 1`, time.Date(2006, 1, 2, 15, 4, 5, 0, time.FixedZone("", -7*3600)), true},
		{"WindowsUSPM", `1/2/2006 3:04:05 PM Security 4624`, time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC), true},
		{"WindowsUSMidnight", `12/31/2025 12:00:01 AM x`, time.Date(2025, 12, 31, 0, 0, 1, 0, time.UTC), true},
		{"WindowsUS24h", `12/31/2025 13:00:01 x`, time.Date(2025, 12, 31, 13, 0, 1, 0, time.UTC), true},
		{"Feb30Rejected", `2026-02-30T01:00:00Z`, time.Time{}, false},
		{"HourRejected", `2026-02-03T24:00:00Z`, time.Time{}, false},
		{"PMHourRejected", `1/2/2006 13:04:05 PM`, time.Time{}, false},
		{"NoTime", `just some text 1.2.3.4 v2026`, time.Time{}, false},
		{"NotAtWordStart", `x2026-11-27T01:31:31Z`, time.Time{}, false},
		{"BeyondWindow", string(make([]byte, 300)) + `2026-11-27T01:31:31Z`, time.Time{}, false},
		{"MonthNameWithoutTime", `Nov 27 host`, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseTime([]byte(tt.line), 2025, nil)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("ParseTime(%q) = %v, %v; want %v, %v", tt.line, got, ok, tt.want, tt.ok)
			}
			if ok {
				_, off := got.Zone()
				_, woff := tt.want.Zone()
				if off != woff {
					t.Errorf("zone offset %d, want %d", off, woff)
				}
			}
		})
	}
}

func TestParseTimeLocation(t *testing.T) {
	loc := time.FixedZone("X", 3*3600)
	got, ok := ParseTime([]byte("2026-01-02 03:04:05 x"), 0, loc)
	if !ok || !got.Equal(time.Date(2026, 1, 2, 0, 4, 5, 0, time.UTC)) {
		t.Errorf("ParseTime with location = %v, %v; want 00:04:05 UTC", got, ok)
	}
}
