// Package frontends wires each input kind to the converter that handles it, for the CLI and the benchmarks.
package frontends

import (
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/upgrade"
	"github.com/tkn-migrate/tkn-migrate/jenkins"
	"github.com/tkn-migrate/tkn-migrate/travis"
)

// All returns a fresh set of converters; converters that index inputs keep per-run state.
func All() map[convert.Kind]convert.Converter {
	return map[convert.Kind]convert.Converter{
		convert.KindTekton:      upgrade.New(),
		convert.KindTravis:      travis.Converter{},
		convert.KindJenkinsfile: jenkins.Converter{},
		convert.KindJenkinsXML:  jenkins.Converter{},
	}
}
