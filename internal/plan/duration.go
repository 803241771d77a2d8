package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/goccy/go-yaml"
)

// UnmarshalYAML accepts "2h" (after declaration) or {from: step, offset: 30m}.
func (d *Due) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err == nil {
		*d = Due{Offset: s}
		return nil
	}
	var m map[string]any
	if err := unmarshal(&m); err != nil {
		return fmt.Errorf("due must be a duration like 2h, or {from: step-id, offset: 30m}")
	}
	for k, v := range m {
		s, ok := v.(string)
		switch {
		case k == "from" && ok:
			d.From = s
		case k == "offset" && ok:
			d.Offset = s
		case k == "offset":
			// A bare number is not a duration: say which unit.
			return fmt.Errorf("due.offset %v needs a unit, like 30m, 2h or 1d", v)
		default:
			return fmt.Errorf("due has no field %q: use from and offset", k)
		}
	}
	return nil
}

// MarshalYAML writes the short form when there is no from.
func (d Due) MarshalYAML() (any, error) {
	if d.From == "" {
		return d.Offset, nil
	}
	return yaml.MapSlice{{Key: "from", Value: d.From}, {Key: "offset", Value: d.Offset}}, nil
}

// IsZero reports whether no due time was given.
func (d Due) IsZero() bool { return d.From == "" && d.Offset == "" }

var durationRE = regexp.MustCompile(`^(-?[0-9]+)(m|h|d)$`)

// maxOffset is the longest offset a plan may use.
const maxOffset = 365 * 24 * time.Hour

// parseDuration reads the plan durations: a whole number of minutes,
// hours or days ("90m", "4h", "14d").
func parseDuration(s string) (time.Duration, error) {
	m := durationRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a duration: use a whole number of minutes, hours or days, like 30m, 4h or 14d", s)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, fmt.Errorf("%q is too large", s)
	}
	unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}[m[2]]
	d := time.Duration(n) * unit
	switch {
	case d < 0:
		return 0, fmt.Errorf("%q is negative: a step cannot be due before what it is relative to", s)
	case d > maxOffset:
		return 0, fmt.Errorf("%q is more than a year", s)
	}
	return d, nil
}
