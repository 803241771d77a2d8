package plan_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/warroom/warroom/internal/org"
)

// The starter plans are imported into every new organisation, so they are
// checked here on their own: against docs/plan.schema.json, and against the
// graph rules of docs/plans.md, independently of the linter.

const schemaTestSchemaFile = "../../docs/plan.schema.json"

// schemaTestStarterTypes is the incident type each starter plan is for.
var schemaTestStarterTypes = map[string]string{
	"ransomware":                "ransomware",
	"business-email-compromise": "business_email_compromise",
	"data-breach":               "data_breach",
	"malware-outbreak":          "malware",
	"insider-threat":            "insider_threat",
	"denial-of-service":         "denial_of_service",
	"cloud-account-compromise":  "account_compromise",
	"lost-or-stolen-device":     "lost_or_stolen_device",
}

var schemaTestPhases = []string{"detection_analysis", "containment", "eradication", "recovery", "post_incident"}

// schemaTestPlan mirrors the JSON form of a YAML plan; due stays raw
// because it is either a string or an object.
type schemaTestPlan struct {
	ID            string   `json:"id"`
	Version       int      `json:"version"`
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	RequiredRoles []string `json:"required_roles"`
	Phases        []string `json:"phases"`
	AppliesTo     struct {
		Types      []string `json:"types"`
		Severities []string `json:"severities"`
	} `json:"applies_to"`
	Steps      []schemaTestStep     `json:"steps"`
	Decisions  []schemaTestDecision `json:"decisions"`
	Escalation []struct {
		Severities    []string `json:"severities"`
		Channels      []string `json:"channels"`
		RenotifyEvery string   `json:"renotify_every"`
		Levels        []struct {
			After    string   `json:"after"`
			Roles    []string `json:"roles"`
			Contacts []string `json:"contacts"`
		} `json:"levels"`
	} `json:"escalation"`
	References []string `json:"references"`
}

type schemaTestStep struct {
	ID           string              `json:"id"`
	Title        string              `json:"title"`
	Phase        string              `json:"phase"`
	Role         string              `json:"role"`
	Due          json.RawMessage     `json:"due"`
	After        []string            `json:"after"`
	When         schemaTestCondition `json:"when"`
	Instructions string              `json:"instructions"`
	Checklist    []string            `json:"checklist"`
}

type schemaTestDecision struct {
	ID       string              `json:"id"`
	Question string              `json:"question"`
	Roles    []string            `json:"roles"`
	Phase    string              `json:"phase"`
	Due      json.RawMessage     `json:"due"`
	Options  []string            `json:"options"`
	Guidance string              `json:"guidance"`
	When     schemaTestCondition `json:"when"`
}

type schemaTestCondition struct {
	SeverityAtLeast string   `json:"severity_at_least"`
	Types           []string `json:"types"`
	TagsAny         []string `json:"tags_any"`
}

type schemaTestDue struct {
	From   string
	Offset time.Duration
	Set    bool
}

func schemaTestCompile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaTestSchemaFile)
	if err != nil {
		t.Fatalf("compile %s: %v", schemaTestSchemaFile, err)
	}
	return sch
}

// schemaTestValidate validates JSON text against the schema.
func schemaTestValidate(sch *jsonschema.Schema, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func schemaTestStarterFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("starter", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no starter plans in starter/*.yaml")
	}
	return files
}

func schemaTestLoad(t *testing.T, file string) ([]byte, schemaTestPlan) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := yaml.YAMLToJSON(src)
	if err != nil {
		t.Fatalf("%s: YAML: %v", file, err)
	}
	var p schemaTestPlan
	if err := json.Unmarshal(doc, &p); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return doc, p
}

func TestStarterPlansMatchSchema(t *testing.T) {
	sch := schemaTestCompile(t)
	seen := map[string]bool{}
	for _, file := range schemaTestStarterFiles(t) {
		doc, p := schemaTestLoad(t, file)
		if err := schemaTestValidate(sch, doc); err != nil {
			t.Errorf("%s does not match the schema:\n%v", file, err)
		}
		if want := strings.TrimSuffix(filepath.Base(file), ".yaml"); p.ID != want {
			t.Errorf("%s: id %q, want %q (the file name)", file, p.ID, want)
		}
		if seen[p.ID] {
			t.Errorf("%s: plan id %q used twice", file, p.ID)
		}
		seen[p.ID] = true
	}
	for id := range schemaTestStarterTypes {
		if !seen[id] {
			t.Errorf("starter plan %q is missing", id)
		}
	}
	for id := range seen {
		if _, ok := schemaTestStarterTypes[id]; !ok {
			t.Errorf("unexpected starter plan %q", id)
		}
	}
}

// TestStarterPlansContent holds the starter plans to the bar of a plan an
// incident-response lead would use.
func TestStarterPlansContent(t *testing.T) {
	for _, file := range schemaTestStarterFiles(t) {
		_, p := schemaTestLoad(t, file)
		t.Run(p.ID, func(t *testing.T) {
			if p.Version != 1 {
				t.Errorf("version %d, want 1", p.Version)
			}
			if want, ok := schemaTestStarterTypes[p.ID]; ok && !slices.Equal(p.AppliesTo.Types, []string{want}) {
				t.Errorf("applies_to.types %v, want [%s]", p.AppliesTo.Types, want)
			}
			if len(p.AppliesTo.Severities) != 0 {
				t.Errorf("applies_to.severities %v, want empty (every severity)", p.AppliesTo.Severities)
			}
			if n := len(p.Steps); n < 15 || n > 30 {
				t.Errorf("%d steps, want 15-30", n)
			}
			if n := len(p.Decisions); n < 2 {
				t.Errorf("%d decisions, want at least 2", n)
			}
			for _, s := range []string{"800-61", "CISA"} {
				if !strings.Contains(p.Description, s) {
					t.Errorf("description does not mention %q", s)
				}
			}
			for _, u := range []string{
				"https://csrc.nist.gov/pubs/sp/800/61/r3/final",
				"https://www.cisa.gov/sites/default/files/publications/Federal_Government_Cybersecurity_Incident_and_Vulnerability_Response_Playbooks_508C.pdf",
			} {
				if !slices.Contains(p.References, u) {
					t.Errorf("references lack %s", u)
				}
			}
			if len(p.RequiredRoles) == 0 {
				t.Error("no required_roles")
			}
			if !slices.Contains(p.RequiredRoles, "incident_commander") {
				t.Error("required_roles lack incident_commander")
			}

			perPhase := map[string]int{}
			byRole := map[string]int{}
			serious, preserve := 0, 0
			for _, s := range p.Steps {
				perPhase[s.Phase]++
				byRole[s.Role]++
				if strings.HasPrefix(s.ID, "preserve") && s.Role == "forensics_analyst" {
					preserve++
				}
				if s.When.SeverityAtLeast != "" {
					serious++
				}
				if lines := strings.Count(strings.TrimSpace(s.Instructions), "\n") + 1; lines < 2 || lines > 6 {
					t.Errorf("step %s: instructions have %d lines, want 2-6", s.ID, lines)
				}
				if len(s.Due) == 0 {
					t.Errorf("step %s has no due", s.ID)
				}
			}
			for _, ph := range schemaTestPhases {
				if perPhase[ph] == 0 {
					t.Errorf("no step in phase %s", ph)
				}
			}
			if serious == 0 {
				t.Error("no step limited to serious incidents (when: severity_at_least)")
			}
			if preserve == 0 {
				t.Error("no evidence-preservation step (id preserve-*, role forensics_analyst)")
			}
			for _, r := range []string{"legal_counsel", "regulatory_compliance", "communications_lead"} {
				if byRole[r] == 0 {
					t.Errorf("no step for %s", r)
				}
			}
			executive := 0
			for _, d := range p.Decisions {
				if slices.Contains(d.Roles, "executive_sponsor") {
					executive++
				}
				if len(d.Options) < 2 {
					t.Errorf("decision %s: %d options, want at least 2", d.ID, len(d.Options))
				}
				if strings.TrimSpace(d.Guidance) == "" {
					t.Errorf("decision %s has no guidance", d.ID)
				}
				if len(d.Due) == 0 || d.Phase == "" {
					t.Errorf("decision %s needs a phase and a due time", d.ID)
				}
			}

			if executive < 2 {
				t.Errorf("%d decisions for the executive sponsor, want at least 2", executive)
			}

			if len(p.Escalation) == 0 {
				t.Fatal("no escalation block")
			}
			covered := map[string]bool{}
			for _, e := range p.Escalation {
				for _, s := range e.Severities {
					covered[s] = true
				}
				for _, c := range []string{"email", "webhook"} {
					if !slices.Contains(e.Channels, c) {
						t.Errorf("escalation for %v does not use %s", e.Severities, c)
					}
				}
				if e.RenotifyEvery != "15m" {
					t.Errorf("escalation renotify_every %q, want 15m", e.RenotifyEvery)
				}
				if len(e.Levels) < 2 || e.Levels[0].After != "0m" || !slices.Equal(e.Levels[0].Roles, []string{"incident_commander"}) {
					t.Errorf("escalation levels must start with incident_commander at 0m and escalate further")
				}
			}
			if !covered["SEV1"] || !covered["SEV2"] {
				t.Errorf("escalation covers %v, want SEV1 and SEV2", covered)
			}
		})
	}
}

// TestStarterPlansGraph checks the rules docs/plans.md gives for steps,
// dependencies and due times, without the linter.
func TestStarterPlansGraph(t *testing.T) {
	for _, file := range schemaTestStarterFiles(t) {
		_, p := schemaTestLoad(t, file)
		t.Run(p.ID, func(t *testing.T) {
			for _, problem := range schemaTestGraphProblems(p) {
				t.Error(problem)
			}
		})
	}
}

// schemaTestGraphProblems returns every rule the plan breaks.
func schemaTestGraphProblems(p schemaTestPlan) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	roles := map[string]bool{}
	for _, r := range org.BuiltinRoles {
		roles[r.Key] = true
	}
	checkRole := func(where, r string) {
		if !roles[r] {
			bad("%s: role %q is not in the built-in catalogue", where, r)
		}
	}
	for _, r := range p.RequiredRoles {
		checkRole("required_roles", r)
	}
	phases := p.Phases
	if len(phases) == 0 {
		phases = schemaTestPhases
	}
	phaseIndex := func(ph string) int { return slices.Index(phases, ph) }
	for i, ph := range phases {
		if want := slices.Index(schemaTestPhases, ph); i > 0 && want < slices.Index(schemaTestPhases, phases[i-1]) {
			bad("phases: %s is out of life-cycle order", ph)
		}
	}

	type node struct {
		phase string
		due   schemaTestDue
		deps  []string // after and due.from
		when  schemaTestCondition
	}
	steps := map[string]*node{}
	order := []string{}
	for _, s := range p.Steps {
		where := "step " + s.ID
		if _, dup := steps[s.ID]; dup {
			bad("%s: duplicate step id", where)
			continue
		}
		checkRole(where, s.Role)
		if phaseIndex(s.Phase) < 0 {
			bad("%s: phase %q is not one of the plan's phases", where, s.Phase)
		}
		due, err := schemaTestParseDue(s.Due)
		if err != nil {
			bad("%s: due: %v", where, err)
		}
		n := &node{phase: s.Phase, due: due, when: s.When}
		n.deps = append(n.deps, s.After...)
		if due.From != "" && !slices.Contains(n.deps, due.From) {
			n.deps = append(n.deps, due.From)
		}
		steps[s.ID] = n
		order = append(order, s.ID)
		if slices.Contains(s.After, s.ID) || due.From == s.ID {
			bad("%s depends on itself", where)
		}
		out = append(out, schemaTestReachable(where, s.When, p)...)
	}
	for _, s := range p.Steps {
		for _, a := range s.After {
			if _, ok := steps[a]; !ok {
				bad("step %s: after %q: no such step", s.ID, a)
			}
		}
		if d := steps[s.ID].due; d.From != "" {
			if _, ok := steps[d.From]; !ok {
				bad("step %s: due from %q: no such step", s.ID, d.From)
			}
		}
	}
	if len(out) > 0 {
		return out // the rest assumes every reference resolves
	}

	// Cycles, over after and due.from together: white/grey/black DFS.
	const (
		white = iota
		grey
		black
	)
	colour := map[string]int{}
	var visit func(id string, path []string) bool
	visit = func(id string, path []string) bool {
		switch colour[id] {
		case grey:
			bad("dependency cycle: %s", strings.Join(append(path, id), " -> "))
			return false
		case black:
			return true
		}
		colour[id] = grey
		for _, d := range steps[id].deps {
			if !visit(d, append(path, id)) {
				return false
			}
		}
		colour[id] = black
		return true
	}
	for _, id := range order {
		if !visit(id, nil) {
			return out
		}
	}

	// Due times from declaration: offsets add up along due.from.
	abs := map[string]time.Duration{}
	var absDue func(id string) (time.Duration, bool)
	absDue = func(id string) (time.Duration, bool) {
		if v, ok := abs[id]; ok {
			return v, true
		}
		d := steps[id].due
		if !d.Set {
			return 0, false
		}
		v := d.Offset
		if d.From != "" {
			base, ok := absDue(d.From)
			if !ok {
				return 0, false
			}
			v += base
		}
		abs[id] = v
		return v, true
	}
	for _, s := range p.Steps {
		mine, ok := absDue(s.ID)
		if !ok {
			continue
		}
		for _, a := range steps[s.ID].deps {
			theirs, ok := absDue(a)
			if ok && mine < theirs {
				bad("step %s is due at %v, before step %s it waits for (%v)", s.ID, mine, a, theirs)
			}
			if phaseIndex(steps[a].phase) > phaseIndex(s.Phase) {
				bad("step %s (%s) waits for step %s of a later phase", s.ID, s.Phase, a)
			}
			if why := schemaTestImplies(s.When, steps[a].when); why != "" {
				bad("step %s can apply when step %s it depends on does not: %s", s.ID, a, why)
			}
		}
	}

	decisionIDs := map[string]bool{}
	for _, d := range p.Decisions {
		where := "decision " + d.ID
		if decisionIDs[d.ID] {
			bad("%s: duplicate decision id", where)
		}
		if _, clash := steps[d.ID]; clash {
			bad("%s: id also used by a step", where)
		}
		decisionIDs[d.ID] = true
		for _, r := range d.Roles {
			checkRole(where, r)
		}
		if d.Phase != "" && phaseIndex(d.Phase) < 0 {
			bad("%s: phase %q is not one of the plan's phases", where, d.Phase)
		}
		due, err := schemaTestParseDue(d.Due)
		if err != nil {
			bad("%s: due: %v", where, err)
		}
		if due.From != "" {
			dep, ok := steps[due.From]
			if !ok {
				bad("%s: due from %q: no such step", where, due.From)
			} else if why := schemaTestImplies(d.When, dep.when); why != "" {
				bad("%s can apply when step %s its due time starts from does not: %s", where, due.From, why)
			}
		}
		out = append(out, schemaTestReachable(where, d.When, p)...)
	}

	for i, e := range p.Escalation {
		where := fmt.Sprintf("escalation %d", i+1)
		if _, err := schemaTestDuration(e.RenotifyEvery); e.RenotifyEvery != "" && err != nil {
			bad("%s: renotify_every: %v", where, err)
		}
		var prev time.Duration
		for j, l := range e.Levels {
			after, err := schemaTestDuration(l.After)
			if err != nil {
				bad("%s level %d: after: %v", where, j+1, err)
			}
			if j == 0 && after != 0 {
				bad("%s: the first level must be after 0m", where)
			}
			if j > 0 && after <= prev {
				bad("%s level %d: after %s is not later than the level before", where, j+1, l.After)
			}
			prev = after
			for _, r := range l.Roles {
				checkRole(fmt.Sprintf("%s level %d", where, j+1), r)
			}
		}
	}
	return out
}

var schemaTestDurationRE = regexp.MustCompile(`^([0-9]+)(m|h|d)$`)

func schemaTestDuration(s string) (time.Duration, error) {
	m := schemaTestDurationRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a duration such as 90m, 2h or 3d", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n > 365*24*60 { // more minutes than a year has: guards the multiplication
		return 0, fmt.Errorf("%q is longer than a year", s)
	}
	unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}[m[2]]
	if d := time.Duration(n) * unit; d <= 365*24*time.Hour {
		return d, nil
	}
	return 0, fmt.Errorf("%q is longer than a year", s)
}

func schemaTestParseDue(raw json.RawMessage) (schemaTestDue, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return schemaTestDue{}, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		d, err := schemaTestDuration(s)
		return schemaTestDue{Offset: d, Set: err == nil}, err
	}
	var o struct {
		From   string `json:"from"`
		Offset string `json:"offset"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return schemaTestDue{}, err
	}
	d, err := schemaTestDuration(o.Offset)
	return schemaTestDue{From: o.From, Offset: d, Set: err == nil}, err
}

func schemaTestRank(sev string) int {
	return slices.Index([]string{"SEV1", "SEV2", "SEV3", "SEV4"}, sev)
}

// schemaTestImplies says why "mine holds" does not imply "dep holds", or
// "" if it does: a step must not wait for one that may not exist.
func schemaTestImplies(mine, dep schemaTestCondition) string {
	if dep.SeverityAtLeast != "" && (mine.SeverityAtLeast == "" || schemaTestRank(mine.SeverityAtLeast) > schemaTestRank(dep.SeverityAtLeast)) {
		return fmt.Sprintf("it needs severity at least %s", dep.SeverityAtLeast)
	}
	if len(dep.Types) > 0 && (len(mine.Types) == 0 || slices.ContainsFunc(mine.Types, func(t string) bool { return !slices.Contains(dep.Types, t) })) {
		return fmt.Sprintf("it needs type %v", dep.Types)
	}
	if len(dep.TagsAny) > 0 && (len(mine.TagsAny) == 0 || slices.ContainsFunc(mine.TagsAny, func(t string) bool { return !slices.Contains(dep.TagsAny, t) })) {
		return fmt.Sprintf("it needs a tag of %v", dep.TagsAny)
	}
	return ""
}

// schemaTestReachable reports a condition that can never hold for the
// incidents the plan applies to.
func schemaTestReachable(where string, c schemaTestCondition, p schemaTestPlan) []string {
	var out []string
	if len(c.Types) > 0 && len(p.AppliesTo.Types) > 0 && !slices.ContainsFunc(c.Types, func(t string) bool { return slices.Contains(p.AppliesTo.Types, t) }) {
		out = append(out, fmt.Sprintf("%s: when.types %v never holds for a plan for %v", where, c.Types, p.AppliesTo.Types))
	}
	if c.SeverityAtLeast != "" && len(p.AppliesTo.Severities) > 0 && !slices.ContainsFunc(p.AppliesTo.Severities, func(s string) bool {
		return schemaTestRank(s) <= schemaTestRank(c.SeverityAtLeast)
	}) {
		out = append(out, fmt.Sprintf("%s: when.severity_at_least %s never holds for a plan for %v", where, c.SeverityAtLeast, p.AppliesTo.Severities))
	}
	return out
}

// TestPlanGraphCheckCatchesMistakes makes sure the graph check above can fail.
func TestPlanGraphCheckCatchesMistakes(t *testing.T) {
	base := `{"id":"x-plan","version":1,"title":"X","steps":[
		{"id":"a","title":"A","phase":"detection_analysis","role":"investigator","due":"4h"},
		{"id":"b","title":"B","phase":"containment","role":"technical_lead","due":{"from":"a","offset":"1h"},"after":["a"]}]}`
	var ok schemaTestPlan
	if err := json.Unmarshal([]byte(base), &ok); err != nil {
		t.Fatal(err)
	}
	if problems := schemaTestGraphProblems(ok); len(problems) > 0 {
		t.Fatalf("a good plan has problems: %v", problems)
	}
	cases := map[string]func(p *schemaTestPlan){
		"duplicate step":  func(p *schemaTestPlan) { p.Steps[1].ID = "a" },
		"unknown after":   func(p *schemaTestPlan) { p.Steps[1].After = []string{"nope"} },
		"unknown from":    func(p *schemaTestPlan) { p.Steps[1].Due = json.RawMessage(`{"from":"nope","offset":"1h"}`) },
		"cycle":           func(p *schemaTestPlan) { p.Steps[0].After = []string{"b"} },
		"due before dep":  func(p *schemaTestPlan) { p.Steps[1].Due = json.RawMessage(`"1h"`) },
		"unknown role":    func(p *schemaTestPlan) { p.Steps[0].Role = "janitor" },
		"over a year":     func(p *schemaTestPlan) { p.Steps[0].Due = json.RawMessage(`"366d"`) },
		"conditional dep": func(p *schemaTestPlan) { p.Steps[0].When.SeverityAtLeast = "SEV2" },
		"later-phase dep": func(p *schemaTestPlan) { p.Steps[0].Phase = "recovery" },
		"decision id clash": func(p *schemaTestPlan) {
			p.Decisions = append(p.Decisions, schemaTestDecision{ID: "a", Question: "Q?", Roles: []string{"executive_sponsor"}, Phase: "containment"})
		},
		"phase not in plan": func(p *schemaTestPlan) {
			p.Phases = []string{"detection_analysis"}
		},
	}
	for name, breakIt := range cases {
		var p schemaTestPlan
		if err := json.Unmarshal([]byte(base), &p); err != nil {
			t.Fatal(err)
		}
		breakIt(&p)
		if problems := schemaTestGraphProblems(p); len(problems) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}

// TestPlanSchemaRejectsBrokenDocuments makes sure the schema can fail: a
// valid plan is accepted, and each broken variant of it is refused.
func TestPlanSchemaRejectsBrokenDocuments(t *testing.T) {
	sch := schemaTestCompile(t)
	const good = `
id: phishing-credential-theft
version: 2
title: Credential phishing
applies_to: {types: [account_compromise], severities: [SEV1, SEV2]}
required_roles: [incident_commander]
steps:
  - id: scope
    title: Scope
    phase: detection_analysis
    role: log_analyst
    due: 1h
    checklist: [Export the recipient list]
  - id: reset
    title: Reset
    phase: containment
    role: technical_lead
    after: [scope]
    due: {from: scope, offset: 30m}
    when: {severity_at_least: SEV2, types: [account_compromise], tags_any: ["vip"]}
decisions:
  - id: global-reset
    question: Reset everyone?
    roles: [executive_sponsor]
    phase: containment
    due: 4h
    options: [Yes, No]
escalation:
  - severities: [SEV1]
    channels: [email, webhook]
    renotify_every: 15m
    levels:
      - {after: 0m, roles: [incident_commander]}
      - {after: 30m, contacts: [ciso-mobile]}
references: [https://csrc.nist.gov/pubs/sp/800/61/r3/final]
`
	base, err := yaml.YAMLToJSON([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if err := schemaTestValidate(sch, base); err != nil {
		t.Fatalf("a good plan is refused: %v", err)
	}

	type doc = map[string]any
	step := func(d doc, i int) doc { return d["steps"].([]any)[i].(doc) }
	cases := map[string]func(d doc){
		"unknown top-level field": func(d doc) { d["owner"] = "me" },
		"unknown step field":      func(d doc) { step(d, 0)["assignee"] = "me" },
		"bad severity":            func(d doc) { d["applies_to"].(doc)["severities"] = []any{"SEV5"} },
		"bad type":                func(d doc) { d["applies_to"].(doc)["types"] = []any{"phishing"} },
		"bad plan id":             func(d doc) { d["id"] = "Phishing_Theft" },
		"one-letter id":           func(d doc) { d["id"] = "p" },
		"version zero":            func(d doc) { d["version"] = 0 },
		"version not integer":     func(d doc) { d["version"] = 1.5 },
		"version as string":       func(d doc) { d["version"] = "2" },
		"missing title":           func(d doc) { delete(d, "title") },
		"long title":              func(d doc) { d["title"] = strings.Repeat("x", 201) },
		"no steps":                func(d doc) { d["steps"] = []any{} },
		"step without role":       func(d doc) { delete(step(d, 0), "role") },
		"bad role":                func(d doc) { step(d, 0)["role"] = "Log Analyst" },
		"bad phase":               func(d doc) { step(d, 0)["phase"] = "preparation" },
		"due in weeks":            func(d doc) { step(d, 0)["due"] = "2w" },
		"due in seconds":          func(d doc) { step(d, 0)["due"] = "30s" },
		"due as number":           func(d doc) { step(d, 0)["due"] = 60 },
		"due object extra field":  func(d doc) { step(d, 1)["due"].(doc)["at"] = "noon" },
		"due object no offset":    func(d doc) { delete(step(d, 1)["due"].(doc), "offset") },
		"due from bad id":         func(d doc) { step(d, 1)["due"].(doc)["from"] = "Scope!" },
		"bad when severity":       func(d doc) { step(d, 1)["when"].(doc)["severity_at_least"] = "high" },
		"unknown when field":      func(d doc) { step(d, 1)["when"].(doc)["severity"] = "SEV1" },
		"bad tag":                 func(d doc) { step(d, 1)["when"].(doc)["tags_any"] = []any{"VIP User"} },
		"after not a list":        func(d doc) { step(d, 1)["after"] = "scope" },
		"decision without roles":  func(d doc) { delete(d["decisions"].([]any)[0].(doc), "roles") },
		"decision unknown field":  func(d doc) { d["decisions"].([]any)[0].(doc)["deadline"] = "4h" },
		"bad channel":             func(d doc) { d["escalation"].([]any)[0].(doc)["channels"] = []any{"sms"} },
		"bad renotify":            func(d doc) { d["escalation"].([]any)[0].(doc)["renotify_every"] = "often" },
		"level without anyone": func(d doc) {
			d["escalation"].([]any)[0].(doc)["levels"].([]any)[0] = doc{"after": "0m"}
		},
		"level without after": func(d doc) {
			d["escalation"].([]any)[0].(doc)["levels"].([]any)[0] = doc{"roles": []any{"incident_commander"}}
		},
		"reference not a URL":       func(d doc) { d["references"] = []any{"NIST SP 800-61"} },
		"blank step title":          func(d doc) { step(d, 0)["title"] = "   " },
		"blank checklist item":      func(d doc) { step(d, 0)["checklist"] = []any{" "} },
		"negative due":              func(d doc) { step(d, 0)["due"] = "-1h" },
		"decision without phase":    func(d doc) { delete(d["decisions"].([]any)[0].(doc), "phase") },
		"renotify zero":             func(d doc) { d["escalation"].([]any)[0].(doc)["renotify_every"] = "0m" },
		"escalation without levels": func(d doc) { d["escalation"].([]any)[0].(doc)["levels"] = []any{} },
		"bad contact": func(d doc) {
			d["escalation"].([]any)[0].(doc)["levels"].([]any)[1] = doc{"after": "30m", "contacts": []any{"CISO Mobile"}}
		},
	}
	for name, breakIt := range cases {
		var d doc
		if err := json.Unmarshal(base, &d); err != nil {
			t.Fatal(err)
		}
		breakIt(d)
		broken, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		err = schemaTestValidate(sch, broken)
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: accepted by the schema (err %v)", name, err)
		}
	}
}

// TestPlanSchemaAcceptsDocumentedExample keeps docs/plans.md and the schema
// in step: the example plan there must be valid.
func TestPlanSchemaAcceptsDocumentedExample(t *testing.T) {
	sch := schemaTestCompile(t)
	md, err := os.ReadFile("../../docs/plans.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(md), "```yaml\n")
	if !ok {
		t.Skip("docs/plans.md has no YAML example")
	}
	example, _, _ := strings.Cut(rest, "```")
	doc, err := yaml.YAMLToJSON([]byte(example))
	if err != nil {
		t.Fatalf("docs/plans.md example: %v", err)
	}
	if err := schemaTestValidate(sch, doc); err != nil {
		t.Errorf("docs/plans.md example does not match the schema:\n%v", err)
	}
}
