package api

import (
	"reflect"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
)

// TestJSONType: an enum type reads as what it is underneath, whatever its
// package (notify.Format was "a notify.Format" when types were guessed by
// name).
func TestJSONType(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{notify.FormatSlack, "a string"}, {incident.Severity("SEV1"), "a string"}, {"", "a string"}, {3, "an integer"},
		{int64(3), "an integer"}, {true, "true or false"}, {[]string{}, "an array"}, {time.Time{}, "an RFC 3339 time"},
		{&time.Time{}, "an RFC 3339 time"}, {map[string]int{}, "an object"}, {1.5, "a number"},
	} {
		if got := jsonType(reflect.TypeOf(c.v)); got != c.want {
			t.Errorf("%T: %q, want %q", c.v, got, c.want)
		}
	}
}
