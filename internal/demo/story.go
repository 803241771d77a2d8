package demo

import (
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// story is one incident being worked. Its steps are the service calls a
// person would make in the UI; each is skipped once the seeder has failed.
type story struct {
	*seeder
	ref    string
	tasks  map[string]int64  // task label -> number in the incident
	iocIDs map[string]string // indicator value -> ID
}

func (s *seeder) story() *story { return &story{seeder: s, tasks: map[string]int64{}} }

// Entry kinds and task statuses the stories use, named to read well there.
const (
	kindAction    = "action"
	kindDecision  = "decision"
	kindComms     = "communication"
	kindAttacker  = "attacker_activity"
	kindNote      = record.KindNote
	statusDone    = incident.TaskStatus("done")
	statusWorking = incident.TaskStatus("in_progress")
	statusBlocked = incident.TaskStatus("blocked")
	statusDropped = incident.TaskStatus("cancelled")
)

// Durations the stories are told in.
const (
	hour     = time.Hour
	halfHour = 30 * time.Minute
	day      = 24 * time.Hour
)

func ptr[T any](v T) *T { return &v }

func (st *story) declare(who string, in incident.DeclareInput) {
	ctx, ok := st.as(who)
	if !ok {
		return
	}
	i, err := st.incidents.Declare(ctx, in)
	if err != nil {
		st.fail(err, "declare "+in.Title)
		return
	}
	st.ref = i.Ref
	st.declared++
}

func (st *story) update(who string, p incident.Patch) {
	if ctx, ok := st.as(who); ok {
		_, err := st.incidents.Update(ctx, st.ref, p, 0)
		st.fail(err, "update "+st.ref)
	}
}

func (st *story) milestone(who, kind string, at time.Time) {
	if ctx, ok := st.as(who); ok {
		_, err := st.incidents.SetMilestone(ctx, st.ref, kind, &at)
		st.fail(err, fmt.Sprintf("set milestone %s of %s", kind, st.ref))
	}
}

func (st *story) assign(who, role, user, note string) {
	if ctx, ok := st.as(who); ok {
		_, err := st.incidents.Assign(ctx, st.ref, incident.AssignInput{Role: role, User: st.email(user), Note: note})
		st.fail(err, fmt.Sprintf("assign %s as %s on %s", user, role, st.ref))
	}
}

func (st *story) handover(who, role, to, note string) {
	if ctx, ok := st.as(who); ok {
		_, err := st.incidents.Handover(ctx, st.ref, incident.HandoverInput{Role: role, To: st.email(to), Note: note})
		st.fail(err, fmt.Sprintf("hand %s over to %s on %s", role, to, st.ref))
	}
}

// email resolves a person key to the address the services accept.
func (st *story) email(key string) string {
	for _, p := range cast() {
		if p.key == key {
			return p.email
		}
	}
	st.fail(fmt.Errorf("no person %q in the cast", key), "look up person")
	return ""
}

// write adds a timeline entry happening now and returns its ID.
func (st *story) write(who, kind, text string) string {
	return st.entry(who, kind, time.Time{}, "", text)
}

// attacker records attacker activity found now that happened at at.
func (st *story) attacker(who string, at time.Time, text string) string {
	return st.entry(who, kindAttacker, at, "", text)
}

// correct writes a correction of the entry with ID id.
func (st *story) correct(who, id, text string) { st.entry(who, "", time.Time{}, id, text) }

func (st *story) entry(who, kind string, at time.Time, corrects, text string) string {
	ctx, ok := st.as(who)
	if !ok {
		return ""
	}
	in := incident.EntryInput{Kind: kind, Text: text, Corrects: corrects}
	if !at.IsZero() {
		in.EventTime = &at
	}
	e, err := st.incidents.AddEntry(ctx, st.ref, in)
	st.fail(err, fmt.Sprintf("add %s entry to %s", kind, st.ref))
	return e.ID
}

// task creates a task known to the story by label; in.DependsOn is left to
// after, a list of labels of earlier tasks.
func (st *story) task(who, label string, in incident.TaskInput, after ...string) {
	ctx, ok := st.as(who)
	if !ok {
		return
	}
	if in.Owner != "" {
		in.Owner = st.email(in.Owner)
	}
	for _, l := range after {
		n, found := st.tasks[l]
		if !found {
			st.fail(fmt.Errorf("no task %q yet", l), "create task "+label)
			return
		}
		in.DependsOn = append(in.DependsOn, n)
	}
	t, err := st.incidents.CreateTask(ctx, st.ref, in)
	st.fail(err, fmt.Sprintf("create task %q on %s", label, st.ref))
	st.tasks[label] = t.Number
}

// move changes the status of the task labelled label.
func (st *story) move(who, label string, status incident.TaskStatus) {
	ctx, ok := st.as(who)
	if !ok {
		return
	}
	n, found := st.tasks[label]
	if !found {
		st.fail(fmt.Errorf("no task %q", label), "update task")
		return
	}
	_, err := st.incidents.UpdateTask(ctx, st.ref, n, incident.TaskPatch{Status: &status}, 0)
	st.fail(err, fmt.Sprintf("move task %q of %s to %s", label, st.ref, status))
}

func (st *story) close(who, note string) {
	if ctx, ok := st.as(who); ok {
		_, err := st.incidents.Close(ctx, st.ref, note, 0)
		st.fail(err, "close "+st.ref)
	}
}
