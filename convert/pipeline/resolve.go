package pipeline

import (
	"strconv"
	"strings"
	"time"
)

// resolveTag is the tag yaml.v3 v3.0.5's resolve("", in) gives a plain scalar (resolve.go,
// Apache-2.0): the printer quotes a !!str that would read back as another type, as
// yaml.v3's encoder does.
func resolveTag(in string) string {
	if in == "" {
		return "!!null"
	}
	word := func() (string, bool) {
		if len(in) > 5 { // the longest word: false, +.inf
			return "", false
		}
		tag, ok := resolveWords[in]
		return tag, ok
	}
	switch c := in[0]; {
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		if tag, ok := word(); ok {
			return tag
		}
		return resolveNumber(in)
	case c == '.':
		if tag, ok := word(); ok {
			return tag
		}
		if _, err := strconv.ParseFloat(in, 64); err == nil {
			return "!!float"
		}
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		if tag, ok := word(); ok {
			return tag
		}
	}
	return "!!str"
}

// resolveWords is yaml.v3's resolveMap: the words that read as a bool, null, float or merge key.
var resolveWords = map[string]string{
	"true": "!!bool", "True": "!!bool", "TRUE": "!!bool",
	"false": "!!bool", "False": "!!bool", "FALSE": "!!bool",
	"~": "!!null", "null": "!!null", "Null": "!!null", "NULL": "!!null",
	".nan": "!!float", ".NaN": "!!float", ".NAN": "!!float",
	".inf": "!!float", ".Inf": "!!float", ".INF": "!!float",
	"+.inf": "!!float", "+.Inf": "!!float", "+.INF": "!!float",
	"-.inf": "!!float", "-.Inf": "!!float", "-.INF": "!!float",
}

// resolveNumber is resolve's case for a value starting with a digit or sign.
func resolveNumber(in string) string {
	if isTimestamp(in) {
		return "!!timestamp"
	}
	plain := strings.ReplaceAll(in, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return "!!int"
	}
	if yamlStyleFloat(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return "!!float"
		}
	}
	base := func(prefix string, b int) bool {
		if rest, ok := strings.CutPrefix(plain, prefix); ok {
			if _, err := strconv.ParseInt(rest, b, 64); err == nil {
				return true
			}
			_, err := strconv.ParseUint(rest, b, 64)
			return err == nil
		}
		if rest, ok := strings.CutPrefix(plain, "-"+prefix); ok {
			_, err := strconv.ParseInt("-"+rest, b, 64)
			return err == nil
		}
		return false
	}
	if base("0b", 2) || base("0o", 8) {
		return "!!int"
	}
	return "!!str"
}

// yamlStyleFloat matches ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ (yaml.v3's
// yamlStyleFloat), without a regexp.
func yamlStyleFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// isTimestamp is yaml.v3's parseTimestamp succeeding.
func isTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range []string{
		"2006-1-2T15:4:5.999999999Z07:00",
		"2006-1-2t15:4:5.999999999Z07:00",
		"2006-1-2 15:4:5.999999999",
		"2006-1-2",
	} {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}
