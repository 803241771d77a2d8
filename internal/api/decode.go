package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

// decode reads a JSON body into v strictly: the right media type, within
// the size limit, no unknown fields, no trailing data. Every failure is an
// error that names what was wrong.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return errs.E(errs.UnsupportedMedia, "send the body as application/json, not %q", ct)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.E(errs.TooLarge, "request body is larger than the limit of %d bytes", mbe.Limit)
	} else if err != nil {
		return errs.Invalidf("could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errs.Invalidf("the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return errs.Invalidf("the request body has data after the JSON object")
	}
	return nil
}

func jsonError(err error) error {
	field := func(name, format string, args ...any) error {
		return &errs.Error{Code: errs.Invalid, Message: "invalid " + name, Fields: []errs.FieldError{{Field: name, Message: fmt.Sprintf(format, args...)}}}
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var perr *time.ParseError
	switch {
	case errors.As(err, &syn):
		return errs.Invalidf("the request body is not valid JSON (at byte %d): %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		name := typ.Field
		if name == "" {
			return errs.Invalidf("the request body must be a JSON object, not %s", typ.Value)
		}
		return field(name, "must be %s, not %s", jsonType(typ.Type), typ.Value)
	case errors.As(err, &perr):
		return field("body", "%q is not an RFC 3339 time like 2026-11-26T09:00:00Z", strings.Trim(perr.Value, `"`))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return field(name, "is not a field of this request; see /api/v1/openapi.json")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.Invalidf("the request body is truncated JSON")
	}
	return errs.Invalidf("the request body could not be decoded: %s", err.Error())
}

// jsonType names what JSON a Go type takes, by its kind: any enum type
// of string or int underneath reads right without a case of its own.
func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Time]() {
		return "an RFC 3339 time"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}

// query reads typed query parameters, collecting every problem.
type query struct {
	r *http.Request
	v errs.Validation
}

func (q *query) str(name string) string { return q.r.URL.Query().Get(name) }

func (q *query) int(name string) int {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		q.v.Add(name, "%q is not an integer", s)
	}
	return n
}

func (q *query) int64(name string) int64 {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		q.v.Add(name, "%q is not a non-negative integer", s)
	}
	return n
}

func (q *query) bool(name string) bool {
	s := q.str(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.v.Add(name, "%q is not true or false", s)
	}
	return b
}

func (q *query) err() error { return q.v.Err() }

// ifMatch parses an If-Match header holding one ETag this API issued
// ("3" for version 3). No header means no precondition.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || n < 1 || len(h) < 3 || h[0] != '"' || h[len(h)-1] != '"' {
		return 0, &errs.Error{Code: errs.Invalid, Message: "invalid If-Match",
			Fields: []errs.FieldError{{Field: "If-Match", Message: fmt.Sprintf("%q is not an ETag from this API (like \"3\")", h)}}}
	}
	return n, nil
}

func etag(version int64) string { return fmt.Sprintf(`"%d"`, version) }

func fieldErr(field, format string, args ...any) error {
	var v errs.Validation
	v.Add(field, format, args...)
	return v.Err()
}

func notFound(format string, args ...any) error { return errs.NotFoundf(format, args...) }
