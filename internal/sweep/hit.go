package sweep

import (
	"sync/atomic"
	"time"

	"github.com/warroom/warroom/internal/indicator"
)

// Where a hit was found.
const (
	KindContent = "content" // in the text of a file (a log line)
	KindName    = "name"    // the file's name is a file or process name indicator
	KindPath    = "path"    // the file's path is a file path indicator
	KindHash    = "hash"    // the file's content hash is a hash indicator
)

// Hit is one indicator found in one place.
type Hit struct {
	Path string `json:"path"`
	// Line is 1-based; 0 for hits on a whole file (name, path, hash).
	Line int64 `json:"line"`
	// Offset is the byte offset of the match in the file's content
	// (after decompression for .gz); 0 for hits on a whole file.
	Offset    int64          `json:"offset"`
	Kind      string         `json:"kind"`
	Type      indicator.Type `json:"type"`
	Indicator string         `json:"indicator"`
	// Match is the text as found, which may differ in case or form
	// (defanged, an address inside a network) from the indicator.
	Match string `json:"match"`
	// Text is the line, trimmed to a limit around the match.
	Text string `json:"text,omitempty"`
	// Time is the event time read from the line, when it has one.
	Time *time.Time `json:"time,omitempty"`
}

// Stats counts what a sweep covered; safe to read while it runs (the
// progress bar does).
type Stats struct {
	Files   atomic.Int64 // files finished
	Bytes   atomic.Int64 // bytes read (compressed size for .gz)
	Hits    atomic.Int64
	Errors  atomic.Int64 // files that could not be read
	Skipped atomic.Int64 // special files, binary content, links not followed
	Scanned atomic.Int64 // content bytes scanned (decompressed)
	Hashed  atomic.Int64 // bytes hashed
}
