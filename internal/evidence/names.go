package evidence

import "strings"

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
