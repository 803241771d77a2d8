package notify

import (
	"errors"
	"hash/fnv"
	"strconv"
	"time"
)

// The retry schedule: 30s after the first failure, doubling, at most an
// hour apart. With DefaultMaxAttempts a message is tried for about an hour
// before it fails.
const (
	firstBackoff = 30 * time.Second
	maxBackoff   = time.Hour
)

// Backoff is how long to wait after the attempts-th failed attempt of the
// message id. It adds up to 10% jitter so that messages which failed
// together (a receiver was down) do not all retry in the same second; the
// jitter is derived from the ID and attempt, not drawn at random, so the
// schedule is the same every time under an injected clock.
func Backoff(id string, attempts int) time.Duration {
	d := firstBackoff
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	if d >= maxBackoff {
		return maxBackoff
	}
	h := fnv.New64a()
	h.Write([]byte(id + "#" + strconv.Itoa(attempts)))
	d += time.Duration(h.Sum64() % uint64(d/10))
	return min(d, maxBackoff)
}

// Errors from a delivery say what to do next; a plain error means "try
// again later".
type (
	// permanentError will not go away by retrying: the message fails now.
	permanentError struct{ err error }
	// cancelError means the message is no longer wanted (its webhook was
	// removed or disabled).
	cancelError struct{ err error }
	// retryAfterError is temporary, and the receiver said when to return.
	retryAfterError struct {
		err   error
		after time.Duration
	}
)

func (e *permanentError) Error() string  { return e.err.Error() }
func (e *permanentError) Unwrap() error  { return e.err }
func (e *cancelError) Error() string     { return e.err.Error() }
func (e *cancelError) Unwrap() error     { return e.err }
func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

func permanent(err error) error { return &permanentError{err} }

func retryAfter(err error, after time.Duration) error {
	if after <= 0 {
		return err
	}
	return &retryAfterError{err, after}
}

// outcome is what RunOnce records for a delivery that did not succeed.
type outcome struct {
	status Status
	next   time.Time // when status is Pending
}

// nextStep decides what happens after a failed attempt at now.
func nextStep(err error, id string, attempts, maxAttempts int, now time.Time) outcome {
	var pe *permanentError
	var ce *cancelError
	var ra *retryAfterError
	switch {
	case errors.As(err, &ce):
		return outcome{status: Cancelled}
	case errors.As(err, &pe), attempts >= maxAttempts:
		return outcome{status: Failed}
	}
	wait := Backoff(id, attempts)
	if errors.As(err, &ra) {
		// Honour a receiver that asks for longer, within the usual cap.
		wait = max(wait, min(ra.after, maxBackoff))
	}
	return outcome{status: Pending, next: now.Add(wait)}
}
