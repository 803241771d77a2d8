package evidence

import (
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// DownloadName is the item's name as a file name: no path separators or
// control characters, and the label first so downloads of several items
// do not collide.
func DownloadName(e Evidence) string {
	n := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 {
			return '_'
		}
		return r
	}, e.Name)
	return e.Label + "-" + n
}

// MaxUpload is the upload size limit in force, for forms and messages.
func (s *Service) MaxUpload() int64 { return s.maxSize() }

// Send writes an opened file to w as a download: always an attachment of
// type application/octet-stream whatever the uploader declared, and
// sandboxed, since evidence is often hostile (HTML, scripts) and must
// never render in a browser. The recorded SHA-256 goes in Repr-Digest
// (RFC 9530) and X-Warroom-Sha256 so the receiver can check what it got.
// Once the status is sent an error cannot be reported: a short body fails
// the receiver's length and digest checks instead.
func Send(w http.ResponseWriter, e Evidence, f *os.File) {
	sum, _ := hex.DecodeString(e.SHA256)
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": DownloadName(e)}))
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	h.Set("X-Warroom-Sha256", e.SHA256)
	if fi, err := f.Stat(); err == nil {
		h.Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, f)
}
