package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/obligation"
)

// The analysis steps of a story: indicators, evidence, structured
// attacker activity and the facts behind the notification clocks, each
// through its service as an analyst would record it.

// indicator adds an indicator and remembers its ID by value, for links
// from attacker activity.
func (st *story) indicator(who string, in ioc.Input) {
	ctx, ok := st.as(who)
	if !ok || st.iocs == nil {
		return
	}
	x, _, err := st.iocs.Add(ctx, st.ref, in)
	st.fail(err, fmt.Sprintf("add indicator %s to %s", in.Value, st.ref))
	if st.iocIDs == nil {
		st.iocIDs = map[string]string{}
	}
	st.iocIDs[x.Value] = x.ID
}

// activity records attacker activity found now that happened at at,
// linking the indicators named by value; it returns the entry's ID.
func (st *story) activity(who string, at time.Time, in attack.Input, indicators ...string) string {
	ctx, ok := st.as(who)
	if !ok {
		return ""
	}
	if st.attack == nil { // a seeder without the attack service writes a plain entry
		return st.attacker(who, at, in.Text)
	}
	in.EventTime = &at
	for _, v := range indicators {
		id, found := st.iocIDs[v]
		if !found {
			st.fail(fmt.Errorf("no indicator %q recorded yet", v), "link attacker activity")
			return ""
		}
		in.Indicators = append(in.Indicators, id)
	}
	rec, err := st.attack.Record(ctx, st.ref, in)
	st.fail(err, fmt.Sprintf("record attacker activity on %s", st.ref))
	return rec.Entry.ID
}

// register adds an item held outside Warroom. Its hash is made up from
// its name, like the rest of the demo's data.
func (st *story) register(who string, in evidence.ExternalInput) {
	ctx, ok := st.as(who)
	if !ok || st.locker == nil {
		return
	}
	if in.SHA256 == "" {
		sum := sha256.Sum256([]byte("demo evidence " + in.Name))
		in.SHA256 = hex.EncodeToString(sum[:])
	}
	_, err := st.locker.Register(ctx, st.ref, in)
	st.fail(err, fmt.Sprintf("register evidence %q on %s", in.Name, st.ref))
}

// upload stores a small file in the locker. A seeder without a blob
// store registers it as held elsewhere instead, so evidence labels are the
// same either way.
func (st *story) upload(who string, m evidence.Meta, content string) {
	ctx, ok := st.as(who)
	if !ok || st.locker == nil {
		return
	}
	if st.locker.Blobs == nil {
		sum := sha256.Sum256([]byte(content))
		st.register(who, evidence.ExternalInput{Meta: m, Location: "Copy on the forensic share", Size: int64(len(content)),
			SHA256: hex.EncodeToString(sum[:])})
		return
	}
	_, err := st.locker.Upload(ctx, st.ref, m, strings.NewReader(content))
	st.fail(err, fmt.Sprintf("upload evidence %q to %s", m.Name, st.ref))
}

// facts records the facts the notification clocks are computed from.
func (st *story) facts(who, doc string) {
	ctx, ok := st.as(who)
	if !ok || st.obligations == nil {
		return
	}
	f, err := obligation.ParseFacts([]byte(doc))
	if err != nil {
		st.fail(err, "parse demo facts")
		return
	}
	_, err = st.obligations.PutFacts(ctx, st.ref, *f, 0)
	st.fail(err, fmt.Sprintf("record facts on %s", st.ref))
}

// notice records what was done about one notification.
func (st *story) notice(who, rule string, in obligation.StatusInput) {
	ctx, ok := st.as(who)
	if !ok || st.obligations == nil {
		return
	}
	_, err := st.obligations.SetStatus(ctx, st.ref, rule, in, 0)
	st.fail(err, fmt.Sprintf("set the status of %s on %s", rule, st.ref))
}
