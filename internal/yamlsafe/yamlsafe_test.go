package yamlsafe

import "testing"

// crasher makes goccy/go-yaml v1.19.2 dereference nil (found by fuzzing
// the obligation facts parser).
const crasher = "organisation:\n  jurisdictions: !000000000\n00000000000000000000000000000000000000000000000000000000000 " +
	"000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000:\n" +
	"    000000000: 0000000000000000000\n00000000000000000000000000000: 00000000000000000000000000"

func TestCrasherIsAnError(t *testing.T) {
	var v struct {
		Organisation struct {
			Jurisdictions []string `yaml:"jurisdictions"`
		} `yaml:"organisation"`
	}
	if err := Unmarshal([]byte(crasher), &v); err == nil {
		t.Error("Unmarshal accepted the crasher")
	}
	if _, err := Parse([]byte(crasher)); err == nil {
		t.Log("Parse accepted the crasher (only the decoder panics on it)")
	}
}

func TestUnmarshalStrict(t *testing.T) {
	var v struct {
		A int `yaml:"a"`
	}
	if err := Unmarshal([]byte("a: 1\nb: 2\n"), &v); err == nil {
		t.Error("an unknown field was accepted")
	}
	if err := Unmarshal([]byte("a: 7\n"), &v); err != nil || v.A != 7 {
		t.Errorf("a: %d, %v", v.A, err)
	}
}
