package attack

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// MaxStoryEntries bounds the entries one story reads; a story cut short
// says so (Truncated).
const MaxStoryEntries = 10000

// Story answers what the attackers did, when, how and what they reached:
// the incident's attacker activity grouped by tactic in kill-chain order,
// each group in event-time order, with what was reached over all of it.
type Story struct {
	IncidentRef string          `json:"incident_ref"`
	Groups      []StoryGroup    `json:"groups"`
	Activities  int             `json:"activities"` // current entries (corrected ones count once)
	First       *StoryTime      `json:"first,omitempty"`
	Last        *StoryTime      `json:"last,omitempty"`
	Hosts       []Reach         `json:"hosts"`
	Accounts    []Reach         `json:"accounts"`
	Techniques  []Reach         `json:"techniques"`
	Indicators  []IndicatorLink `json:"indicators"`
	Evidence    []EvidenceLink  `json:"evidence"`
	Truncated   bool            `json:"truncated"`
}

// StoryTime is an event time with its precision and how to show it.
type StoryTime struct {
	At        time.Time `json:"at"`
	Precision Precision `json:"precision"`
	Text      string    `json:"text"` // At shown to its precision
}

// StoryGroup is the activity under one tactic. Activity without a tactic
// is in a last group whose Tactic has an empty ID.
type StoryGroup struct {
	Tactic Tactic      `json:"tactic"`
	Items  []StoryItem `json:"items"`
	First  StoryTime   `json:"first"`
	Last   StoryTime   `json:"last"`
}

// StoryItem is one activity as it stands after any corrections.
type StoryItem struct {
	EntryID    string    `json:"entry_id"`
	Seq        int64     `json:"seq"`
	When       StoryTime `json:"when"`
	Text       string    `json:"text"`
	ActorName  string    `json:"actor_name"`
	RecordedAt time.Time `json:"recorded_at"`
	Activity
	// Supersedes are the earlier versions this entry corrected, newest
	// first: a correction replaces an entry in the story but both stay
	// in the record.
	Supersedes []Version `json:"supersedes"`
	// Notes are plain timeline corrections that point at this activity
	// (or one of its earlier versions) without replacing it.
	Notes []Version `json:"notes"`
	// Warnings compare the technique with the catalogue loaded now, which
	// may be newer than when the activity was recorded: revoked, deprecated,
	// unknown, or filed under other tactics.
	Warnings []string `json:"warnings"`
}

// Version is an earlier version of, or a note on, an activity.
type Version struct {
	EntryID    string    `json:"entry_id"`
	Seq        int64     `json:"seq"`
	Text       string    `json:"text"`
	When       StoryTime `json:"when"`
	ActorName  string    `json:"actor_name"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Reach is a host, account or technique with how often and when it appears.
type Reach struct {
	Name  string    `json:"name"`
	Label string    `json:"label,omitempty"` // a technique's name
	Count int       `json:"count"`
	First StoryTime `json:"first"`
	Last  StoryTime `json:"last"`
}

// Story reads the incident's attacker activity. Everyone who can see the
// incident can read it; reads of a restricted incident are audited.
func (s *Service) Story(ctx context.Context, ref string) (Story, error) {
	var st Story
	if err := signedIn(actor.From(ctx)); err != nil {
		return st, err
	}
	err := incident.ReadVisible(ctx, s.DB, s.Now(), ref, "attack", func(tx *db.Tx, i incident.Incident) error {
		es, err := record.List(ctx, tx, record.Filter{IncidentID: i.ID, Kinds: []string{KindActivity, record.KindCorrection}, Limit: MaxStoryEntries + 1})
		if err != nil {
			return err
		}
		truncated := len(es) > MaxStoryEntries
		if truncated {
			es = es[:MaxStoryEntries]
		}
		st = buildStory(i.Ref, es)
		st.Truncated = truncated
		return annotate(ctx, tx, &st)
	})
	return st, err
}

// buildStory folds entries (in seq order) into the story. An attacker-
// activity entry that corrects another replaces it, keeping it under
// Supersedes; when two corrections name the same entry, the later wins.
func buildStory(ref string, es []record.Entry) Story {
	st := Story{IncidentRef: ref, Groups: []StoryGroup{}, Hosts: []Reach{}, Accounts: []Reach{}, Techniques: []Reach{},
		Indicators: []IndicatorLink{}, Evidence: []EvidenceLink{}}
	items := map[string]*StoryItem{} // current items by entry ID
	current := map[string]string{}   // any version's entry ID -> the current item's entry ID
	var order []string
	for _, e := range es {
		switch {
		case e.Kind == KindActivity:
			it := itemOf(e)
			if cur, ok := current[e.CorrectsID]; ok && e.CorrectsID != "" {
				old := items[cur]
				it.Supersedes = append([]Version{versionOf(*old)}, old.Supersedes...)
				it.Notes = old.Notes
				delete(items, cur)
				for id, c := range current {
					if c == cur {
						current[id] = e.ID
					}
				}
			}
			items[e.ID], current[e.ID] = &it, e.ID
			order = append(order, e.ID)
		case e.CorrectsID != "":
			if cur, ok := current[e.CorrectsID]; ok {
				n := itemOf(e)
				items[cur].Notes = append(items[cur].Notes, versionOf(n))
			}
		}
	}
	groups := map[string]*StoryGroup{}
	for _, id := range order {
		it, ok := items[id]
		if !ok {
			continue // replaced by a correction
		}
		st.Activities++
		g := groups[it.Tactic]
		if g == nil {
			t, _, _ := LookupTactic(it.Tactic)
			if it.Tactic != "" && t.ID == "" {
				t = Tactic{ID: it.Tactic, Name: it.Tactic}
			}
			g = &StoryGroup{Tactic: t, First: it.When, Last: it.When}
			groups[it.Tactic] = g
		}
		g.Items = append(g.Items, *it)
		widen(&g.First, &g.Last, it.When)
		if st.First == nil {
			f, l := it.When, it.When
			st.First, st.Last = &f, &l
		}
		widen(st.First, st.Last, it.When)
		reach(&st.Hosts, it.Host, "", it.When)
		reach(&st.Accounts, it.Account, "", it.When)
		reach(&st.Techniques, it.Technique, it.TechniqueName, it.When)
		for _, x := range it.Indicators {
			if !slices.ContainsFunc(st.Indicators, func(y IndicatorLink) bool { return y.ID == x.ID }) {
				st.Indicators = append(st.Indicators, x)
			}
		}
		for _, x := range it.Evidence {
			if !slices.ContainsFunc(st.Evidence, func(y EvidenceLink) bool { return y.ID == x.ID }) {
				st.Evidence = append(st.Evidence, x)
			}
		}
	}
	for _, g := range groups {
		sort.SliceStable(g.Items, func(a, b int) bool { return before(g.Items[a], g.Items[b]) })
		st.Groups = append(st.Groups, *g)
	}
	sort.SliceStable(st.Groups, func(a, b int) bool { return groupPos(st.Groups[a].Tactic) < groupPos(st.Groups[b].Tactic) })
	for _, rs := range [][]Reach{st.Hosts, st.Accounts, st.Techniques} {
		sort.SliceStable(rs, func(a, b int) bool { return rs[a].First.At.Before(rs[b].First.At) })
	}
	return st
}

// before orders by event time, then by the order entries were recorded.
func before(a, b StoryItem) bool {
	if !a.When.At.Equal(b.When.At) {
		return a.When.At.Before(b.When.At)
	}
	return a.Seq < b.Seq
}

// groupPos is a tactic's kill-chain position; tactics that are not built
// in, then unclassified activity, come last.
func groupPos(t Tactic) int {
	if t.ID == "" {
		return len(tactics) + 1
	}
	if _, k, ok := LookupTactic(t.ID); ok {
		return k
	}
	return len(tactics)
}

func itemOf(e record.Entry) StoryItem {
	var act Activity
	// Entries written as plain notes of this kind have an empty payload;
	// a payload that does not decode is shown as unclassified text rather
	// than hiding the entry.
	_ = json.Unmarshal(e.Payload, &act)
	if act.Precision == "" || !slices.Contains(Precisions, act.Precision) {
		act.Precision = Second
	}
	if act.Indicators == nil {
		act.Indicators = []IndicatorLink{}
	}
	if act.Evidence == nil {
		act.Evidence = []EvidenceLink{}
	}
	return StoryItem{EntryID: e.ID, Seq: e.Seq, When: timeOf(e.EventTime, act.Precision), Text: e.Text, ActorName: e.ActorName,
		RecordedAt: e.RecordedAt, Activity: act, Supersedes: []Version{}, Notes: []Version{}, Warnings: []string{}}
}

func versionOf(it StoryItem) Version {
	return Version{EntryID: it.EntryID, Seq: it.Seq, Text: it.Text, When: it.When, ActorName: it.ActorName, RecordedAt: it.RecordedAt}
}

func timeOf(t time.Time, p Precision) StoryTime {
	return StoryTime{At: t.UTC(), Precision: p, Text: p.Format(t)}
}

func widen(first, last *StoryTime, t StoryTime) {
	if t.At.Before(first.At) {
		*first = t
	}
	if t.At.After(last.At) {
		*last = t
	}
}

func reach(rs *[]Reach, name, label string, t StoryTime) {
	if name == "" {
		return
	}
	for k := range *rs {
		if (*rs)[k].Name == name {
			(*rs)[k].Count++
			widen(&(*rs)[k].First, &(*rs)[k].Last, t)
			return
		}
	}
	*rs = append(*rs, Reach{Name: name, Label: label, Count: 1, First: t, Last: t})
}

// annotate adds the catalogue's view of each activity's technique.
func annotate(ctx context.Context, tx *db.Tx, st *Story) error {
	c, err := catalogue(ctx, tx)
	if err != nil || !c.Loaded {
		return err
	}
	var ids []string
	for _, g := range st.Groups {
		for _, it := range g.Items {
			if it.Technique != "" && !slices.Contains(ids, it.Technique) {
				ids = append(ids, it.Technique)
			}
		}
	}
	known, err := findTechniques(ctx, tx, ids)
	if err != nil {
		return err
	}
	for gi := range st.Groups {
		for k := range st.Groups[gi].Items {
			it := &st.Groups[gi].Items[k]
			if it.Technique != "" {
				t, ok := known[it.Technique]
				it.Warnings = techniqueWarnings(it.Technique, t, ok, it.Tactic, c)
			}
		}
	}
	return nil
}
