// Command tkn-migrate moves CI definitions to Tekton v1: old Tekton YAML, .travis.yml,
// Jenkinsfiles and Jenkins job config.xml. As tkn-migrate it also works as the tkn plugin `tkn migrate`.
package main

import (
	"os"

	"github.com/tkn-migrate/tkn-migrate/internal/gcpace"
	_ "github.com/tkn-migrate/tkn-migrate/internal/memprofoff" // before the dependencies' initialisers
	"github.com/tkn-migrate/tkn-migrate/internal/startgc"
)

func main() {
	startgc.Done()
	gcpace.Start() // a batch's small live heap would otherwise collect dozens of times a second
	os.Exit(Main())
}
