package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// NewHTTPClient returns the client webhooks are posted with: bounded at
// every stage so a slow receiver cannot hold a worker, and not following
// redirects, which would send a signed incident payload to a URL nobody
// configured.
func NewHTTPClient() *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// maxResponse is how much of a receiver's answer is read: enough for an
// error message, not enough to be a problem.
const maxResponse = 64 << 10

// post sends one signed webhook delivery.
func post(ctx context.Context, client *http.Client, w Webhook, d claimed, at time.Time) error {
	body, err := payload(d, at)
	if err != nil {
		return permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return permanent(errors.New("the webhook URL is not valid"))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Warroom-Webhook/1")
	req.Header.Set(DeliveryHeader, d.ID)
	req.Header.Set(EventHeader, d.Event)
	req.Header.Set(SignatureHeader, Sign(w.Secret, at, body))
	resp, err := client.Do(req)
	if err != nil {
		// A *url.Error names the URL, and Slack and Teams webhook URLs are
		// credentials: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("post webhook: %w", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("webhook answered %s: %s", resp.Status, printable(snippet))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout ||
		resp.StatusCode == http.StatusTooEarly || resp.StatusCode >= 500:
		return retryAfter(err, parseRetryAfter(resp.Header.Get("Retry-After")))
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return permanent(fmt.Errorf("webhook redirected (%s): configure the final URL", resp.Status))
	}
	// Other 4xx: the receiver refuses this request (bad URL, revoked
	// webhook, signature rejected); resending it unchanged will not help.
	return permanent(err)
}

// parseRetryAfter reads a Retry-After given in seconds (the HTTP-date form
// is rare for webhooks and ignored).
func parseRetryAfter(s string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// printable keeps a receiver's answer fit to show in the UI.
func printable(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, string(bytes.ToValidUTF8(b, nil)))
	return strings.TrimSpace(s)
}
