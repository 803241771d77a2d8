package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The signature scheme, documented in docs/notifications.md. Change it
// only with a new version tag (v2) so receivers can move over.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256>".
	SignatureHeader = "Warroom-Signature"
	// DeliveryHeader carries the outbox message ID; a retried delivery
	// keeps it, so receivers dedupe on it.
	DeliveryHeader = "Warroom-Delivery"
	// EventHeader carries the message's event.
	EventHeader = "Warroom-Event"
)

// Sign returns the Warroom-Signature value for body sent at t: the HMAC-
// SHA256, keyed with secret, of "<t as unix seconds>.<body>". Binding the
// time into the MAC is what lets a receiver refuse replays.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// GenericPayload is the body of a generic webhook delivery.
type GenericPayload struct {
	ID        string           `json:"id"` // the delivery ID, as in Warroom-Delivery
	Event     string           `json:"event"`
	Timestamp time.Time        `json:"timestamp"`
	Incident  *GenericIncident `json:"incident,omitempty"`
	PageID    string           `json:"page_id,omitempty"`
	Subject   string           `json:"subject"`
	Text      string           `json:"text"`
	Link      string           `json:"link,omitempty"`
	AckURL    string           `json:"ack_url,omitempty"`
}

// GenericIncident is the incident a generic payload is about.
type GenericIncident struct {
	ID       string `json:"id"`
	Ref      string `json:"ref"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
}

// teamsCard is an Office 365 connector MessageCard, the format Teams
// incoming webhooks accept.
type teamsCard struct {
	Type       string        `json:"@type"`
	Context    string        `json:"@context"`
	Summary    string        `json:"summary"`
	Title      string        `json:"title"`
	Text       string        `json:"text"`
	ThemeColor string        `json:"themeColor,omitempty"`
	Actions    []teamsAction `json:"potentialAction,omitempty"`
}

type teamsAction struct {
	Type    string        `json:"@type"`
	Name    string        `json:"name"`
	Targets []teamsTarget `json:"targets"`
}

type teamsTarget struct {
	OS  string `json:"os"`
	URI string `json:"uri"`
}

// payload renders the body of a webhook delivery of d.
func payload(d claimed, at time.Time) ([]byte, error) {
	switch d.Format {
	case FormatGeneric:
		p := GenericPayload{ID: d.ID, Event: d.Event, Timestamp: at.UTC().Truncate(time.Second), PageID: d.PageID,
			Subject: d.Subject, Text: d.Body, Link: d.Link, AckURL: d.ackURL}
		if d.IncidentID != "" {
			p.Incident = &GenericIncident{ID: d.IncidentID, Ref: d.Incident.Ref, Title: d.Incident.Title, Severity: d.Incident.Severity}
		}
		return json.Marshal(p)
	case FormatSlack, FormatMattermost:
		return json.Marshal(map[string]string{"text": chatText(d)})
	case FormatTeams:
		c := teamsCard{Type: "MessageCard", Context: "https://schema.org/extensions", Summary: d.Subject, Title: d.Subject,
			Text: strings.ReplaceAll(d.Body, "\n", "\n\n"), ThemeColor: severityColor(d.Incident.Severity)}
		if d.ackURL != "" {
			c.Actions = append(c.Actions, teamsAction{Type: "OpenUri", Name: "Acknowledge", Targets: []teamsTarget{{OS: "default", URI: d.ackURL}}})
		}
		if d.Link != "" {
			c.Actions = append(c.Actions, teamsAction{Type: "OpenUri", Name: "Open incident", Targets: []teamsTarget{{OS: "default", URI: d.Link}}})
		}
		return json.Marshal(c)
	}
	return nil, fmt.Errorf("unknown webhook format %q", d.Format)
}

// chatText is the message for Slack and Mattermost: Slack's mrkdwn links
// are <url|label> and its text must escape &, < and >; Mattermost reads
// Markdown.
func chatText(d claimed) string {
	var b strings.Builder
	link := func(label, u string) {
		if d.Format == FormatSlack {
			fmt.Fprintf(&b, "<%s|%s>", u, label)
		} else {
			fmt.Fprintf(&b, "[%s](%s)", label, u)
		}
	}
	if d.Format == FormatSlack {
		b.WriteString("*" + slackEscape(d.Subject) + "*\n" + slackEscape(d.Body))
	} else {
		b.WriteString("**" + d.Subject + "**\n" + d.Body)
	}
	if d.ackURL != "" || d.Link != "" {
		b.WriteString("\n")
	}
	if d.ackURL != "" {
		link("Acknowledge", d.ackURL)
		if d.Link != "" {
			b.WriteString(" · ")
		}
	}
	if d.Link != "" {
		link("Open incident", d.Link)
	}
	return b.String()
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func slackEscape(s string) string { return slackEscaper.Replace(s) }

func severityColor(sev string) string {
	switch sev {
	case "SEV1":
		return "D13438"
	case "SEV2":
		return "FF8C00"
	}
	return "0078D7"
}

// emailText is the plain-text body of an email delivery.
func emailText(d claimed) string {
	var b strings.Builder
	b.WriteString(d.Body)
	b.WriteString("\n\n")
	if d.Link != "" {
		b.WriteString("Incident:    " + d.Link + "\n")
	}
	if d.ackURL != "" {
		b.WriteString("Acknowledge: " + d.ackURL + "\n")
	}
	b.WriteString("\n-- \nSent by Warroom. Delivery " + d.ID + ".\n")
	return b.String()
}
