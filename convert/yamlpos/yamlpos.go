// Package yamlpos reads the position out of a yaml.v3 syntax error.
package yamlpos

import (
	"strconv"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

var lineMsg = lazyre.New(`^yaml: line (\d+): (.*)$`)

// Of returns the 1-based line and the message of a yaml.v3 syntax error ("yaml: line 9: ...").
// Line is 0 when the error carries none.
//
// yaml.v3 counts lines from 0 for parser errors ("did not find expected ..."), and from 1
// for scanner errors; this evens them out, so the line is where the construct starts.
func Of(err error) (line int, msg string) {
	m := lineMsg.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, strings.TrimPrefix(err.Error(), "yaml: ")
	}
	line, _ = strconv.Atoi(m[1])
	if parserError(m[2]) {
		line++
	}
	return line, m[2]
}

// parserError recognises the messages yaml.v3's parser (not its scanner) produces.
func parserError(msg string) bool {
	for _, p := range []string{"did not find expected", "found duplicate %", "found incompatible YAML document", "found undefined tag handle"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
