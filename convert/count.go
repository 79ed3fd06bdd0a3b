package convert

import "bytes"

// Marker is the prefix of every inline marker the converters leave for a human.
const Marker = "tkn-migrate: manual:"

// CountTektonDocs counts Tekton documents in a YAML stream: lines starting
// `apiVersion:`, then optional space, an optional quote and (triggers.)tekton.dev/.
// A byte scan, not a (?m) regexp: it runs on the goroutine that collects results.
func CountTektonDocs(data []byte) int { return countTektonDocs(data, -1) }

// hasTektonDoc reports a line CountTektonDocs counts, stopping at the first: how Detect
// tells a Tekton YAML file (Triggers too: its files upgrade with the Pipelines they start).
func hasTektonDoc(data []byte) bool { return countTektonDocs(data, 1) > 0 }

// countTektonDocs counts up to limit such lines (all of them when limit < 0).
func countTektonDocs(data []byte, limit int) int {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a BOM before the first line, as Detect allows
	n := 0
	for off := 0; off < len(data) && n != limit; {
		if isTektonAPIVersion(data[off:]) {
			n++
		}
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	return n
}

func isTektonAPIVersion(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, []byte("apiVersion:"))
	if !ok {
		return false
	}
	// RE2's \s: space, \t, \n, \f, \r.
	rest = bytes.TrimLeft(rest, " \t\n\f\r")
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		rest = rest[1:]
	}
	rest, _ = bytes.CutPrefix(rest, []byte("triggers."))
	return bytes.HasPrefix(rest, []byte("tekton.dev/"))
}

// CountMarkers counts manual markers in a file, whether this run or an earlier one put them there.
func CountMarkers(data []byte) int { return bytes.Count(data, []byte(Marker)) }
