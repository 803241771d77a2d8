package client

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Tactic is a MITRE ATT&CK Enterprise tactic (docs/attack.md).
type Tactic struct {
	ID        string `json:"id"`
	ShortName string `json:"short_name"`
	Name      string `json:"name"`
}

// Technique is an entry of the server's imported ATT&CK catalogue.
type Technique struct {
	ID             string    `json:"id"`
	STIXID         string    `json:"stix_id"`
	Name           string    `json:"name"`
	ParentID       string    `json:"parent_id,omitempty"`
	Tactics        []string  `json:"tactics"`
	IsSubtechnique bool      `json:"is_subtechnique"`
	Revoked        bool      `json:"revoked"`
	RevokedBy      string    `json:"revoked_by,omitempty"`
	Deprecated     bool      `json:"deprecated"`
	URL            string    `json:"url"`
	Modified       time.Time `json:"modified"`
}

// Catalogue says which ATT&CK catalogue the server has loaded.
type Catalogue struct {
	Loaded     bool       `json:"loaded"`
	Version    string     `json:"version,omitempty"`
	ImportedAt *time.Time `json:"imported_at,omitempty"`
	Techniques int        `json:"techniques"`
}

// TechniqueList is a catalogue listing.
type TechniqueList struct {
	Catalogue Catalogue   `json:"catalogue"`
	Items     []Technique `json:"items"`
}

// TechniqueFilter selects catalogue entries.
type TechniqueFilter struct {
	Query  string
	Tactic string
	All    bool // include revoked and deprecated
}

// AttackInput records attacker activity; Text and EventTime are required.
type AttackInput struct {
	Text       string     `json:"text"`
	EventTime  *time.Time `json:"event_time"`
	Precision  string     `json:"precision,omitempty"` // second (default), minute, hour, day
	Host       string     `json:"host,omitempty"`
	Account    string     `json:"account,omitempty"`
	Tactic     string     `json:"tactic,omitempty"`
	Technique  string     `json:"technique,omitempty"`
	Indicators []string   `json:"indicators,omitempty"` // indicator IDs of the same incident
	Evidence   []string   `json:"evidence,omitempty"`   // EV-3, 3 or the item's ID
	Corrects   string     `json:"corrects,omitempty"`   // an attacker-activity entry this one replaces
}

// Activity is the structured part of an attacker-activity entry.
type Activity struct {
	Precision     string          `json:"precision"`
	Host          string          `json:"host,omitempty"`
	Account       string          `json:"account,omitempty"`
	Tactic        string          `json:"tactic,omitempty"`
	Technique     string          `json:"technique,omitempty"`
	TechniqueName string          `json:"technique_name,omitempty"`
	Indicators    []IndicatorLink `json:"indicators"`
	Evidence      []EvidenceLink  `json:"evidence"`
}

// IndicatorLink is an indicator linked to activity, as it was when linked.
type IndicatorLink struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// EvidenceLink is an evidence item linked to activity.
type EvidenceLink struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Name  string `json:"name"`
}

// AttackRecorded is the entry written, with warnings worth reading.
type AttackRecorded struct {
	Entry    Entry    `json:"entry"`
	Activity Activity `json:"activity"`
	Warnings []string `json:"warnings"`
}

// Story is an incident's attacker activity grouped by tactic.
type Story struct {
	IncidentRef string          `json:"incident_ref"`
	Groups      []StoryGroup    `json:"groups"`
	Activities  int             `json:"activities"`
	First       *StoryTime      `json:"first,omitempty"`
	Last        *StoryTime      `json:"last,omitempty"`
	Hosts       []Reach         `json:"hosts"`
	Accounts    []Reach         `json:"accounts"`
	Techniques  []Reach         `json:"techniques"`
	Indicators  []IndicatorLink `json:"indicators"`
	Evidence    []EvidenceLink  `json:"evidence"`
	Truncated   bool            `json:"truncated"`
}

// StoryTime is an event time with its precision, and as text.
type StoryTime struct {
	At        time.Time `json:"at"`
	Precision string    `json:"precision"`
	Text      string    `json:"text"`
}

// StoryGroup is the activity under one tactic (an empty ID: unclassified).
type StoryGroup struct {
	Tactic Tactic      `json:"tactic"`
	Items  []StoryItem `json:"items"`
	First  StoryTime   `json:"first"`
	Last   StoryTime   `json:"last"`
}

// StoryItem is one activity after corrections.
type StoryItem struct {
	EntryID    string    `json:"entry_id"`
	Seq        int64     `json:"seq"`
	When       StoryTime `json:"when"`
	Text       string    `json:"text"`
	ActorName  string    `json:"actor_name"`
	RecordedAt time.Time `json:"recorded_at"`
	Activity
	Supersedes []StoryVersion `json:"supersedes"`
	Notes      []StoryVersion `json:"notes"`
	Warnings   []string       `json:"warnings"` // the technique against the catalogue loaded now
}

// StoryVersion is an earlier version of, or a note on, an activity.
type StoryVersion struct {
	EntryID    string    `json:"entry_id"`
	Seq        int64     `json:"seq"`
	Text       string    `json:"text"`
	When       StoryTime `json:"when"`
	ActorName  string    `json:"actor_name"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Reach is a host, account or technique seen in the story.
type Reach struct {
	Name  string    `json:"name"`
	Label string    `json:"label,omitempty"`
	Count int       `json:"count"`
	First StoryTime `json:"first"`
	Last  StoryTime `json:"last"`
}

// RecordAttack records attacker activity in an incident.
func (c *Client) RecordAttack(ctx context.Context, ref string, in AttackInput) (AttackRecorded, error) {
	var out AttackRecorded
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/attack", nil, in, &out)
	return out, err
}

// AttackStory returns an incident's attacker story.
func (c *Client) AttackStory(ctx context.Context, ref string) (Story, error) {
	var out Story
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/attack/story", &out)
}

// AttackTactics lists the built-in ATT&CK tactics in kill-chain order.
func (c *Client) AttackTactics(ctx context.Context) ([]Tactic, error) {
	var out Page[Tactic]
	return out.Items, c.get(ctx, "/api/v1/attack/tactics", &out)
}

// AttackTechniques lists the server's ATT&CK catalogue.
func (c *Client) AttackTechniques(ctx context.Context, f TechniqueFilter) (TechniqueList, error) {
	var out TechniqueList
	return out, c.get(ctx, "/api/v1/attack/techniques"+values("q", f.Query, "tactic", f.Tactic, "all", strconv.FormatBool(f.All)), &out)
}
