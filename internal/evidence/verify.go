package evidence

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/warroom/warroom/internal/db"
)

// Results of checking one stored item.
const (
	ResultOK      = "ok"
	ResultChanged = "changed" // the content no longer hashes to its SHA-256
	ResultMissing = "missing" // the content is gone from the store
)

// Check is the result for one item whose content Warroom holds.
type Check struct {
	IncidentRef string `json:"incident_ref"`
	Evidence    string `json:"evidence"` // EV-3
	ID          string `json:"id"`
	SHA256      string `json:"sha256"`
	Result      string `json:"result"`
	Detail      string `json:"detail,omitempty"`
}

// Report is what Verify found.
type Report struct {
	Items   []Check `json:"items"`
	Blobs   int     `json:"blobs"` // distinct stored files re-hashed
	Changed int     `json:"changed"`
	Missing int     `json:"missing"`
	// Unreferenced are stored files no held item refers to: left by an
	// upload whose transaction failed, or a removal that failed. Not an
	// integrity problem; listed so an operator can clean up.
	Unreferenced []string `json:"unreferenced"`
	OK           bool     `json:"ok"`
}

// Verify re-hashes the content of every item, in every organisation, whose
// content Warroom holds, and reports each that changed or disappeared. It
// is for the server's administrator (warroom evidence verify, run locally)
// and needs no actor. Identical content is read once.
func (s *Service) Verify(ctx context.Context) (Report, error) {
	var items []storedItem
	if err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { items, err = listStored(ctx, tx); return err }); err != nil {
		return Report{}, err
	}
	r := Report{Items: []Check{}, Unreferenced: []string{}}
	type outcome struct{ result, detail string }
	seen := map[string]outcome{}
	for _, it := range items {
		o, ok := seen[it.sha]
		if !ok {
			o = outcome{result: ResultOK}
			sums, err := s.Blobs.Hash(ctx, it.sha)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				o = outcome{ResultMissing, "the stored file " + s.Blobs.Path(it.sha) + " is gone"}
			case err != nil:
				return r, fmt.Errorf("re-hash %s %s: %w", it.ref, it.label, err)
			case sums.SHA256 != it.sha:
				o = outcome{ResultChanged, fmt.Sprintf("the stored file now hashes to %s (%d bytes; %d were recorded)", sums.SHA256, sums.Size, it.size)}
			}
			seen[it.sha] = o
			r.Blobs++
		}
		switch o.result {
		case ResultChanged:
			r.Changed++
		case ResultMissing:
			r.Missing++
		}
		r.Items = append(r.Items, Check{IncidentRef: it.ref, Evidence: it.label, ID: it.id, SHA256: it.sha, Result: o.result, Detail: o.detail})
	}
	err := filepath.WalkDir(filepath.Join(s.Blobs.Dir, "sha256"), func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		if _, held := seen[d.Name()]; !held {
			r.Unreferenced = append(r.Unreferenced, path)
		}
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return r, fmt.Errorf("list stored files: %w", err)
	}
	r.OK = r.Changed == 0 && r.Missing == 0
	return r, nil
}
