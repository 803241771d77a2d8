package notify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// verifySignature checks a Warroom-Signature header the way
// docs/notifications.md tells a receiver to. It is written from the
// documentation, deliberately without notify.Sign, so a change to the
// scheme that the docs do not describe fails the tests.
func verifySignature(secret, header string, body []byte, now time.Time) error {
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return errors.New("malformed signature header")
	}
	if age := now.Sub(time.Unix(sec, 0)); age > 5*time.Minute || age < -5*time.Minute {
		return fmt.Errorf("timestamp outside the 5-minute window (%s)", age)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(body)))
	want := mac.Sum(nil)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return errors.New("signature does not match")
}

// receiver is a webhook endpoint: it verifies the signature against real
// time, fails the first `fail` valid requests with 500, and counts
// accepted deliveries by Warroom-Delivery.
type receiver struct {
	srv *httptest.Server

	mu       sync.Mutex
	now      func() time.Time // the receiver's clock for the replay window
	secret   string
	fail     int
	requests int
	rejected []string
	accepted map[string]int
	bodies   [][]byte
	headers  []http.Header
}

func newReceiver(t testing.TB) *receiver {
	t.Helper()
	rc := &receiver{accepted: map[string]int{}, now: time.Now}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests++
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want a JSON POST", http.StatusBadRequest)
		return
	}
	if err := verifySignature(rc.secret, r.Header.Get("Warroom-Signature"), body, rc.now()); err != nil {
		rc.rejected = append(rc.rejected, err.Error())
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if rc.fail > 0 {
		rc.fail--
		http.Error(w, "temporarily unavailable", http.StatusInternalServerError)
		return
	}
	rc.accepted[r.Header.Get("Warroom-Delivery")]++
	rc.bodies = append(rc.bodies, body)
	rc.headers = append(rc.headers, r.Header.Clone())
}

func (rc *receiver) setSecret(s string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.secret = s
}

func (rc *receiver) setFail(n int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.fail = n
}

// counts returns the number of requests and of accepted deliveries of id.
func (rc *receiver) counts(id string) (requests, accepted int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.requests, rc.accepted[id]
}

func (rc *receiver) last(t testing.TB) ([]byte, http.Header) {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bodies) == 0 {
		t.Fatalf("nothing accepted (rejected: %q)", rc.rejected)
	}
	return rc.bodies[len(rc.bodies)-1], rc.headers[len(rc.headers)-1]
}
