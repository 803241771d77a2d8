package client

import (
	"encoding/json"
	"time"
)

// Page is one page of a list.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// Incident is an incident.
type Incident struct {
	ID          string               `json:"id"`
	Ref         string               `json:"ref"`
	Title       string               `json:"title"`
	Summary     string               `json:"summary"`
	Type        string               `json:"type"`
	Severity    string               `json:"severity"`
	Phase       string               `json:"phase"`
	Status      string               `json:"status"`
	TLP         string               `json:"tlp"`
	Restricted  bool                 `json:"restricted"`
	Tags        []string             `json:"tags"`
	CreatedBy   string               `json:"created_by"`
	CreatedAt   time.Time            `json:"created_at"`
	UpdatedAt   time.Time            `json:"updated_at"`
	Version     int64                `json:"version"`
	Milestones  map[string]Milestone `json:"milestones"`
	Flags       []Flag               `json:"flags"`
	LastSeq     int64                `json:"last_seq"`
	PlanID      string               `json:"plan_id,omitempty"`
	PlanVersion int                  `json:"plan_version,omitempty"`
}

// Milestone is a key time of an incident.
type Milestone struct {
	At        time.Time `json:"at"`
	SetBy     string    `json:"set_by"`
	SetByName string    `json:"set_by_name"`
	SetAt     time.Time `json:"set_at"`
}

// Flag is a problem someone should act on.
type Flag struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// DeclareInput declares an incident.
type DeclareInput struct {
	Title             string     `json:"title"`
	Summary           string     `json:"summary,omitempty"`
	Type              string     `json:"type"`
	Severity          string     `json:"severity"`
	Phase             string     `json:"phase,omitempty"`
	TLP               string     `json:"tlp,omitempty"`
	Restricted        bool       `json:"restricted,omitempty"`
	Tags              []string   `json:"tags,omitempty"`
	Ref               string     `json:"ref,omitempty"`
	Commander         string     `json:"commander,omitempty"`
	Plan              string     `json:"plan,omitempty"`
	DetectedAt        *time.Time `json:"detected_at,omitempty"`
	FirstCompromiseAt *time.Time `json:"first_compromise_at,omitempty"`
}

// IncidentPatch changes some fields of an incident.
type IncidentPatch struct {
	Title      *string   `json:"title,omitempty"`
	Summary    *string   `json:"summary,omitempty"`
	Type       *string   `json:"type,omitempty"`
	Severity   *string   `json:"severity,omitempty"`
	Phase      *string   `json:"phase,omitempty"`
	Status     *string   `json:"status,omitempty"`
	TLP        *string   `json:"tlp,omitempty"`
	Restricted *bool     `json:"restricted,omitempty"`
	Tags       *[]string `json:"tags,omitempty"`
}

// IncidentFilter selects incidents.
type IncidentFilter struct {
	Status, Severity, Type, Phase, Query, Sort, Cursor string
	Mine                                               bool
	Limit                                              int
}

// Assignment is a person holding a role.
type Assignment struct {
	ID         string     `json:"id"`
	Role       string     `json:"role"`
	RoleName   string     `json:"role_name"`
	UserID     string     `json:"user_id"`
	UserName   string     `json:"user_name"`
	UserEmail  string     `json:"user_email"`
	AssignedBy string     `json:"assigned_by"`
	AssignedAt time.Time  `json:"assigned_at"`
	ReleasedBy string     `json:"released_by,omitempty"`
	ReleasedAt *time.Time `json:"released_at,omitempty"`
	Note       string     `json:"note"`
}

// Roster is who holds which role, and who did before.
type Roster struct {
	Current []Assignment `json:"current"`
	History []Assignment `json:"history"`
	Flags   []Flag       `json:"flags"`
}

// Task is a piece of response work.
type Task struct {
	ID          string     `json:"id"`
	Number      int64      `json:"number"`
	IncidentRef string     `json:"incident_ref"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Phase       string     `json:"phase"`
	OwnerID     string     `json:"owner_id,omitempty"`
	OwnerName   string     `json:"owner_name,omitempty"`
	OwnerEmail  string     `json:"owner_email,omitempty"`
	Role        string     `json:"role,omitempty"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	Status      string     `json:"status"`
	Overdue     bool       `json:"overdue"`
	DependsOn   []int64    `json:"depends_on"`
	BlockedBy   []int64    `json:"blocked_by"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Version     int64      `json:"version"`
	PlanStep    string     `json:"plan_step,omitempty"`
}

// TaskInput creates a task.
type TaskInput struct {
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Phase       string     `json:"phase,omitempty"`
	Owner       string     `json:"owner,omitempty"`
	Role        string     `json:"role,omitempty"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	DependsOn   []int64    `json:"depends_on,omitempty"`
	Status      string     `json:"status,omitempty"`
}

// TaskPatch changes some fields of a task; "" clears owner, role, due_at.
type TaskPatch struct {
	Title       *string  `json:"title,omitempty"`
	Description *string  `json:"description,omitempty"`
	Phase       *string  `json:"phase,omitempty"`
	Owner       *string  `json:"owner,omitempty"`
	Role        *string  `json:"role,omitempty"`
	DueAt       *string  `json:"due_at,omitempty"`
	Status      *string  `json:"status,omitempty"`
	DependsOn   *[]int64 `json:"depends_on,omitempty"`
}

// TaskFilter selects tasks.
type TaskFilter struct {
	Mine, Overdue       bool
	Phase, Role, Status string
}

// Entry is a timeline entry.
type Entry struct {
	ID          string          `json:"id"`
	Seq         int64           `json:"seq"`
	OrgSeq      int64           `json:"org_seq,omitempty"`
	Kind        string          `json:"kind"`
	EventTime   time.Time       `json:"event_time"`
	RecordedAt  time.Time       `json:"recorded_at"`
	ActorID     string          `json:"actor_id"`
	ActorName   string          `json:"actor_name"`
	Text        string          `json:"text"`
	Payload     json.RawMessage `json:"payload"`
	CorrectsID  string          `json:"corrects_id,omitempty"`
	PrevHash    string          `json:"prev_hash"`
	Hash        string          `json:"hash"`
	IncidentRef string          `json:"incident_ref"`
}

// EntryInput writes to the timeline.
type EntryInput struct {
	Text      string     `json:"text"`
	Kind      string     `json:"kind,omitempty"`
	EventTime *time.Time `json:"event_time,omitempty"`
	Corrects  string     `json:"corrects,omitempty"`
}

// Report is the result of verifying one incident's hash chain.
type Report struct {
	IncidentID string   `json:"incident_id"`
	Ref        string   `json:"ref"`
	Entries    int64    `json:"entries"`
	OK         bool     `json:"ok"`
	Problem    *Problem `json:"problem,omitempty"`
}

// Problem names the first entry of a chain that does not verify.
type Problem struct {
	Seq     int64  `json:"seq"`
	EntryID string `json:"entry_id,omitempty"`
	Reason  string `json:"reason"`
}

// Organization is a tenant.
type Organization struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Me is who the caller is.
type Me struct {
	UserID string       `json:"user_id"`
	Email  string       `json:"email"`
	Name   string       `json:"name"`
	Role   string       `json:"role"`
	Org    Organization `json:"org"`
	Via    string       `json:"via"`
}

// Member is a person of the organisation.
type Member struct {
	ID         string     `json:"id"`
	Email      string     `json:"email"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
	Role       string     `json:"role"`
}

// Role is an entry of the role catalogue.
type Role struct {
	Key         string    `json:"key"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Builtin     bool      `json:"builtin"`
	CreatedAt   time.Time `json:"created_at"`
}

// Token describes an API token.
type Token struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	UserEmail  string     `json:"user_email"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// TokenCreated carries a new token's secret, shown once.
type TokenCreated struct {
	Token string `json:"token"`
	Info  Token  `json:"info"`
}

// MemberCreated carries a generated password, shown once.
type MemberCreated struct {
	Member   Member `json:"member"`
	Password string `json:"password,omitempty"`
}
