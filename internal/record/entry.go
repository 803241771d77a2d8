package record

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Kinds of entries written by Warroom itself. People write the kinds in
// UserKinds; capabilities add their own as they need them.
const (
	KindNote       = "note"
	KindCorrection = "correction"
)

// UserKinds are the kinds a person may write directly to the timeline.
var UserKinds = []string{"note", "action", "decision", "communication", "attacker_activity"}

// Entry is one timeline entry.
type Entry struct {
	ID         string          `json:"id"`
	IncidentID string          `json:"-"`
	OrgID      string          `json:"-"`
	Seq        int64           `json:"seq"`
	OrgSeq     int64           `json:"-"`
	Kind       string          `json:"kind"`
	EventTime  time.Time       `json:"event_time"`
	RecordedAt time.Time       `json:"recorded_at"`
	ActorID    string          `json:"actor_id"`
	ActorName  string          `json:"actor_name"`
	Text       string          `json:"text"`
	Payload    json.RawMessage `json:"payload"`
	CorrectsID string          `json:"corrects_id,omitempty"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// hashDomain separates Warroom record hashes from any other SHA-256 use and
// versions the encoding.
const hashDomain = "warroom-record-v1\n"

// timeLayout has a fixed number of fractional digits so the encoding of a
// time is unique.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// canonical is the encoding that is hashed. Field order is fixed by the
// struct; the payload is included as the exact stored text.
type canonical struct {
	ID         string `json:"id"`
	IncidentID string `json:"incident_id"`
	Seq        int64  `json:"seq"`
	Kind       string `json:"kind"`
	EventTime  string `json:"event_time"`
	RecordedAt string `json:"recorded_at"`
	ActorID    string `json:"actor_id"`
	ActorName  string `json:"actor_name"`
	Text       string `json:"text"`
	Payload    string `json:"payload"`
	CorrectsID string `json:"corrects_id"`
	PrevHash   string `json:"prev_hash"`
}

// ComputeHash returns the hash e should carry given its contents and
// PrevHash.
func ComputeHash(e Entry) string {
	b, err := json.Marshal(canonical{
		ID:         e.ID,
		IncidentID: e.IncidentID,
		Seq:        e.Seq,
		Kind:       e.Kind,
		EventTime:  e.EventTime.UTC().Format(timeLayout),
		RecordedAt: e.RecordedAt.UTC().Format(timeLayout),
		ActorID:    e.ActorID,
		ActorName:  e.ActorName,
		Text:       e.Text,
		Payload:    string(e.Payload),
		CorrectsID: e.CorrectsID,
		PrevHash:   e.PrevHash,
	})
	if err != nil {
		panic(err) // only strings and ints: cannot fail
	}
	sum := sha256.Sum256(append([]byte(hashDomain), b...))
	return hex.EncodeToString(sum[:])
}
