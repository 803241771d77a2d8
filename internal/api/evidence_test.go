package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/evidence/evidencetest"
	"github.com/warroom/warroom/internal/incident"
)

// rawBody is a request body sent as it is, with its own content type.
type rawBody struct {
	contentType string
	data        []byte
}

// uploadBody builds a multipart upload: fields (in name order), then the
// file part.
func uploadBody(fields map[string]string, fileName string, content []byte) rawBody {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		_ = mw.WriteField(k, fields[k])
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	return rawBody{mw.FormDataContentType(), b.Bytes()}
}

// TestEvidenceAPI drives the locker through the Go client: an upload
// larger than the JSON body limit, registration, custody, history and a
// download whose SHA-256 the client checks.
func TestEvidenceAPI(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		i := MustDeclare(t, e, "responder", incident.DeclareInput{Title: "Ransomware on FS01"})
		rc := e.client("responder")
		content := bytes.Repeat([]byte("ransom note "), 20000) // 240 KB, above the 64 KiB JSON limit
		sum := sha256.Sum256(content)

		up, err := rc.UploadEvidence(ctx, i.Ref, client.EvidenceMeta{SourceHost: "fs01", Method: "copied from C:\\Users\\Public"}, "README.txt", bytes.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		if up.Label != "EV-1" || up.Name != "README.txt" || up.SHA256 != hex.EncodeToString(sum[:]) || up.Size != int64(len(content)) || up.SourceHost != "fs01" {
			t.Fatalf("uploaded: %+v", up)
		}
		ext, err := rc.RegisterEvidence(ctx, i.Ref, client.ExternalEvidence{EvidenceMeta: client.EvidenceMeta{Name: "FS01 disk image"},
			Location: "NAS //forensics/ir-2026/fs01.E01", SHA256: strings.Repeat("0", 64)})
		if err != nil || ext.Label != "EV-2" || ext.Stored {
			t.Fatalf("registered: %+v %v", ext, err)
		}
		items, err := e.client("viewer").ListEvidence(ctx, i.Ref)
		if err != nil || len(items) != 2 {
			t.Fatalf("list: %+v %v", items, err)
		}

		var got bytes.Buffer
		dl, err := rc.DownloadEvidence(ctx, i.Ref, "EV-1", "decrypt attempt", &got)
		if err != nil || !bytes.Equal(got.Bytes(), content) || dl.Expected != up.SHA256 {
			t.Fatalf("download: %+v %v", dl, err)
		}
		resp, err := http.Get(e.srv.URL + "/api/v1/incidents/" + i.Ref + "/evidence/EV-1/download")
		if err == nil {
			resp.Body.Close()
		}
		if err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous download: %v %v", resp, err)
		}
		_, err = e.client("viewer").DownloadEvidence(ctx, i.Ref, "EV-1", "", io.Discard)
		if client.ErrorCode(err) != "forbidden" {
			t.Errorf("viewer download: %v", err)
		}

		if _, err := rc.Custody(ctx, i.Ref, "EV-2", client.CustodyInput{Action: "transfer", To: "Law firm (privileged review)", Reason: "legal hold"}); err != nil {
			t.Fatal(err)
		}
		h, err := e.client("viewer").CustodyHistory(ctx, i.Ref, "EV-2")
		if err != nil || len(h) != 2 || h[1].Action != "transferred" || h[1].To != "Law firm (privileged review)" {
			t.Fatalf("history: %+v %v", h, err)
		}
		h, _ = rc.CustodyHistory(ctx, i.Ref, "EV-1")
		if len(h) != 2 || h[1].Via != "download" || h[1].Reason != "decrypt attempt" {
			t.Errorf("download in the history: %+v", h)
		}

		// A stored copy changed on disk: the client refuses the download.
		path := e.ev.Blobs.Path(up.SHA256)
		mustTamper(t, path)
		_, err = rc.DownloadEvidence(ctx, i.Ref, "EV-1", "", io.Discard)
		var mismatch *client.DigestMismatchError
		if !errors.As(err, &mismatch) {
			t.Errorf("download of a tampered file: %v", err)
		}
	})
}

// TestEvidenceUploadStreamsThroughHTTP sends 256 MiB through the real
// multipart API (client and server in this process) and checks the heap
// stays far below the file's size: neither side buffers the upload.
func TestEvidenceUploadStreamsThroughHTTP(t *testing.T) {
	const size, bound = 256 << 20, 64 << 20
	e := newEnv(t, dbtest.OpenSQLite(t))
	e.ev.MaxSize = size
	i := MustDeclare(t, e, "responder", incident.DeclareInput{Title: "Memory image"})
	rc := e.client("responder")
	var up client.Evidence
	peak := evidencetest.PeakHeap(func() {
		var err error
		up, err = rc.UploadEvidence(context.Background(), i.Ref, client.EvidenceMeta{}, "mem.raw", evidencetest.NewReader(7, size))
		if err != nil {
			t.Error(err)
		}
	})
	if up.Size != size {
		t.Fatalf("stored %d bytes, want %d", up.Size, size)
	}
	t.Logf("peak heap in use while uploading %d MiB over HTTP: %.1f MiB", size>>20, float64(peak)/(1<<20))
	if peak > bound {
		t.Errorf("peak heap %d MiB while uploading %d MiB; want under %d MiB", peak>>20, size>>20, bound>>20)
	}
	// Over the limit: 413, and nothing stored.
	e.ev.MaxSize = 1 << 20
	_, err := rc.UploadEvidence(context.Background(), i.Ref, client.EvidenceMeta{}, "big.raw", evidencetest.NewReader(8, 8<<20))
	if client.ErrorCode(err) != "too_large" {
		t.Errorf("oversize upload: %v", err)
	}
	if items, _ := rc.ListEvidence(context.Background(), i.Ref); len(items) != 1 {
		t.Errorf("%d items after an oversize upload, want 1", len(items))
	}
}

// mustTamper flips a byte of a stored file, as someone with disk access would.
func mustTamper(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x20
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
