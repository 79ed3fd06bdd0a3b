package lint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// outputKey is the memo key of files that share one directory: each base name and its bytes,
// with each span (a name convert/validate leaves out of its memo key, spans[i] in files[i])
// whose value occurs nowhere else in the set (renamable) replaced by its kind and the
// first-appearance number of its value. So a set met again under other names, the same way (a
// Pipeline named after its repository, its runs, their pipelineRef and Secrets), has the key
// of the first.
//
// A key shared that way is sound for Output, which asks one question: does lint find an
// error? Let A be a clean set remembered under the key of its parsed spans (parsedSpans), and
// B a set with the same key from its guessed spans (textSpans). Then B is A with each renamed
// value v replaced by σ(v), σ one-to-one (equal numbers), each value a plain scalar ending its
// line and of characters [a-z0-9.-] only, so B parses to A's trees but for those values (see
// validate.TextSpans); A's trees hold no alias that could carry a value elsewhere; and no
// renamed value of A or of B occurs in the text kept or the base names (renamable, on both
// sides), so none equals a value lint reads elsewhere. Each span is, in a tekton.dev/v1
// document, a metadata.name, a pipelineRef's name or a secretKeyRef's name, and lint's rules
// that report errors read these values only so:
//   - checkTekton (TKN001-TKN007 and Tekton's messages): strict decode and admission, whose
//     verdict does not change under such renaming (convert/validate's renamedKey, refNames);
//     unknownFields reads keys only; both values are strings to NodeJSON and YAMLToJSON alike.
//   - checkRefs (TKN903-TKN915): definitions are found by kind and metadata.name, references by
//     taskRef/pipelineRef name, compared for equality only (a name with "$(" is none of these):
//     between two renamed values equality is σ's, and a renamed value equals no other value;
//     names otherwise only fill messages.
//   - checkStorage (TKN103): a run's identity is its name, a Task is found by a taskRef's name,
//     a run's Pipeline by its pipelineRef's: equality again.
//   - checkCredentials (TKN201): Secrets and ServiceAccounts are apiVersion v1, whose names are
//     no span; secretKeyRef names decide only the warnings TKN202/TKN203.
//   - checkLeftovers (TKN401): apiVersion, kinds, bundles, resources; names fill messages.
//
// The other checks report warnings and information only, which Output drops, and suppression
// comments name rules, not objects. So B's lint finds an error exactly when A's does: never.
// TestCleanOutputsRenamed renames every set this way and lints it again, and
// TestOutputKeyNamesThatMatter holds sets whose names decide an error apart.
func outputKey(files []File, spans [][]validate.Span) (key [sha256.Size]byte, ok bool) {
	dir := filepath.Dir(files[0].Path)
	for _, f := range files {
		if filepath.Dir(f.Path) != dir {
			return key, false
		}
	}
	spans = renamable(files, spans)
	ids := map[string]int{}
	for i, f := range files {
		for _, sp := range spans[i] {
			if v := string(f.Data[sp.Off : sp.Off+sp.Len]); !hasKey(ids, v) {
				ids[v] = len(ids)
			}
		}
	}
	h := sha256.New()
	var n [8]byte
	piece := func(b []byte) { // length-prefixed, so no text can pass for a span
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for i, f := range files {
		piece([]byte(filepath.Base(f.Path)))
		binary.LittleEndian.PutUint64(n[:], uint64(len(spans[i])))
		h.Write(n[:])
		prev := 0
		for _, sp := range spans[i] {
			piece(f.Data[prev:sp.Off])
			piece(binary.LittleEndian.AppendUint64([]byte{sp.Kind}, uint64(ids[string(f.Data[sp.Off:sp.Off+sp.Len])])))
			prev = sp.Off + sp.Len
		}
		piece(f.Data[prev:])
	}
	h.Sum(key[:0])
	return key, true
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// renamable is spans without those whose value occurs in the text the key keeps (outside the
// spans kept) or in a base name, where it could equal a name lint compares with: such a span
// stays in the key as text, until no kept value occurs in the text kept.
func renamable(files []File, spans [][]validate.Span) [][]validate.Span {
	for {
		var values, drop []string
		for i, f := range files {
			for _, sp := range spans[i] {
				if v := string(f.Data[sp.Off : sp.Off+sp.Len]); !slices.Contains(values, v) {
					values = append(values, v)
				}
			}
		}
		if len(values) > maxRenamed {
			return make([][]validate.Span, len(files))
		}
		// Shortest first: a value that holds one found nowhere outside is not there either.
		sort.Slice(values, func(i, j int) bool { return len(values[i]) < len(values[j]) })
		var inside []string
		for _, v := range values {
			if slices.ContainsFunc(inside, func(u string) bool { return strings.Contains(v, u) }) {
				continue
			}
			if occursOutside(files, spans, []byte(v)) {
				drop = append(drop, v)
			} else {
				inside = append(inside, v)
			}
		}
		if len(drop) == 0 {
			return spans
		}
		kept := make([][]validate.Span, len(files))
		for i, f := range files {
			for _, sp := range spans[i] {
				if !slices.Contains(drop, string(f.Data[sp.Off:sp.Off+sp.Len])) {
					kept[i] = append(kept[i], sp)
				}
			}
		}
		spans = kept
	}
}

const maxRenamedDocs = 16

// maxRenamed bounds the distinct values renamed, each a search of the set's text; a set with
// more is keyed by its bytes (a repository's output names a few objects and Secrets).
const maxRenamed = 16

// occursOutside reports v in a base name or in the text outside spans.
func occursOutside(files []File, spans [][]validate.Span, v []byte) bool {
	for i, f := range files {
		if strings.Contains(filepath.Base(f.Path), string(v)) {
			return true
		}
		prev := 0
		for _, sp := range spans[i] {
			if bytes.Contains(f.Data[prev:sp.Off], v) {
				return true
			}
			prev = sp.Off + sp.Len
		}
		if bytes.Contains(f.Data[prev:], v) {
			return true
		}
	}
	return false
}

// textSpans are the spans guessed in each file from its text alone (no parse).
func textSpans(files []File) [][]validate.Span {
	spans := make([][]validate.Span, len(files))
	for i, f := range files {
		spans[i] = validate.TextSpans(f.Data)
	}
	return spans
}

// parsedSpans are the spans of each file found in lint's parse of it, documents, and false
// when a document holds an alias (which could carry a span's value to another field), or a
// file more than maxRenamedDocs documents (each reads the file's lines again).
func parsedSpans(files []File, documents [][]*yamldoc.Doc) ([][]validate.Span, bool) {
	spans := make([][]validate.Span, len(files))
	for i, f := range files {
		if len(documents[i]) > maxRenamedDocs {
			return nil, false
		}
		for _, d := range documents[i] {
			if hasAlias(d.Root) {
				return nil, false
			}
			spans[i] = append(spans[i], validate.ParsedSpans(d.Root, f.Data)...)
		}
	}
	return spans, true
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// knownClean reports a set remembered clean: under the key of the spans its text shows, or
// else of its exact bytes (a set whose text the guess reads otherwise than the parse).
func knownClean(files []File) bool {
	spans := textSpans(files)
	if key, keyed := outputKey(files, spans); keyed {
		if _, clean := cleanOutputs.Get(key); clean {
			return true
		}
	}
	if !anySpan(spans) {
		return false
	}
	key, keyed := outputKey(files, make([][]validate.Span, len(files)))
	_, clean := cleanOutputs.Get(key)
	return keyed && clean
}

// rememberCleanSet remembers files, which lint found clean, under the key of the spans of
// its parse, parsed, and of its exact bytes.
func rememberCleanSet(files []File, parsed [][]*yamldoc.Doc) {
	spans, ok := parsedSpans(files, parsed)
	rememberCleanSpans(files, spans, ok)
}

// rememberCleanSpans is rememberCleanSet with the spans of its parse (ok false: none to use).
func rememberCleanSpans(files []File, spans [][]validate.Span, ok bool) {
	if ok && anySpan(spans) {
		if key, keyed := outputKey(files, spans); keyed {
			cleanOutputs.Put(key, struct{}{}, 0)
		}
	}
	if key, keyed := outputKey(files, make([][]validate.Span, len(files))); keyed {
		cleanOutputs.Put(key, struct{}{}, 0)
	}
}

func anySpan(spans [][]validate.Span) bool {
	for _, s := range spans {
		if len(s) > 0 {
			return true
		}
	}
	return false
}
