package convert

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert/secret"
)

// markerText starts the comment every front-end puts where a human must act.
var markerText = []byte("tkn-migrate: manual:")

// redact keeps credentials out of what a conversion reports: every finding's message and
// action, and every error. Every front-end's findings pass here, so no message can carry a
// secret to stderr or a report; convertOne redacts the files' marker comments before it diffs them.
func redact(o *Outcome) {
	for i := range o.Result.Findings {
		f := &o.Result.Findings[i]
		f.Message = secret.Redact(f.Message)
		f.Action = secret.Redact(f.Action)
	}
	if o.Err != nil {
		o.Err = RedactError(o.Err)
	}
}

// redactMarkers redacts the manual-marker comments of a file, leaving every other byte alone:
// each line from its first marker on. The file is copied only when a redaction changes it.
func redactMarkers(data []byte) []byte {
	var out []byte
	copied := 0 // data[:copied] is in out
	for at := 0; ; {
		k := bytes.Index(data[at:], markerText)
		if k < 0 {
			break
		}
		i := at + k
		end := len(data)
		if n := bytes.IndexByte(data[i:], '\n'); n >= 0 {
			end = i + n + 1
		}
		tail := string(data[i:end])
		if r := secret.Redact(tail); r != tail {
			if out == nil {
				out = make([]byte, 0, len(data))
			}
			out = append(append(out, data[copied:i]...), r...)
			copied = end
		}
		at = end
	}
	if out == nil {
		return data
	}
	return append(out, data[copied:]...)
}

// RedactError returns err with credentials masked in its message; errors.As and errors.Is
// still see the error it wraps.
func RedactError(err error) error {
	var pe *PosError
	if errors.As(err, &pe) && err == error(pe) {
		pe.Msg = secret.Redact(pe.Msg)
		return pe
	}
	msg := err.Error()
	if r := secret.Redact(msg); r != msg {
		return &redactedError{msg: r, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// copiedSecrets finds secrets, by their shape, that a conversion copied from the source into
// a generated file (a script's curl -u user:password, a token in a URL): each is a manual
// secret-literal finding at its place in the source, naming the output, never the value.
func copiedSecrets(src Source, files []File) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, f := range files {
		if f.Path == src.Path {
			continue
		}
		text := string(f.Data)
		for _, h := range secret.Scan(text) {
			i := bytes.Index(src.Data, f.Data[h.Start:h.End])
			if i < 0 {
				continue // not from the source
			}
			if lineStart := strings.LastIndexByte(text[:h.Start], '\n') + 1; strings.Contains(text[lineStart:h.Start], string(markerText)) {
				continue // a manual marker, which redact masks
			}
			line, col := LineCol(src.Data, i)
			outLine := 1 + strings.Count(text[:h.Start], "\n")
			key := fmt.Sprint(line, col, f.Path)
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, Finding{File: src.Path, Line: line, Col: col, Class: Manual, Rule: "secret-literal",
				Message: fmt.Sprintf("%s in plain text is copied into %s:%d with the command that uses it; move it to a Secret, read it from the environment, and revoke it", h.What, f.Path, outLine)})
		}
	}
	return out
}
