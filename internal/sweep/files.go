package sweep

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/warroom/warroom/internal/indicator"
)

// FileOptions tune a file sweep; the zero value matches names, paths and
// hashes but not content.
type FileOptions struct {
	// Content also scans each file's text (logs, .gz, JSON lines) with
	// the log scanner.
	Content bool
	Log     LogOptions
	// FollowSymlinks follows symbolic links to files and directories; a
	// link back to a directory being walked (a loop) is reported and not
	// followed. By default links are skipped.
	FollowSymlinks bool
	// MaxHashSize is the largest file hashed (default 256 MiB; negative:
	// never hash). Hash indicators name samples, not multi-gigabyte logs,
	// and hashing is the slowest part of a sweep.
	MaxHashSize int64
	// OnError is told about each file or directory that cannot be read;
	// the sweep goes on. Nil ignores them (Stats.Errors still counts).
	OnError func(path string, err error)
}

// DefaultMaxHashSize is FileOptions.MaxHashSize's default.
const DefaultMaxHashSize = 256 << 20

// ErrLoop is reported for a symbolic link that leads back to a directory
// being walked.
var ErrLoop = errors.New("symbolic link loop: the link leads back to a directory above it; not followed")

// ErrSpecial is reported for a path given on the command line that is not
// a regular file or directory (found inside a directory, such files are
// only counted as skipped).
var ErrSpecial = errors.New("not a regular file or directory (a device, pipe or socket); skipped")

// FileSweep walks paths and reports hits in file names, paths, content
// hashes and, with Content, file text. Create it with NewFileSweep and
// Close it after.
type FileSweep struct {
	m     *Matcher
	opt   FileOptions
	logs  *LogScanner
	stats *Stats
	emit  func(Hit)
	hash  []indicator.Type // hash types the set needs, in a fixed order
}

// NewFileSweep prepares a sweep; stats may be nil.
func (m *Matcher) NewFileSweep(opt FileOptions, stats *Stats, emit func(Hit)) *FileSweep {
	if opt.MaxHashSize == 0 {
		opt.MaxHashSize = DefaultMaxHashSize
	}
	if stats == nil {
		stats = new(Stats)
	}
	fs := &FileSweep{m: m, opt: opt, stats: stats, emit: emit}
	if opt.Content {
		fs.logs = m.NewLogScanner(opt.Log)
	}
	for _, t := range []indicator.Type{indicator.MD5, indicator.SHA1, indicator.SHA256, indicator.SHA512} {
		if m.hashes[t] {
			fs.hash = append(fs.hash, t)
		}
	}
	return fs
}

// Close releases the content scanner's workers.
func (s *FileSweep) Close() {
	if s.logs != nil {
		s.logs.Close()
	}
}

// Walk sweeps one path, a file or a directory. It returns only when ctx
// is done (ctx.Err()) or the path itself cannot be read; problems below
// it go to OnError.
func (s *FileSweep) Walk(ctx context.Context, root string) error {
	fi, err := os.Stat(root)
	if err != nil {
		return err
	}
	switch {
	case fi.IsDir():
		return s.walkDir(ctx, root, []os.FileInfo{fi})
	case fi.Mode().IsRegular():
		return s.file(ctx, root, fi)
	}
	return fmt.Errorf("%s: %w", root, ErrSpecial)
}

func (s *FileSweep) fail(path string, err error) {
	s.stats.Errors.Add(1)
	if s.opt.OnError != nil {
		s.opt.OnError(path, err)
	}
}

// walkDir walks dir; parents holds the directories above it (and dir) to
// recognise link loops without depending on inode numbers, which Windows
// does not have.
func (s *FileSweep) walkDir(ctx context.Context, dir string, parents []os.FileInfo) error {
	s.pathHits(dir, true)
	ents, err := os.ReadDir(dir)
	if err != nil {
		s.fail(dir, err)
		// ReadDir returns what it read before the error; go on with it.
	}
	for _, e := range ents {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(dir, e.Name())
		mode := e.Type()
		var fi os.FileInfo
		if mode&fs.ModeSymlink != 0 {
			if !s.opt.FollowSymlinks {
				s.stats.Skipped.Add(1)
				continue
			}
			if fi, err = os.Stat(p); err != nil {
				s.fail(p, err) // a dangling link
				continue
			}
			mode = fi.Mode().Type()
		}
		switch {
		case mode.IsDir():
			if fi == nil {
				if fi, err = os.Lstat(p); err != nil {
					s.fail(p, err)
					continue
				}
			}
			if slices.ContainsFunc(parents, func(q os.FileInfo) bool { return os.SameFile(q, fi) }) {
				s.fail(p, ErrLoop)
				continue
			}
			if err := s.walkDir(ctx, p, append(parents[:len(parents):len(parents)], fi)); err != nil {
				return err
			}
		case mode.IsRegular():
			if fi == nil {
				if fi, err = e.Info(); err != nil {
					s.fail(p, err)
					continue
				}
			}
			if err := s.file(ctx, p, fi); err != nil {
				return err
			}
		default:
			// Devices, pipes and sockets: opening a pipe would wait for a
			// writer, and a device can be endless.
			s.stats.Skipped.Add(1)
		}
	}
	return nil
}

// pathHits matches a path against path indicators and, for files, its
// last element against file and process names.
func (s *FileSweep) pathHits(p string, dir bool) {
	base := len(p) - len(filepath.Base(p))
	s.m.Scan([]byte(p), func(h Match) {
		in := s.m.inds[h.Indicator]
		kind := ""
		switch {
		case in.Type == indicator.Filepath:
			kind = KindPath
		case (in.Type == indicator.Filename || in.Type == indicator.ProcessName) && !dir && h.Start == base && h.End == len(p):
			kind = KindName
		default:
			return
		}
		s.stats.Hits.Add(1)
		s.emit(Hit{Path: p, Kind: kind, Type: in.Type, Indicator: in.Value, Match: p[h.Start:h.End]})
	})
}

// file sweeps one regular file: its name, then one read for the hashes
// and the content.
func (s *FileSweep) file(ctx context.Context, p string, fi os.FileInfo) error {
	defer s.stats.Files.Add(1)
	s.pathHits(p, false)
	doHash := len(s.hash) > 0 && s.opt.MaxHashSize >= 0 && fi.Size() <= s.opt.MaxHashSize
	if !doHash && !s.opt.Content {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		s.fail(p, err)
		return nil
	}
	defer f.Close()
	var hs []hash.Hash
	var r io.Reader = f
	if doHash {
		ws := make([]io.Writer, len(s.hash))
		for i, t := range s.hash {
			hs = append(hs, newHash(t))
			ws[i] = hs[i]
		}
		r = io.TeeReader(f, io.MultiWriter(ws...))
	}
	if s.opt.Content {
		err = s.logs.ScanModified(ctx, p, r, fi.ModTime(), s.stats, s.emit)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err == nil && doHash {
		// The content scan stops early on binary content; the hash needs
		// it all. Without a content scan this is the only read.
		var n int64
		n, err = io.Copy(io.Discard, r)
		s.stats.Bytes.Add(n)
		s.stats.Hashed.Add(fi.Size())
	}
	if err != nil {
		s.fail(p, err)
		return nil
	}
	for i, h := range hs {
		sum := hex.EncodeToString(h.Sum(nil))
		s.m.Scan([]byte(sum), func(m Match) {
			in := s.m.inds[m.Indicator]
			if in.Type == s.hash[i] {
				s.stats.Hits.Add(1)
				s.emit(Hit{Path: p, Kind: KindHash, Type: in.Type, Indicator: in.Value, Match: sum})
			}
		})
	}
	return nil
}

func newHash(t indicator.Type) hash.Hash {
	switch t {
	case indicator.MD5:
		return md5.New()
	case indicator.SHA1:
		return sha1.New()
	case indicator.SHA256:
		return sha256.New()
	}
	return sha512.New()
}
