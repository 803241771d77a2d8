package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

// eventBatch bounds how many entries one database read sends.
const eventBatch = 200

// streamStart reads where a client wants to resume: the Last-Event-ID
// header a reconnecting EventSource sends, or ?after=N. ok is false when
// neither is given (start from now).
func streamStart(r *http.Request) (after int64, ok bool, err error) {
	s := r.Header.Get("Last-Event-ID")
	field := "Last-Event-ID"
	if s == "" {
		s, field = r.URL.Query().Get("after"), "after"
	}
	if s == "" {
		return 0, false, nil
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil || n < 0 {
		return 0, false, fieldErr(field, "%q is not an event id (a non-negative integer)", s)
	}
	return n, true, nil
}

// sse writes one Server-Sent Events stream.
type sse struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func (s *Server) openStream(w http.ResponseWriter) *sse {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // tell nginx not to buffer the stream
	w.WriteHeader(http.StatusOK)
	st := &sse{w: w, rc: http.NewResponseController(w)}
	st.write("retry: 2000\n\n")
	return st
}

// write sends raw stream text; a client that stops reading for 30 seconds
// is dropped rather than holding a goroutine forever.
func (st *sse) write(s string) error {
	_ = st.rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if _, err := fmt.Fprint(st.w, s); err != nil {
		return err
	}
	return st.rc.Flush()
}

func (st *sse) event(id int64, kind string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return st.write(fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", id, kind, b))
}

// incidentEvents streams an incident's new timeline entries. Every change
// to an incident writes one, so this is the live view of everything. Event
// ids are the entries' sequence numbers: a reconnect resumes exactly after
// the last one received, with no gap and no duplicate.
func (s *Server) incidentEvents(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	after, given, err := streamStart(r)
	if err != nil {
		return err
	}
	inc, err := s.Incidents.Get(ctx, r.PathValue("ref"))
	if err != nil {
		return err
	}
	if !given {
		after = inc.LastSeq
	}
	signals, stop := s.DB.Changes().Subscribe(actor.From(ctx).OrgID)
	defer stop()
	s.Metrics.streams.Inc()
	defer s.Metrics.streams.Dec()
	st := s.openStream(w)
	heartbeat := time.NewTicker(s.heartbeat())
	defer heartbeat.Stop()
	for {
		for {
			_, es, err := s.Incidents.IncidentEvents(ctx, inc.Ref, after, eventBatch)
			if errs.CodeOf(err) == errs.NotFound {
				_ = st.write("event: gone\ndata: {}\n\n")
				return nil
			}
			if err != nil {
				return s.endStream(r, err)
			}
			for _, e := range es {
				if err := st.event(e.Seq, "entry", e); err != nil {
					return nil
				}
				after = e.Seq
			}
			if len(es) < eventBatch {
				break
			}
		}
		if !s.wait(r, signals, heartbeat, st) {
			return nil
		}
	}
}

// orgEvents streams new timeline entries of every incident the caller may
// see, for incident lists and dashboards. Event ids are organisation
// sequence numbers.
func (s *Server) orgEvents(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	after, given, err := streamStart(r)
	if err != nil {
		return err
	}
	if !given {
		if after, err = s.Incidents.LastOrgEvent(ctx); err != nil {
			return err
		}
	}
	signals, stop := s.DB.Changes().Subscribe(actor.From(ctx).OrgID)
	defer stop()
	s.Metrics.streams.Inc()
	defer s.Metrics.streams.Dec()
	st := s.openStream(w)
	heartbeat := time.NewTicker(s.heartbeat())
	defer heartbeat.Stop()
	for {
		for {
			es, next, err := s.Incidents.OrgEvents(ctx, after, eventBatch)
			if err != nil {
				return s.endStream(r, err)
			}
			for _, e := range es {
				if err := st.event(e.OrgSeq, "entry", orgEvent{Entry: e}); err != nil {
					return nil
				}
			}
			scanned := next - after
			after = next
			if scanned < eventBatch {
				break
			}
		}
		if !s.wait(r, signals, heartbeat, st) {
			return nil
		}
	}
}

// orgEvent is an entry on the organisation stream; it carries its
// organisation sequence number in the payload too, for clients that do
// not read SSE ids.
type orgEvent struct {
	incident.Entry
}

func (e orgEvent) MarshalJSON() ([]byte, error) {
	type plain incident.Entry
	return json.Marshal(struct {
		plain
		OrgSeq int64 `json:"org_seq"`
	}{plain(e.Entry), e.OrgSeq})
}

// wait blocks until there may be news, sending heartbeats meanwhile. It
// returns false when the stream should end.
func (s *Server) wait(r *http.Request, signals <-chan struct{}, heartbeat *time.Ticker, st *sse) bool {
	for {
		select {
		case <-r.Context().Done():
			return false
		case <-s.closing():
			return false
		case <-signals:
			return true
		case <-heartbeat.C:
			if err := st.write(": heartbeat\n\n"); err != nil {
				return false
			}
			// Re-read on heartbeats too: it re-checks access, and covers
			// a signal lost while the PostgreSQL listener reconnected.
			return true
		}
	}
}

func (s *Server) endStream(r *http.Request, err error) error {
	if r.Context().Err() == nil {
		s.Log.Error("event stream failed", "err", err, "request_id", actor.RequestID(r.Context()))
	}
	return nil
}

// heartbeat defaults to 15 seconds: well inside the idle timeouts of
// common proxies.
func (s *Server) heartbeat() time.Duration {
	if s.Heartbeat <= 0 {
		return 15 * time.Second
	}
	return s.Heartbeat
}

func (s *Server) closing() <-chan struct{} {
	if s.Closing == nil {
		return nil
	}
	return s.Closing
}
