package incident

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Sort orders for incident lists.
const (
	SortNewest   = "newest"
	SortOldest   = "oldest"
	SortSeverity = "severity"
	SortUpdated  = "updated"
)

// Sorts lists the accepted sort orders.
var Sorts = []string{SortNewest, SortOldest, SortSeverity, SortUpdated}

// Filter selects incidents. Zero values mean "any".
type Filter struct {
	Status   Status
	Severity Severity
	Type     Type
	Phase    Phase
	Mine     bool   // the actor holds a role on it
	Query    string // matches reference or title
	Sort     string
	Limit    int    // 1..500, default 50
	Cursor   string // from a previous page's NextCursor
}

// Page is one page of a list; NextCursor is empty on the last page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

type cursor struct {
	Key string `json:"k,omitempty"`
	ID  string `json:"id"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return c, &errs.Error{Code: errs.Invalid, Message: "invalid cursor",
			Fields: []errs.FieldError{{Field: "cursor", Message: "not a cursor this server issued; start again without it"}}}
	}
	return c, nil
}

// CheckLimit validates a page size and applies the default.
func CheckLimit(v *errs.Validation, limit int) int {
	switch {
	case limit == 0:
		return 50
	case limit < 1 || limit > 500:
		v.Add("limit", "must be between 1 and 500")
	}
	return limit
}

// List returns the incidents the actor may see that match f.
func (s *Service) List(ctx context.Context, f Filter) (Page[Incident], error) {
	a := actor.From(ctx)
	var v errs.Validation
	if f.Status != "" {
		oneOf(&v, "status", f.Status, []Status{Open, Closed})
	}
	if f.Severity != "" {
		oneOf(&v, "severity", f.Severity, Severities)
	}
	if f.Type != "" {
		oneOf(&v, "type", f.Type, Types)
	}
	if f.Phase != "" {
		oneOf(&v, "phase", f.Phase, Phases)
	}
	if f.Sort == "" {
		f.Sort = SortNewest
	}
	oneOf(&v, "sort", f.Sort, Sorts)
	f.Limit = CheckLimit(&v, f.Limit)
	var cur cursor
	if f.Cursor != "" {
		var err error
		if cur, err = decodeCursor(f.Cursor); err != nil {
			return Page[Incident]{}, err
		}
	}
	if err := v.Err(); err != nil {
		return Page[Incident]{}, err
	}
	where := []string{visible}
	args := visibleArgs(a)
	add := func(cond string, val any) {
		args = append(args, val)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Status != "" {
		add("i.status = ?", f.Status)
	}
	if f.Severity != "" {
		add("i.severity = ?", f.Severity)
	}
	if f.Type != "" {
		add("i.type = ?", f.Type)
	}
	if f.Phase != "" {
		add("i.phase = ?", f.Phase)
	}
	if f.Mine {
		add("EXISTS (SELECT 1 FROM roster_assignments m WHERE m.incident_id = i.id AND m.user_id = ? AND m.released_at IS NULL)", a.UserID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pat := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
		add(`(lower(i.title) LIKE ? ESCAPE '\' OR lower(i.ref) LIKE ? ESCAPE '\')`, pat)
	}
	sortOrder := ""
	switch f.Sort {
	case SortNewest, SortOldest:
		// By declaration time, not by ID: IDs follow the server's clock
		// at insert, which differs for imported or backdated incidents.
		order, cmp := "i.created_at DESC, i.id DESC", "<"
		if f.Sort == SortOldest {
			order, cmp = "i.created_at ASC, i.id ASC", ">"
		}
		if cur.ID != "" {
			t, err := time.Parse(time.RFC3339Nano, cur.Key)
			if err != nil {
				return Page[Incident]{}, errs.Invalidf("invalid cursor")
			}
			args = append(args, t, cur.ID)
			where = append(where, fmt.Sprintf("(i.created_at %s $%d OR (i.created_at = $%d AND i.id %s $%d))", cmp, len(args)-1, len(args)-1, cmp, len(args)))
		}
		sortOrder = order
	case SortSeverity:
		sortOrder = "i.severity ASC, i.id DESC"
		if cur.ID != "" {
			args = append(args, cur.Key, cur.ID)
			where = append(where, fmt.Sprintf("(i.severity > $%d OR (i.severity = $%d AND i.id < $%d))", len(args)-1, len(args)-1, len(args)))
		}
	case SortUpdated:
		sortOrder = "i.updated_at DESC, i.id DESC"
		if cur.ID != "" {
			t, err := time.Parse(time.RFC3339Nano, cur.Key)
			if err != nil {
				return Page[Incident]{}, errs.Invalidf("invalid cursor")
			}
			args = append(args, t, cur.ID)
			where = append(where, fmt.Sprintf("(i.updated_at < $%d OR (i.updated_at = $%d AND i.id < $%d))", len(args)-1, len(args)-1, len(args)))
		}
	}
	q := `SELECT ` + incidentColumns + ` FROM incidents i WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + sortOrder + fmt.Sprintf(" LIMIT %d", f.Limit+1)
	page := Page[Incident]{Items: []Incident{}}
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("list incidents: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			i, err := scanIncident(rows)
			if err != nil {
				return fmt.Errorf("scan incident: %w", err)
			}
			page.Items = append(page.Items, i)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return fillMilestones(ctx, tx, page.Items)
	})
	if err != nil {
		return page, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[f.Limit-1]
		c := cursor{ID: last.ID}
		switch f.Sort {
		case SortSeverity:
			c.Key = string(last.Severity)
		case SortUpdated:
			c.Key = last.UpdatedAt.Format(time.RFC3339Nano)
		default:
			c.Key = last.CreatedAt.Format(time.RFC3339Nano)
		}
		page.NextCursor = c.encode()
	}
	return page, nil
}
