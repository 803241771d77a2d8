package api

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/errs"
)

// Problem is an RFC 9457 problem details body with Warroom's extensions.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail"`
	Code      errs.Code         `json:"code"`
	Errors    []errs.FieldError `json:"errors,omitempty"`
	Instance  string            `json:"instance,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// StatusOf maps an error code to its HTTP status; the one place that does.
func StatusOf(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.PreconditionFailed:
		return http.StatusPreconditionFailed
	case errs.TooManyRequests:
		return http.StatusTooManyRequests
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	case errs.UnsupportedMedia:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// writeError renders err as problem+json. Internal errors are logged here,
// once, with the request ID the caller sees.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := errs.CodeOf(err)
	status := StatusOf(code)
	rid := actor.RequestID(r.Context())
	if status >= 500 {
		s.Log.Error("request failed", "err", err, "request_id", rid, "method", r.Method, "path", r.URL.Path)
	}
	p := Problem{Type: "https://github.com/warroom/warroom/blob/main/docs/api.md#" + string(code), Title: http.StatusText(status),
		Status: status, Detail: errs.MessageOf(err), Code: code, Errors: errs.FieldsOf(err), Instance: r.URL.Path, RequestID: rid}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="warroom"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}
