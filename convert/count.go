package convert

import (
	"bytes"
	"regexp"
)

// Marker is the prefix of every inline marker the converters leave for a human.
const Marker = "tkn-migrate: manual:"

var tektonDoc = regexp.MustCompile(`(?m)^apiVersion:\s*["']?(triggers\.)?tekton\.dev/`)

// CountTektonDocs counts Tekton documents in a YAML stream.
func CountTektonDocs(data []byte) int { return len(tektonDoc.FindAllIndex(data, -1)) }

// CountMarkers counts manual markers in a file, whether this run or an earlier one put them there.
func CountMarkers(data []byte) int { return bytes.Count(data, []byte(Marker)) }
