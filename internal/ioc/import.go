package ioc

import (
	"context"
	"fmt"
	"slices"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// KindImported is the timeline entry an import writes: one per import,
// listing what it added and merged, instead of one entry per indicator.
const KindImported = "indicators_imported"

// maxRecordedRejections bounds the rejections an import's timeline entry
// lists; the report lists more.
const maxRecordedRejections = 100

// Import reads a document (STIX bundle, MISP event, CSV or text) and adds
// its indicators to the incident in one transaction: new ones are added,
// ones the incident has are merged as Add merges them, and items that are
// not valid are rejected with the reason. One timeline entry records the
// import. A document that cannot be read at all changes nothing.
func (s *Service) Import(ctx context.Context, ref string, f Format, doc []byte) (ImportReport, error) {
	rep := ImportReport{Rejected: []Rejection{}, Ignored: map[string]int{}}
	if err := signedIn(actor.From(ctx)); err != nil {
		return rep, err
	}
	now := db.Time(s.Now())
	batch, err := ParseImport(f, doc, now)
	if err != nil {
		return rep, err
	}
	// Validate everything first: a rejection never costs a write.
	type prepared struct {
		item string
		in   Input
		f    fields
	}
	var ok []prepared
	for _, it := range batch.Items {
		in := it.Input
		fl, err := prepareInput(&in, now)
		if err != nil {
			batch.reject(it.Item, "%s", problem(err))
			continue
		}
		ok = append(ok, prepared{it.Item, in, fl})
	}
	type done struct {
		ID      string `json:"id"`
		Type    Type   `json:"type"`
		Value   string `json:"value"`
		Created bool   `json:"created"`
	}
	var rejected []Rejection
	err = s.write(ctx, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		var items []done
		took, merged := 0, 0
		rejected = rejected[:0] // the transaction may be retried
		for _, p := range ok {
			fl := p.f
			if p.in.TLP == "" {
				fl.TLP = string(i.TLP)
			}
			x := Indicator{ID: db.NewID(), IncidentRef: i.Ref, Type: p.in.Type, Value: p.in.Value, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
			fl.apply(&x)
			created, err := insertIndicator(ctx, tx, a.OrgID, i.ID, x)
			if err != nil {
				return err
			}
			if !created {
				x, _, _, err = mergeSighting(ctx, tx, now, i, p.in.Type, p.in.Value, fl)
				if errs.CodeOf(err) == errs.Invalid { // too many tags, note too long: checked before writing
					rejected = append(rejected, Rejection{Item: p.item, Reason: errs.MessageOf(err)})
					continue
				}
				if err != nil {
					return err
				}
				merged++
			} else {
				took++
			}
			items = append(items, done{x.ID, x.Type, x.Value, created})
		}
		rep.Took, rep.Merged = took, merged
		if took+merged == 0 {
			return nil // nothing changed, nothing to record
		}
		// The record keeps what changed (every item) and why the rest did
		// not (the first rejections), so the import can be explained later.
		all := append(slices.Clone(batch.Rejected), rejected...)
		reasons := all[:min(len(all), maxRecordedRejections)]
		_, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindImported,
			Text:    fmt.Sprintf("Indicators imported from %s: %d added, %d merged, %d rejected", formatName(f), took, merged, len(all)),
			Payload: map[string]any{"format": f, "took": took, "merged": merged, "rejected": len(all), "items": items, "rejections": reasons}})
		return err
	})
	if err != nil {
		return ImportReport{}, err
	}
	all := append(batch.Rejected, rejected...)
	if len(all) > maxRejected {
		more := len(all) - maxRejected
		all = append(all[:maxRejected:maxRejected], Rejection{Item: fmt.Sprintf("%d more", more), Reason: "not listed one by one"})
	}
	rep.Rejected = append(rep.Rejected, all...)
	for k, n := range batch.Ignored {
		rep.Ignored[k] = n
	}
	return rep, nil
}

// problem writes a validation error as one line: the message and each
// field's problem.
func problem(err error) string {
	fs := errs.FieldsOf(err)
	if len(fs) == 0 {
		return errs.MessageOf(err)
	}
	msg := ""
	for k, f := range fs {
		if k > 0 {
			msg += "; "
		}
		msg += f.Field + " " + f.Message
	}
	return msg
}

func formatName(f Format) string {
	switch f {
	case FormatSTIX:
		return "STIX"
	case FormatMISP:
		return "MISP"
	case FormatCSV:
		return "CSV"
	}
	return string(f)
}
