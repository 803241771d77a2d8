package ioc

import (
	"context"
	"slices"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

// BulkActions are what Bulk can do to many indicators at once.
var BulkActions = []string{"mark_ioc", "mark_artifact", "set_tlp", "add_tag", "remove_tag", "delete"}

// MaxBulk bounds the indicators one bulk action changes.
const MaxBulk = 500

// BulkInput applies one action to several indicators of an incident.
// TLP is for set_tlp, Tag for add_tag and remove_tag.
type BulkInput struct {
	IDs    []string `json:"ids"`
	Action string   `json:"action"`
	TLP    string   `json:"tlp"`
	Tag    string   `json:"tag"`
}

// BulkResult says how many indicators the action changed; the others
// already were as asked.
type BulkResult struct {
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// Bulk applies one action to every listed indicator in one transaction:
// all of them change or, if any is missing or the change is invalid,
// none does. Each indicator that changes gets its own timeline entry, as
// if changed one by one.
func (s *Service) Bulk(ctx context.Context, ref string, in BulkInput) (BulkResult, error) {
	var v errs.Validation
	if !slices.Contains(BulkActions, in.Action) {
		v.Add("action", "%q is not allowed; use one of mark_ioc, mark_artifact, set_tlp, add_tag, remove_tag, delete", in.Action)
	}
	if len(in.IDs) == 0 {
		v.Add("ids", "choose at least one indicator")
	} else if len(in.IDs) > MaxBulk {
		v.Add("ids", "%d indicators chosen; at most %d at a time", len(in.IDs), MaxBulk)
	}
	var tag string
	switch in.Action {
	case "set_tlp":
		if !slices.Contains(incident.TLPs, incident.TLP(in.TLP)) {
			v.Add("tlp", "%q is not allowed; use one of clear, green, amber, amber_strict, red", in.TLP)
		}
	case "add_tag", "remove_tag":
		tags := checkTags(&v, []string{in.Tag})
		if len(tags) == 1 {
			tag = tags[0]
		}
	}
	if err := v.Err(); err != nil {
		return BulkResult{}, err
	}
	var res BulkResult
	err := s.write(ctx, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		res = BulkResult{}
		now := db.Time(s.Now())
		seen := map[string]bool{}
		for _, id := range in.IDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			old, err := findIndicator(ctx, tx, i.ID, id)
			if err != nil {
				return err
			}
			if in.Action == "delete" {
				if err := deleteOne(ctx, tx, a, i, now, old); err != nil {
					return err
				}
				res.Changed++
				continue
			}
			x, err := updateOne(ctx, tx, a, i, now, old, bulkPatch(in.Action, in.TLP, tag, old))
			if err != nil {
				return err
			}
			if x.Version == old.Version {
				res.Unchanged++
			} else {
				res.Changed++
			}
		}
		return nil
	})
	return res, err
}

// bulkPatch is the change one bulk action makes to one indicator.
func bulkPatch(action, tlp, tag string, old Indicator) Patch {
	yes, no := true, false
	switch action {
	case "mark_ioc":
		return Patch{IsIOC: &yes}
	case "mark_artifact":
		return Patch{IsIOC: &no}
	case "set_tlp":
		return Patch{TLP: &tlp}
	case "add_tag":
		tags := old.Tags
		if !slices.Contains(tags, tag) {
			tags = append(slices.Clone(tags), tag)
		}
		return Patch{Tags: &tags}
	case "remove_tag":
		tags := slices.DeleteFunc(slices.Clone(old.Tags), func(t string) bool { return t == tag })
		return Patch{Tags: &tags}
	}
	return Patch{}
}
