package ioc

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

// ExportRequest says what to export: the format, one type or all (Type
// ""), and whether artifacts come too (All); by default only indicators
// of compromise are exported, since exports feed blocking and sharing.
type ExportRequest struct {
	Format Format
	Type   Type
	All    bool
	// MaxTLP leaves out indicators marked more restrictively (amber
	// leaves out amber_strict and red): what may go to a partner or a
	// sharing community. "" exports every marking.
	MaxTLP string
}

// Export is an exported document.
type Export struct {
	ContentType string
	// Filename suggests a name for the download, like IR-2026-0001-indicators.stix.json.
	Filename string
	Body     []byte
	Count    int // indicators in it
}

// ExportMeta is what an export says about where it came from.
type ExportMeta struct {
	OrgID, OrgName       string
	OrgCreated           time.Time
	IncidentRef, Title   string
	IncidentTLP          string
	IncidentCreated, Now time.Time
}

// Export writes the incident's indicators in a format for other tools.
// Everyone who may read the incident may export it (reads of a
// restricted incident are audited as any read).
func (s *Service) Export(ctx context.Context, ref string, req ExportRequest) (Export, error) {
	var v errs.Validation
	if err := checkFormat("format", req.Format, ExportFormats); err != nil {
		return Export{}, err
	}
	if req.Type != "" && !slices.Contains(Types, req.Type) {
		v.Add("type", "%q is not allowed; use one of %s", req.Type, typeList())
	}
	maxRank := len(incident.TLPs)
	if req.MaxTLP != "" {
		if maxRank = slices.Index(incident.TLPs, incident.TLP(req.MaxTLP)); maxRank < 0 {
			v.Add("max_tlp", "%q is not allowed; use one of clear, green, amber, amber_strict, red", req.MaxTLP)
		}
	}
	if err := v.Err(); err != nil {
		return Export{}, err
	}
	var items []Indicator
	meta := ExportMeta{Now: db.Time(s.Now())}
	err := s.read(ctx, ref, func(tx *db.Tx, i incident.Incident) error {
		items = items[:0] // the transaction may be retried
		meta.IncidentRef, meta.Title, meta.IncidentTLP, meta.IncidentCreated = i.Ref, i.Title, string(i.TLP), i.CreatedAt
		meta.OrgID = actor.From(ctx).OrgID
		if err := tx.QueryRowContext(ctx, `SELECT name, created_at FROM organizations WHERE id = $1`, meta.OrgID).Scan(&meta.OrgName, &meta.OrgCreated); err != nil {
			return fmt.Errorf("load organisation: %w", err)
		}
		f := Filter{Type: req.Type, IOCOnly: !req.All, Limit: 500}
		for {
			page, err := listIndicators(ctx, tx, i.ID, f)
			if err != nil {
				return err
			}
			if len(page) > f.Limit {
				page = page[:f.Limit]
				f.Cursor = page[f.Limit-1].ID
			} else {
				f.Cursor = ""
			}
			items = append(items, page...)
			if f.Cursor == "" {
				return nil
			}
		}
	})
	if err != nil {
		return Export{}, err
	}
	items = slices.DeleteFunc(items, func(x Indicator) bool { return slices.Index(incident.TLPs, incident.TLP(x.TLP)) > maxRank })
	meta.OrgCreated = meta.OrgCreated.UTC()
	out := Export{Filename: meta.IncidentRef + "-indicators"}
	switch req.Format {
	case FormatSTIX:
		out.ContentType, out.Filename = "application/stix+json;version=2.1", out.Filename+".stix.json"
		out.Body, err = BuildSTIX(meta, items)
	case FormatMISP:
		out.ContentType, out.Filename = "application/json", out.Filename+".misp.json"
		out.Body, err = BuildMISP(meta, items)
	case FormatCSV:
		out.ContentType, out.Filename = "text/csv; charset=utf-8", out.Filename+".csv"
		out.Body, err = BuildCSV(items)
	case FormatList:
		name := "all"
		if req.Type != "" {
			name = string(req.Type)
		}
		out.ContentType, out.Filename = "text/plain; charset=utf-8", out.Filename+"-"+name+".txt"
		out.Body = BuildList(items, req.Type)
	}
	out.Count = len(items)
	return out, err
}

// BuildList writes one value per line, for a firewall or EDR block list.
// Without a type it lists every type's values but not STIX patterns,
// which are not values a block list can hold.
func BuildList(items []Indicator, t Type) []byte {
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, x := range items {
		if t == "" && x.Type == StixPattern || seen[x.Value] {
			continue
		}
		seen[x.Value] = true
		b.WriteString(strings.TrimSpace(x.Value))
		b.WriteByte('\n')
	}
	return b.Bytes()
}
