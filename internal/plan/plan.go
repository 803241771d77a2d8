package plan

// Plan is one version of an incident-response plan, as written in YAML.
type Plan struct {
	ID            string       `yaml:"id" json:"id"`
	Version       int          `yaml:"version" json:"version"`
	Title         string       `yaml:"title" json:"title"`
	Description   string       `yaml:"description" json:"description"`
	AppliesTo     AppliesTo    `yaml:"applies_to" json:"applies_to"`
	RequiredRoles []string     `yaml:"required_roles" json:"required_roles"`
	Phases        []string     `yaml:"phases" json:"phases"`
	Steps         []Step       `yaml:"steps" json:"steps"`
	Decisions     []Decision   `yaml:"decisions" json:"decisions"`
	Escalation    []Escalation `yaml:"escalation" json:"escalation"`
	References    []string     `yaml:"references" json:"references"`
}

// AppliesTo says which incidents a plan is for. An empty list matches all.
type AppliesTo struct {
	Types      []string `yaml:"types" json:"types"`
	Severities []string `yaml:"severities" json:"severities"`
}

// Step becomes a task when its condition holds.
type Step struct {
	ID           string    `yaml:"id" json:"id"`
	Title        string    `yaml:"title" json:"title"`
	Phase        string    `yaml:"phase" json:"phase"`
	Role         string    `yaml:"role" json:"role"`
	Due          Due       `yaml:"due" json:"due"`
	After        []string  `yaml:"after" json:"after"`
	When         Condition `yaml:"when" json:"when"`
	Instructions string    `yaml:"instructions" json:"instructions"`
	Checklist    []string  `yaml:"checklist" json:"checklist"`
}

// Due is when a step is due: Offset after declaration, or after the due
// time of step From. In YAML either "2h" or {from: step-id, offset: 30m}.
type Due struct {
	From   string `yaml:"from" json:"from,omitempty"`
	Offset string `yaml:"offset" json:"offset"`
}

// Condition limits a step to some incidents. Empty fields always hold.
type Condition struct {
	SeverityAtLeast string   `yaml:"severity_at_least" json:"severity_at_least,omitempty"` // e.g. SEV2: SEV1 and SEV2
	Types           []string `yaml:"types" json:"types,omitempty"`
	TagsAny         []string `yaml:"tags_any" json:"tags_any,omitempty"`
}

// Decision is a question put to named roles, e.g. "take the payment
// systems offline?". It becomes a task for the first role, with the
// others named in it.
type Decision struct {
	ID       string    `yaml:"id" json:"id"`
	Question string    `yaml:"question" json:"question"`
	Roles    []string  `yaml:"roles" json:"roles"`
	Phase    string    `yaml:"phase" json:"phase"`
	Due      Due       `yaml:"due" json:"due"`
	Options  []string  `yaml:"options" json:"options"`
	Guidance string    `yaml:"guidance" json:"guidance"`
	When     Condition `yaml:"when" json:"when"`
}

// Escalation says who is paged for which severities, on which channels,
// re-notified until someone acknowledges, then escalated level by level.
type Escalation struct {
	Severities    []string `yaml:"severities" json:"severities"`
	Channels      []string `yaml:"channels" json:"channels"`
	RenotifyEvery string   `yaml:"renotify_every" json:"renotify_every"`
	Levels        []Level  `yaml:"levels" json:"levels"`
}

// Level is one rung of an escalation: who, and how long after the page
// started they are added if nobody has acknowledged.
type Level struct {
	After    string   `yaml:"after" json:"after"`
	Roles    []string `yaml:"roles" json:"roles"`
	Contacts []string `yaml:"contacts" json:"contacts"`
}

// Channels a plan may name.
var Channels = []string{"email", "webhook", "slack", "teams", "mattermost"}
