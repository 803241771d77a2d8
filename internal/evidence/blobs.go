package evidence

import (
	"context"
	// MD5 and SHA-1 are computed because investigators, tools and courts
	// still quote them; the store trusts only SHA-256.
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/warroom/warroom/internal/errs"
)

// Blobs is the content-addressed store: each file lives at
// <Dir>/sha256/ab/cd/<sha256>, written once and never changed. With
// PostgreSQL and several replicas, Dir must be storage they all share.
type Blobs struct {
	Dir string // like warroom-data/blobs
}

// Sums are the size and hashes of some content, as lower-case hex.
type Sums struct {
	Size   int64
	MD5    string
	SHA1   string
	SHA256 string
}

// copyBuffer is the unit uploads are read, hashed and written in: large
// enough for few system calls, small enough that memory stays flat.
const copyBuffer = 1 << 20

// Path is where the content with this SHA-256 is stored.
func (b *Blobs) Path(sha string) string {
	return filepath.Join(b.Dir, "sha256", sha[0:2], sha[2:4], sha)
}

// Put streams r into the store, computing MD5, SHA-1 and SHA-256 in the
// same pass, and stores it under its SHA-256. The content goes to a
// temporary file that is synced and then renamed, so a crash never leaves
// a partial blob under a final name. More than limit bytes aborts the
// upload, removes the temporary file and stores nothing. Content already
// stored is kept as it is (stored once, never rewritten).
func (b *Blobs) Put(ctx context.Context, r io.Reader, limit int64) (Sums, error) {
	tmpDir := filepath.Join(b.Dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return Sums{}, fmt.Errorf("create blob directory: %w", err)
	}
	f, err := os.CreateTemp(tmpDir, "upload-*")
	if err != nil {
		return Sums{}, fmt.Errorf("create temporary blob: %w", err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	hm, h1, h256 := md5.New(), sha1.New(), sha256.New()
	w := io.MultiWriter(f, hm, h1, h256)
	n, err := io.CopyBuffer(w, io.LimitReader(ctxReader{ctx, r}, limit+1), make([]byte, copyBuffer))
	if err != nil {
		return Sums{}, fmt.Errorf("receive content: %w", err)
	}
	if n > limit {
		return Sums{}, errs.E(errs.TooLarge, "the file is larger than the evidence size limit of %d bytes; nothing was stored", limit)
	}
	if err := f.Sync(); err != nil {
		return Sums{}, fmt.Errorf("sync blob: %w", err)
	}
	if err := f.Close(); err != nil {
		return Sums{}, fmt.Errorf("close blob: %w", err)
	}
	s := Sums{Size: n, MD5: hex.EncodeToString(hm.Sum(nil)), SHA1: hex.EncodeToString(h1.Sum(nil)), SHA256: hex.EncodeToString(h256.Sum(nil))}
	final := b.Path(s.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return Sums{}, fmt.Errorf("create blob directory: %w", err)
	}
	if _, err := os.Lstat(final); err == nil {
		return s, nil // stored once: the deferred cleanup removes the copy
	}
	if err := os.Chmod(f.Name(), 0o400); err != nil {
		return Sums{}, fmt.Errorf("protect blob: %w", err)
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return Sums{}, fmt.Errorf("store blob: %w", err)
	}
	done = true
	syncDir(filepath.Dir(final))
	return s, nil
}

// Open opens stored content for reading.
func (b *Blobs) Open(sha string) (*os.File, error) {
	return os.Open(b.Path(sha))
}

// Remove deletes stored content; content that is already gone is not an error.
func (b *Blobs) Remove(sha string) error {
	err := os.Remove(b.Path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Hash re-reads stored content and returns its size and hashes;
// fs.ErrNotExist when it is gone.
func (b *Blobs) Hash(ctx context.Context, sha string) (Sums, error) {
	f, err := b.Open(sha)
	if err != nil {
		return Sums{}, err
	}
	defer f.Close()
	return HashReader(ctx, f)
}

// HashReader computes the size and hashes of everything r yields.
func HashReader(ctx context.Context, r io.Reader) (Sums, error) {
	hm, h1, h256 := md5.New(), sha1.New(), sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(hm, h1, h256), ctxReader{ctx, r}, make([]byte, copyBuffer))
	if err != nil {
		return Sums{}, err
	}
	return Sums{Size: n, MD5: hex.EncodeToString(hm.Sum(nil)), SHA1: hex.EncodeToString(h1.Sum(nil)), SHA256: hex.EncodeToString(h256.Sum(nil))}, nil
}

// syncDir makes a rename durable on POSIX systems. Windows cannot sync a
// directory, and its renames are journaled by NTFS.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// ctxReader stops a long copy when its context ends (a client that hung
// up, a server shutting down).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
