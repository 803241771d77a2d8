package sweep

import "time"

// timeWindow is how far into a line ParseTime looks: a log's timestamp is
// at or near its start (a JSON line may put a few fields first).
const timeWindow = 256

// ParseTime finds the event time of a log line: the first timestamp in
// its first 256 bytes, in one of these forms:
//
//	2006-01-02T15:04:05.999999999Z07:00   RFC 3339 (T or space, zone optional)
//	2006-01-02 15:04:05                   Windows and many others (no zone)
//	Jan _2 15:04:05                       syslog (RFC 3164; no year, no zone)
//	02/Jan/2006:15:04:05 -0700            common and combined web logs
//	1/2/2006 3:04:05 PM                   Windows event exports (US order)
//
// A time without a zone is read in loc (nil means UTC). Syslog times have
// no year: year is used (the caller passes the file's modification year;
// 0 means the current year). ok is false when no form is found.
func ParseTime(line []byte, year int, loc *time.Location) (t time.Time, ok bool) {
	if loc == nil {
		loc = time.UTC
	}
	if len(line) > timeWindow {
		line = line[:timeWindow]
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if i > 0 && isWord(line[i-1]) {
			continue
		}
		switch {
		case isDigit(c):
			if t, ok = parseISO(line[i:], loc); ok {
				return t, true
			}
			if t, ok = parseWeb(line[i:]); ok {
				return t, true
			}
			if t, ok = parseUS(line[i:], loc); ok {
				return t, true
			}
		case 'A' <= c && c <= 'S':
			if t, ok = parseSyslog(line[i:], year, loc); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// num reads exactly n digits at b[i:].
func num(b []byte, i, n int) (int, bool) {
	if i+n > len(b) {
		return 0, false
	}
	v := 0
	for _, c := range b[i : i+n] {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// num12 reads one or two digits at b[i:], returning the index after them.
func num12(b []byte, i int) (int, int, bool) {
	if v, ok := num(b, i, 2); ok {
		return v, i + 2, true
	}
	v, ok := num(b, i, 1)
	return v, i + 1, ok
}

func at(b []byte, i int, c byte) bool { return i < len(b) && b[i] == c }

// hms reads 15:04:05 at b[i:] (hour one or two digits when short is set),
// returning the index after it.
func hms(b []byte, i int, short bool) (h, m, s, j int, ok bool) {
	if short {
		h, i, ok = num12(b, i)
	} else {
		h, ok = num(b, i, 2)
		i += 2
	}
	if !ok || !at(b, i, ':') {
		return
	}
	if m, ok = num(b, i+1, 2); !ok || !at(b, i+3, ':') {
		return 0, 0, 0, 0, false
	}
	if s, ok = num(b, i+4, 2); !ok {
		return
	}
	return h, m, s, i + 6, h < 24 && m < 60 && s < 61
}

// valid rejects dates that time.Date would silently carry over
// (February 30th becomes March 2nd).
func valid(y, mo, d int) bool {
	if mo < 1 || mo > 12 || d < 1 || y < 1970 || y > 9999 {
		return false
	}
	return d <= time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func parseISO(b []byte, loc *time.Location) (time.Time, bool) {
	y, ok1 := num(b, 0, 4)
	mo, ok2 := num(b, 5, 2)
	d, ok3 := num(b, 8, 2)
	if !ok1 || !ok2 || !ok3 || !at(b, 4, '-') || !at(b, 7, '-') || !(at(b, 10, 'T') || at(b, 10, 't') || at(b, 10, ' ')) {
		return time.Time{}, false
	}
	h, m, s, i, ok := hms(b, 11, false)
	if !ok || !valid(y, mo, d) {
		return time.Time{}, false
	}
	ns := 0
	if at(b, i, '.') || at(b, i, ',') {
		i++
		digits := 0
		for i < len(b) && isDigit(b[i]) {
			if digits < 9 {
				ns = ns*10 + int(b[i]-'0')
				digits++
			}
			i++
		}
		if digits == 0 {
			return time.Time{}, false
		}
		for ; digits < 9; digits++ {
			ns *= 10
		}
	}
	if at(b, i, ' ') && (at(b, i+1, '+') || at(b, i+1, '-')) {
		i++ // "2006-01-02 15:04:05 -0700"
	}
	switch {
	case at(b, i, 'Z') || at(b, i, 'z'):
		loc = time.UTC
	case at(b, i, '+') || at(b, i, '-'):
		zh, ok1 := num(b, i+1, 2)
		j := i + 3
		if at(b, j, ':') {
			j++
		}
		zm, ok2 := num(b, j, 2)
		if ok1 && ok2 && zh < 24 && zm < 60 {
			off := zh*3600 + zm*60
			if b[i] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	return time.Date(y, time.Month(mo), d, h, m, s, ns, loc), true
}

var months = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func month(b []byte, i int) (int, bool) {
	if i+3 > len(b) {
		return 0, false
	}
	for k, m := range months {
		if string(b[i:i+3]) == m {
			return k + 1, true
		}
	}
	return 0, false
}

// parseWeb reads 02/Jan/2006:15:04:05 -0700.
func parseWeb(b []byte) (time.Time, bool) {
	d, ok1 := num(b, 0, 2)
	mo, ok2 := month(b, 3)
	y, ok3 := num(b, 7, 4)
	if !ok1 || !ok2 || !ok3 || !at(b, 2, '/') || !at(b, 6, '/') || !at(b, 11, ':') {
		return time.Time{}, false
	}
	h, m, s, i, ok := hms(b, 12, false)
	if !ok || !valid(y, mo, d) || !at(b, i, ' ') || !(at(b, i+1, '+') || at(b, i+1, '-')) {
		return time.Time{}, false
	}
	zh, ok1 := num(b, i+2, 2)
	zm, ok2 := num(b, i+4, 2)
	if !ok1 || !ok2 || zh > 23 || zm > 59 {
		return time.Time{}, false
	}
	off := zh*3600 + zm*60
	if b[i+1] == '-' {
		off = -off
	}
	return time.Date(y, time.Month(mo), d, h, m, s, 0, time.FixedZone("", off)), true
}

// parseUS reads 1/2/2006 3:04:05 PM (the AM/PM part optional, then a
// 24-hour clock).
func parseUS(b []byte, loc *time.Location) (time.Time, bool) {
	mo, i, ok := num12(b, 0)
	if !ok || !at(b, i, '/') {
		return time.Time{}, false
	}
	d, i, ok := num12(b, i+1)
	if !ok || !at(b, i, '/') {
		return time.Time{}, false
	}
	y, ok := num(b, i+1, 4)
	if !ok || !at(b, i+5, ' ') {
		return time.Time{}, false
	}
	h, m, s, j, ok := hms(b, i+6, true)
	if !ok || !valid(y, mo, d) {
		return time.Time{}, false
	}
	if at(b, j, ' ') && j+3 <= len(b) && (b[j+2] == 'M' || b[j+2] == 'm') {
		switch pm := b[j+1] | 0x20; {
		case h < 1 || h > 12:
			return time.Time{}, false
		case pm == 'a' && h == 12:
			h = 0
		case pm == 'p' && h < 12:
			h += 12
		}
	}
	return time.Date(y, time.Month(mo), d, h, m, s, 0, loc), true
}

// parseSyslog reads Jan _2 15:04:05 (RFC 3164).
func parseSyslog(b []byte, year int, loc *time.Location) (time.Time, bool) {
	mo, ok := month(b, 0)
	if !ok || !at(b, 3, ' ') {
		return time.Time{}, false
	}
	i := 4
	if at(b, i, ' ') {
		i++
	}
	d, i, ok := num12(b, i)
	if !ok || !at(b, i, ' ') {
		return time.Time{}, false
	}
	h, m, s, _, ok := hms(b, i+1, false)
	if year == 0 {
		year = time.Now().Year()
	}
	if !ok || !valid(year, mo, d) {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(mo), d, h, m, s, 0, loc), true
}
